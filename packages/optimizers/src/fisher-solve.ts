import { DescentError, assertFinite, assertLength, assertMatrix, assertVector, gemvInto, gramInto, woodburySolve, type Matrix } from '@descent/linalg';
import { Scratch } from './internal/matrix-momentum.js';

// Dense SPD solves for the natural gradient. The low-rank path is @descent/linalg's `woodburySolve`;
// the dense path keeps a small fused Cholesky here so a non-positive-definite F + λM reports `DOMAIN`
// with the hint to add damping (and so the Woodbury law compares two independent code paths).

/**
 * A damping metric M in (F + λM)x = g: `undefined` is the identity (plain λI damping), a
 * `Float64Array` is a positive diagonal, a `Matrix` is a dense symmetric positive-definite matrix.
 * Reparameterisation-consistent damping transforms M with the parameters (see {@link pullbackMetric}).
 */
export type DampingMetric = Float64Array | Matrix | undefined;

/**
 * Cholesky factorisation A = LLᵀ of a symmetric positive-definite n×n matrix, written into `l`
 * (row-major, lower triangle; the strict upper triangle is zeroed). Throws `DOMAIN` naming the pivot
 * when A is not positive definite (a singular Fisher without damping lands here).
 */
function choleskyInto(a: Float64Array, n: number, l: Float64Array, where: string): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        // Relative pivot test: a pivot lost to rounding is as singular as a zero one.
        if (!(s > 1e-14 * Math.abs(a[ri + i]!)) || !(s > 0)) {
          throw new DescentError('DOMAIN', where, `matrix is not positive definite (pivot ${i} is ${s}); add damping`);
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) l[ri + j] = 0;
  }
}

