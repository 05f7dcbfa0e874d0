import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { hypot } from './hypot.js';
import { pow2, pow2Exponent, scaleByPow2 } from './pow2-scale.js';
import { symmetricPart } from './symmetric.js';

/** The eigendecomposition A = Q·diag(values)·Qᵀ of a symmetric matrix. */
export interface Eigh {
  /** Eigenvalues in ascending order (as NumPy's eigh). */
  readonly values: Float64Array;
  /** n×n orthogonal matrix whose column i is the eigenvector of values[i]. */
  readonly vectors: Matrix;
}

const EPS = 2 ** -52;

/**
 * Symmetric eigendecomposition by Householder tridiagonalization and the implicit QL algorithm
 * (tred2/tql2, EISPACK via JAMA), on column-major working storage. The input must be symmetric to
 * √ε relative precision (`DOMAIN` otherwise); its symmetric part is decomposed.
 *
 * @example
 * ```ts
 * Array.from(eigh(fromRows([[2, 1], [1, 2]])).values, (v) => +v.toFixed(12));
 * // [1, 3]
 * ```
 */
export function eigh(a: Matrix, options: { check?: boolean } = {}): Eigh {
  assertMatrix(a, 'eigh', 'A', { finite: options.check ?? true });
  const n = a.rows;
  // V[k][j] lives at v[j*n + k] (column-major); A symmetric so the copy needs no transpose.
  const v = symmetricPart(a, 'eigh');
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Decompose a copy scaled by an exact power of two to max|a| ≈ 1, and scale the eigenvalues back.
  const ex = pow2Exponent(v);
  scaleByPow2(v, ex);
  tred2(v, d, e, n);
  tql2(v, d, e, n);
  if (ex !== 0) {
    const f = pow2(ex);
    for (let i = 0; i < n; i++) d[i] = d[i]! * f;
  }
  const vectors = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) vectors.data[k * n + j] = v[j * n + k]!;
  return { values: d, vectors };
}

function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const at = (k: number, j: number) => j * n + k;
  for (let j = 0; j < n; j++) d[j] = V[at(n - 1, j)]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[at(i - 1, j)]!;
        V[at(i, j)] = 0;
        V[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[at(j, i)] = f;
        g = e[j]! + V[at(j, j)]! * f;
        const cj = j * n;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[cj + k]! * d[k]!;
          e[k] += V[cj + k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const cj = j * n;
        for (let k = j; k <= i - 1; k++) V[cj + k] -= f * e[k]! + g * d[k]!;
        d[j] = V[at(i - 1, j)]!;
        V[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[at(n - 1, i)] = V[at(i, i)]!;
    V[at(i, i)] = 1;
    const h = d[i + 1]!;
    const ci1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[ci1 + k]! / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[ci1 + k]! * V[cj + k]!;
        for (let k = 0; k <= i; k++) V[cj + k] -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[ci1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[at(n - 1, j)]!;
    V[at(n - 1, j)] = 0;
  }
  V[at(n - 1, n - 1)] = 1;
  e[0] = 0;
}

function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new DescentError('NOT_CONVERGED', 'eigh', `QL iteration for eigenvalue ${l} did not converge`);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const ci = i * n;
          const ci1 = ci + n;
          for (let k = 0; k < n; k++) {
            h = V[ci1 + k]!;
            V[ci1 + k] = s * V[ci + k]! + c * h;
            V[ci + k] = c * V[ci + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      const ci = i * n;
      const ck = k * n;
      for (let j = 0; j < n; j++) {
        p = V[ci + j]!;
        V[ci + j] = V[ck + j]!;
        V[ck + j] = p;
      }
    }
  }
}
