import { DescentError } from '../errors.js';
import { hypot } from './hypot.js';

const EPS = 2 ** -52;
const TINY = 2 ** -966;
const MAX_SWEEPS_PER_VALUE = 75;

/**
 * Implicitly shifted QR on the n×n upper bidiagonal with diagonal s[so…so+n) and superdiagonal
 * e[eo…eo+n−1) (Golub–Kahan–Reinsch as LINPACK's dsvdc; both overwritten, e[eo+n−1] used as scratch):
 * on return s holds the singular values, nonnegative and descending, and the rotations have been
 * applied to the n columns of U (column j at U[uo + j·ldu …], `nru` entries) and of V (column j at
 * V[vo + j·ldv …], `ncv` entries), so blocks holding identities on entry hold the singular vectors of
 * B = U·diag(s)·Vᵀ. Negligibility is absolute near 2^-966, so B should be scaled to max|B| ≈ 1.
 */
export function bidiagonalQR(sIn: Float64Array, so: number, eIn: Float64Array, eo: number, n: number, U: Float64Array, uo: number, ldu: number, nru: number, V: Float64Array, vo: number, ldv: number, ncv: number, where: string): void {
  const s = so === 0 ? sIn : sIn.subarray(so, so + n);
  const e = eo === 0 ? eIn : eIn.subarray(eo, eo + n);
  e[n - 1] = 0;
  let p = n;
  // Implicit-shift QR on the bidiagonal matrix.
  const pp = n - 1;
  let iter = 0;
  const maxIter = MAX_SWEEPS_PER_VALUE * Math.max(1, p);
  let totalIter = 0;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]!) <= TINY + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // Deflate negligible s(p).
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        let t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        const cj = vo + j * ldv;
        const cp = vo + (p - 1) * ldv;
        for (let i = 0; i < ncv; i++) {
          t = cs * V[cj + i]! + sn * V[cp + i]!;
          V[cp + i] = -sn * V[cj + i]! + cs * V[cp + i]!;
          V[cj + i] = t;
        }
      }
    } else if (kase === 2) {
      // Split at negligible s(k).
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        let t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        const cj = uo + j * ldu;
        const ck = uo + (k - 1) * ldu;
        for (let i = 0; i < nru; i++) {
          t = cs * U[cj + i]! + sn * U[ck + i]!;
          U[ck + i] = -sn * U[cj + i]! + cs * U[ck + i]!;
          U[cj + i] = t;
        }
      }
    } else if (kase === 3) {
      // One QR step with the Wilkinson-type shift.
      if (++totalIter > maxIter) {
        throw new DescentError('NOT_CONVERGED', where, `QR iteration did not converge after ${totalIter} sweeps`);
      }
      const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        const vj = vo + j * ldv;
        const vj1 = vj + ldv;
        for (let i = 0; i < ncv; i++) {
          t = cs * V[vj + i]! + sn * V[vj1 + i]!;
          V[vj1 + i] = -sn * V[vj + i]! + cs * V[vj1 + i]!;
          V[vj + i] = t;
        }
        t = hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        const uj = uo + j * ldu;
        const uj1 = uj + ldu;
        for (let i = 0; i < nru; i++) {
          t = cs * U[uj + i]! + sn * U[uj1 + i]!;
          U[uj1 + i] = -sn * U[uj + i]! + cs * U[uj1 + i]!;
          U[uj + i] = t;
        }
      }
      e[p - 2] = f;
      iter++;
    } else {
      // Convergence: make s(k) nonnegative, then bubble it into descending order.
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        const ck = vo + k * ldv;
        for (let i = 0; i < ncv; i++) V[ck + i] = -V[ck + i]!;
      }
      while (k < pp) {
        if (s[k]! >= s[k + 1]!) break;
        let t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        {
          const a0 = vo + k * ldv;
          const a1 = a0 + ldv;
          for (let i = 0; i < ncv; i++) {
            t = V[a1 + i]!;
            V[a1 + i] = V[a0 + i]!;
            V[a0 + i] = t;
          }
        }
        {
          const a0 = uo + k * ldu;
          const a1 = a0 + ldu;
          for (let i = 0; i < nru; i++) {
            t = U[a1 + i]!;
            U[a1 + i] = U[a0 + i]!;
            U[a0 + i] = t;
          }
        }
        k++;
      }
      iter = 0;
      p--;
    }
  }
  void iter;
}