/** Solves LLᵀx = b in place in `x` (which holds b on entry). */
function choleskySolveInPlace(l: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * x[k]!;
    x[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
}

function checkMetric(metric: DampingMetric, d: number, where: string): void {
  if (metric === undefined) return;
  if (metric instanceof Float64Array) {
    assertLength(metric, d, where, 'dampingMetric');
    for (let i = 0; i < d; i++) {
      if (!(metric[i]! > 0) || !Number.isFinite(metric[i]!)) {
        throw new DescentError('DOMAIN', where, `dampingMetric[${i}] is ${metric[i]}, expected a finite positive number`);
      }
    }
    return;
  }
  assertMatrix(metric, where, 'dampingMetric');
  if (metric.rows !== d || metric.cols !== d) {
    throw new DescentError('SHAPE_MISMATCH', where, `dampingMetric is ${metric.rows}×${metric.cols}, expected ${d}×${d}`);
  }
}

/**
 * Solves (F + λM)x = g for a dense symmetric positive-semidefinite Fisher F (d×d) by Cholesky, where
 * M is the damping metric (identity by default). With λ = 0 the Fisher itself must be positive
 * definite, else `DOMAIN`.
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * dampedFisherSolve(fromRows([[4, 0], [0, 1]]), new Float64Array([4, 2]), 0);
 * // Float64Array [1, 2]
 * ```
 */
export function dampedFisherSolve(fisher: Matrix, g: Float64Array, damping: number, metric?: DampingMetric): Float64Array {
  const where = 'dampedFisherSolve';
  assertMatrix(fisher, where, 'fisher');
  assertVector(g, where, 'g');
  const d = g.length;
  if (fisher.rows !== d || fisher.cols !== d) {
    throw new DescentError('SHAPE_MISMATCH', where, `fisher is ${fisher.rows}×${fisher.cols}, expected ${d}×${d} to match g`);
  }
  assertFinite(g, where, 'g');
  checkDamping(damping, where);
  checkMetric(metric, d, where);
  return dampedSolveInto(fisher, g, damping, metric, new Float64Array(d), new Float64Array(d * d), new Float64Array(d * d), where);
}

/**
 * The solve of {@link dampedFisherSolve} for validated inputs, into `x` with caller-held scratch `a`
 * and `l` (d×d each), so a driver step allocates nothing.
 */
export function dampedSolveInto(fisher: Matrix, g: Float64Array, damping: number, metric: DampingMetric, x: Float64Array, a: Float64Array, l: Float64Array, where: string): Float64Array {
  const d = g.length;
  a.set(fisher.data);
  if (damping > 0) addMetric(a, d, damping, metric);
  choleskyInto(a, d, l, where);
  x.set(g);
  choleskySolveInPlace(l, d, x);
  return x;
}

/** Validates a dense solve's inputs as {@link dampedFisherSolve} does. */
export function checkDenseSolve(fisher: Matrix, g: Float64Array, damping: number, metric: DampingMetric, where: string): void {
  const d = g.length;
  if (fisher.rows !== d || fisher.cols !== d) {
    throw new DescentError('SHAPE_MISMATCH', where, `fisher is ${fisher.rows}×${fisher.cols}, expected ${d}×${d} to match g`);
  }
  assertFinite(g, where, 'g');
  checkDamping(damping, where);
  checkMetric(metric, d, where);
}

function addMetric(a: Float64Array, d: number, lambda: number, metric: DampingMetric): void {
  if (metric === undefined) {
    for (let i = 0; i < d; i++) a[i * d + i] += lambda;
  } else if (metric instanceof Float64Array) {
    for (let i = 0; i < d; i++) a[i * d + i] += lambda * metric[i]!;
  } else {
    const m = metric.data;
    for (let k = 0; k < d * d; k++) a[k] += lambda * m[k]!;
  }
}

function checkDamping(damping: number, where: string): void {
  if (typeof damping !== 'number' || !(damping >= 0) || !Number.isFinite(damping)) {
    throw new DescentError('INVALID_CONFIG', where, `damping must be a finite number >= 0, got ${String(damping)}`);
  }
}

/**
 * The Woodbury solve of the damped empirical Fisher: x = (ΓᵀΓ/N + λI)⁻¹g for per-sample gradients
 * Γ (N×d, one sample per row) and λ > 0, as x = (g − Γᵀ(NλI_N + ΓΓᵀ)⁻¹Γg)/λ. Costs O(N²d + N³)
 * instead of O(d³): the right choice when N ≪ d (delegates to `@descent/linalg`'s `woodburySolve`).
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * woodburyFisherSolve(fromRows([[1, 0]]), new Float64Array([2, 1]), 1);
 * // Float64Array [1, 1]
 * ```
 */
export function woodburyFisherSolve(gamma: Matrix, g: Float64Array, lambda: number): Float64Array {
  const where = 'woodburyFisherSolve';
  assertMatrix(gamma, where, 'gamma');
  assertLength(g, gamma.cols, where, 'g');
  assertFinite(g, where, 'g');
  if (typeof lambda !== 'number' || !(lambda > 0) || !Number.isFinite(lambda)) {
    throw new DescentError('INVALID_CONFIG', where, `lambda must be a finite positive number, got ${String(lambda)}`);
  }
  return woodburyKernel(gamma.data, gamma.rows, gamma.cols, g, lambda);
}

/** Woodbury on raw row-major Γ (n×d), by `@descent/linalg`'s `woodburySolve` (λ > 0 checked there). */
function woodburyKernel(gd: Float64Array, n: number, d: number, g: Float64Array, lambda: number): Float64Array {
  return woodburySolve({ rows: n, cols: d, data: gd }, g, lambda);
}

/**
 * Solves (ΓᵀΓ/N + λM)x = g for the empirical Fisher of per-sample gradients Γ (N×d). Uses the
 * Woodbury identity when N < d and M is the identity or a positive diagonal (rescaling Γ by M^{-1/2}),
 * and the dense d×d Cholesky solve otherwise (λ = 0, N ≥ d, or a dense M).
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * empiricalFisherSolve(fromRows([[1, 0]]), new Float64Array([2, 1]), 1);
 * // Float64Array [1, 1]
 * ```
 */
export function empiricalFisherSolve(gamma: Matrix, g: Float64Array, damping: number, metric?: DampingMetric): Float64Array {
  const where = 'empiricalFisherSolve';
  assertMatrix(gamma, where, 'perSample');
  assertLength(g, gamma.cols, where, 'g');
  assertFinite(g, where, 'g');
  checkDamping(damping, where);
  checkMetric(metric, gamma.cols, where);
  return empiricalSolveInto(gamma, g, damping, metric, new Float64Array(gamma.cols), new EmpiricalScratch(), where);
}

/** Scratch of {@link empiricalSolveInto}, grown on demand and reused across steps (never part of a state). */
export class EmpiricalScratch {
  readonly scale = new Scratch();
  readonly gamma = new Scratch();
  readonly rhs = new Scratch();
  readonly system = new Scratch();
  readonly factor = new Scratch();
  readonly small = new Scratch();
  readonly correction = new Scratch();
}

/**
 * The solve of {@link empiricalFisherSolve} for validated inputs, into `x` (length d) with scratch
 * from `ws`: after the scratch has grown to the largest N and d seen, a driver step allocates nothing.
 */
export function empiricalSolveInto(gamma: Matrix, g: Float64Array, damping: number, metric: DampingMetric, x: Float64Array, ws: EmpiricalScratch, where: string): Float64Array {
  const n = gamma.rows;
  const d = gamma.cols;
  if (damping > 0 && n < d && (metric === undefined || metric instanceof Float64Array)) {
    // (ΓᵀΓ/N + λD)⁻¹g = D^{-1/2}(Γ'ᵀΓ'/N + λI)⁻¹D^{-1/2}g with Γ' = ΓD^{-1/2}; D = I needs no rescaling.
    let gm = gamma;
    let rhs = g;
    let s: Float64Array | undefined;
    if (metric !== undefined) {
      s = ws.scale.get(d);
      for (let c = 0; c < d; c++) s[c] = 1 / Math.sqrt(metric[c]!);
      const gs = ws.gamma.get(n * d);
      for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) gs[i * d + c] = gamma.data[i * d + c]! * s[c]!;
      const gg = ws.rhs.get(d);
      for (let c = 0; c < d; c++) gg[c] = g[c]! * s[c]!;
      gm = { rows: n, cols: d, data: gs };
      rhs = gg;
    }
    // Woodbury: x = (g − Γᵀ(NλI_N + ΓΓᵀ)⁻¹Γg)/λ, with an N×N system.
    const k = gramInto(gm, { rows: n, cols: n, data: ws.system.get(n * n) }, 'right').data;
    for (let i = 0; i < n; i++) k[i * n + i] += n * damping;
    const z = gemvInto(gm, rhs, ws.small.get(n));
    const l = ws.factor.get(n * n);
    choleskyInto(k, n, l, where);
    choleskySolveInPlace(l, n, z);
    const correction = gemvInto(gm, z, ws.correction.get(d), { trans: true });
    const inv = 1 / damping;
    for (let c = 0; c < d; c++) x[c] = (rhs[c]! - correction[c]!) * inv;
    if (s !== undefined) for (let c = 0; c < d; c++) x[c] *= s[c]!;
    return x;
  }
  const f = empiricalFisherDataInto(gamma.data, n, d, ws.system.get(d * d));
  if (damping > 0) addMetric(f, d, damping, metric);
  const l = ws.factor.get(d * d);
  choleskyInto(f, d, l, where);
  x.set(g);
  choleskySolveInPlace(l, d, x);
  return x;
}

