import { DescentError } from '../errors.js';
import { hypot } from './hypot.js';

const EPS = 2 ** -52;

/**
 * The implicit QL algorithm (EISPACK tql2) on the symmetric tridiagonal matrix with diagonal
 * d[0…n) and subdiagonal e[1…n) (e[i] = T[i, i−1]; e[0] is ignored and both arrays are
 * overwritten): on return d holds the eigenvalues ascending and the n columns of the block of `v`
 * starting at `off` (column j at v[off + j·ld …], n entries) have been rotated by the same plane
 * rotations, so a block holding I on entry holds the eigenvectors of T, and a block holding Q holds
 * Q times them. Every rotation touches two whole columns: O(n) work per rotation, O(n³) in all.
 * An off-diagonal entry counts as zero when it is below ε·max(|dᵢ| + |eᵢ|).
 */
export function tridiagonalQL(v: Float64Array, off: number, ld: number, d: Float64Array, e: Float64Array, n: number, where: string): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  // Negligibility relative to ‖T‖ from the start (tql2 grows it with l, so a block that starts with
  // zeros beside a subnormal coupling would divide by that coupling and overflow).
  let tst1 = 0;
  for (let i = 0; i < n; i++) tst1 = Math.max(tst1, Math.abs(d[i]!) + Math.abs(e[i]!));
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
        if (++iter > 60) throw new DescentError('NOT_CONVERGED', where, `QL iteration for eigenvalue ${l} did not converge`);
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
          const ci = off + i * ld;
          const ci1 = ci + ld;
          for (let k = 0; k < n; k++) {
            h = v[ci1 + k]!;
            v[ci1 + k] = s * v[ci + k]! + c * h;
            v[ci + k] = c * v[ci + k]! - s * h;
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
      const ci = off + i * ld;
      const ck = off + k * ld;
      for (let j = 0; j < n; j++) {
        p = v[ci + j]!;
        v[ci + j] = v[ck + j]!;
        v[ck + j] = p;
      }
    }
  }
}