/**
 * ΓᵀΓ/N as a row-major d×d array for raw row-major Γ (N×d), unchecked (the kernel behind
 * `empiricalFisher`; each symmetric pair is computed once).
 *
 * @example
 * ```ts
 * // internal: seen through the public wrapper, empiricalFisher(Γ).data = empiricalFisherData(Γ.data, N, d)
 * empiricalFisher({ rows: 1, cols: 2, data: new Float64Array([1, 2]) }).data;
 * // Float64Array [1, 2, 2, 4]
 * ```
 */
export function empiricalFisherData(gd: Float64Array, n: number, d: number): Float64Array {
  return empiricalFisherDataInto(gd, n, d, new Float64Array(d * d));
}

/** {@link empiricalFisherData} into `f` (d×d, overwritten). */
function empiricalFisherDataInto(gd: Float64Array, n: number, d: number, f: Float64Array): Float64Array {
  f.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    for (let a = 0; a < d; a++) {
      const ga = gd[ri + a]!;
      if (ga === 0) continue;
      const fa = a * d;
      for (let b = 0; b <= a; b++) f[fa + b] += ga * gd[ri + b]!;
    }
  }
  const inv = n > 0 ? 1 / n : 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = f[a * d + b]! * inv;
      f[a * d + b] = v;
      f[b * d + a] = v;
    }
  }
  return f;
}
