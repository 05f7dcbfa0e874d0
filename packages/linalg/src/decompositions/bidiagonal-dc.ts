import { gemmInto } from '../kernels/gemm.js';
import { bidiagonalQR } from './bidiagonal-qr.js';
import { hypot } from './hypot.js';
import { secularSingularRoot } from './secular-sv.js';

/**
 * Divide and conquer for the singular value decomposition of an upper bidiagonal matrix, a port of
 * LAPACK's dbdsdc (UPLO = 'U', COMPQ = 'I') → dlasd0 → dlasd1/2/3 → dlasd4, with leaves solved by
 * dlasdq's reduction to the implicitly shifted QR iteration ({@link bidiagonalQR}). B is split where a
 * superdiagonal entry is negligible; each piece is torn at its middle row into two smaller bidiagonal
 * problems (the left one n×(n+1)) down to {@link SVD_LEAF}, and the halves' singular triplets are
 * merged through the secular equation 1 + ρ Σ zᵢ²/(dᵢ² − σ²) = 0. The merge keeps LAPACK's accuracy
 * devices: deflation of negligible zᵢ and of close pairs dᵢ ≈ dⱼ (a plane rotation zeroes one of
 * them), the differences dⱼ ± σᵢ taken from the solver's origin, and Gu–Eisenstat's recomputation of
 * z from the computed roots, which makes both singular vector sets orthogonal to working precision.
 * The products of the old singular vectors with the merged problem's are gemm calls split by the
 * columns' sparsity, as dlasd3 does.
 *
 * Storage: U is column-major (U(i, j) at u[j·ldu + i]); Vᵀ is kept row by row (Vᵀ(i, j) at
 * vt[i·ldvt + j]), i.e. V column-major, so every plane rotation and copy runs over contiguous memory.
 * The Fortran routines are transcribed with 1-based indices over base offsets (X(i) at x[xb + i]).
 */

/** Largest subproblem solved by QR instead of being torn further (LAPACK's SMLSIZ). */
export const SVD_LEAF = 25;

const EPS = 2 ** -53;

/** Scratch of {@link bidiagonalSvdDC} for orders up to `n` (merges of up to n + 1 columns). */
export interface BdcWork {
  readonly n: number;
  readonly z: Float64Array;
  readonly dsigma: Float64Array;
  readonly u2: Float64Array;
  readonly vt2: Float64Array;
  readonly q: Float64Array;
  readonly del: Float64Array;
  readonly wrk: Float64Array;
  readonly rot: Float64Array;
  readonly idx: Int32Array;
  readonly idxc: Int32Array;
  readonly idxp: Int32Array;
  readonly coltyp: Int32Array;
  readonly idxq: Int32Array;
  readonly inode: Int32Array;
  readonly ndiml: Int32Array;
  readonly ndimr: Int32Array;
  pa: Float64Array;
  pb: Float64Array;
  pc: Float64Array;
}

/** Fresh scratch for {@link bidiagonalSvdDC} of order up to n. */
export function bdcWork(n: number): BdcWork {
  const m = n + 2;
  const f = (k: number) => new Float64Array(k);
  const i = (k: number) => new Int32Array(k);
  const e = new Float64Array(0);
  return {
    n, z: f(m), dsigma: f(m), u2: f(m * m), vt2: f(m * m), q: f(m * m), del: f(m * m), wrk: f(m * m), rot: f(2 * m),
    idx: i(m), idxc: i(m), idxp: i(m), coltyp: i(m), idxq: i(m), inode: i(m), ndiml: i(m), ndimr: i(m),
    pa: e, pb: e, pc: e,
  };
}

/**
 * dbdsdc: singular values (into d, descending) and vectors of the n×n upper bidiagonal with diagonal
 * d[0…n) and superdiagonal e[0…n−1) (e needs length n; both destroyed): U (column-major, leading
 * dimension ldu) and Vᵀ (row i at vt[i·ldvt …]) with B = U·diag(d)·Vᵀ. Returns false if a secular
 * equation failed to converge (the outputs are then garbage and the caller falls back to QR).
 */
export function bidiagonalSvdDC(d: Float64Array, e: Float64Array, n: number, u: Float64Array, ldu: number, vt: Float64Array, ldvt: number, ws: BdcWork): boolean {
  if (n === 0) return true;
  for (let j = 0; j < n; j++) {
    u.fill(0, j * ldu, j * ldu + n);
    vt.fill(0, j * ldvt, j * ldvt + n);
    u[j * ldu + j] = 1;
    vt[j * ldvt + j] = 1;
  }
  if (n === 1) {
    if (d[0]! < 0) u[0] = -1;
    d[0] = Math.abs(d[0]!);
    return true;
  }
  if (n <= SVD_LEAF) {
    leaf(0, n, d, 0, e, 0, u, 0, ldu, vt, 0, ldvt, ws.rot);
  } else {
    let orgnrm = 0;
    for (let i = 0; i < n; i++) orgnrm = Math.max(orgnrm, Math.abs(d[i]!));
    for (let i = 0; i < n - 1; i++) orgnrm = Math.max(orgnrm, Math.abs(e[i]!));
    if (orgnrm === 0) return true;
    const inv = 1 / orgnrm;
    for (let i = 0; i < n; i++) d[i] = d[i]! * inv;
    for (let i = 0; i < n - 1; i++) e[i] = e[i]! * inv;
    // dbdsdc perturbs diagonal entries below 0.9ε‖B‖ to that size (backward stable) and splits
    // where a superdiagonal entry is that small.
    const eps = 0.9 * EPS;
    for (let i = 0; i < n; i++) if (Math.abs(d[i]!) < eps) d[i] = d[i]! < 0 ? -eps : eps;
    let start = 0;
    const nm1 = n - 1;
    for (let i = 0; i < nm1; i++) {
      if (Math.abs(e[i]!) < eps || i === nm1 - 1) {
        let nsize: number;
        if (i < nm1 - 1) {
          nsize = i - start + 1;
        } else if (Math.abs(e[i]!) >= eps) {
          nsize = n - start;
        } else {
          nsize = i - start + 1;
          if (d[n - 1]! < 0) u[(n - 1) * ldu + n - 1] = -1;
          vt[(n - 1) * ldvt + n - 1] = 1;
          d[n - 1] = Math.abs(d[n - 1]!);
        }
        if (!divide(nsize, 0, d, start, e, start, u, start * ldu + start, ldu, vt, start * ldvt + start, ldvt, ws)) return false;
        start = i + 1;
      }
    }
    for (let i = 0; i < n; i++) d[i] = d[i]! * orgnrm;
  }
  // Selection sort into descending order (one swap per position, as dbdsdc).
  for (let i = 0; i < n - 1; i++) {
    let kk = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! > p) {
        kk = j;
        p = d[j]!;
      }
    }
    if (kk !== i) {
      d[kk] = d[i]!;
      d[i] = p;
      swap(u, i * ldu, kk * ldu, n);
      swap(vt, i * ldvt, kk * ldvt, n);
    }
  }
  return true;
}

function swap(x: Float64Array, a: number, b: number, len: number): void {
  for (let r = 0; r < len; r++) {
    const t = x[a + r]!;
    x[a + r] = x[b + r]!;
    x[b + r] = t;
  }
}

/** Plane rotation of two contiguous vectors: x ← c·x + s·y, y ← c·y − s·x (BLAS drot). */
function rot(x: Float64Array, a: number, b: number, len: number, c: number, s: number): void {
  for (let r = 0; r < len; r++) {
    const xa = x[a + r]!;
    const xb = x[b + r]!;
    x[a + r] = c * xa + s * xb;
    x[b + r] = c * xb - s * xa;
  }
}

/**
 * dlartg: c, s, r with [c s; −s c]·[f; g] = [r; 0] (r carries f's sign), into out[0…2].
 */
function givens(f: number, g: number, out: Float64Array): void {
  if (g === 0) {
    out[0] = 1;
    out[1] = 0;
    out[2] = f;
  } else if (f === 0) {
    out[0] = 0;
    out[1] = g < 0 ? -1 : 1;
    out[2] = Math.abs(g);
  } else {
    const h = hypot(f, g);
    const r = f < 0 ? -h : h;
    out[0] = Math.abs(f) / h;
    out[1] = g / r;
    out[2] = r;
  }
}
const CSR = new Float64Array(3);

/**
 * dlasdq for UPLO = 'U': the SVD of the n×(n+sqre) upper bidiagonal at d[db…], e[eb…] (e[eb+n−1]
 * is the extra column's entry when sqre = 1), rotating the n + sqre rows of Vᵀ and the n columns of
 * U (n rows) at the given offsets. Singular values end ascending, as dlasdq leaves them.
 */
function leaf(sqre: number, n: number, d: Float64Array, db: number, e: Float64Array, eb: number, u: Float64Array, uo: number, ldu: number, vt: Float64Array, vo: number, ldvt: number, work: Float64Array): void {
  const ncvt = n + sqre;
  if (sqre === 1) {
    // Rotations from the right turn the n×(n+1) upper bidiagonal into an n×n lower one.
    for (let i = 0; i < n; i++) {
      givens(d[db + i]!, e[eb + i]!, CSR);
      d[db + i] = CSR[2]!;
      if (i < n - 1) {
        e[eb + i] = CSR[1]! * d[db + i + 1]!;
        d[db + i + 1] = CSR[0]! * d[db + i + 1]!;
      } else {
        e[eb + i] = 0;
      }
      work[i] = CSR[0]!;
      work[n + i] = CSR[1]!;
    }
    // dlasr('L', 'V', 'F') on the n + 1 rows of Vᵀ.
    for (let j = 0; j < n; j++) {
      const c = work[j]!;
      const s = work[n + j]!;
      if (c === 1 && s === 0) continue;
      const r0 = vo + j * ldvt;
      const r1 = r0 + ldvt;
      for (let i = 0; i < ncvt; i++) {
        const t = vt[r1 + i]!;
        vt[r1 + i] = c * t - s * vt[r0 + i]!;
        vt[r0 + i] = s * t + c * vt[r0 + i]!;
      }
    }
    // Rotations from the left turn the lower bidiagonal into an upper one; U takes them.
    for (let i = 0; i < n - 1; i++) {
      givens(d[db + i]!, e[eb + i]!, CSR);
      d[db + i] = CSR[2]!;
      e[eb + i] = CSR[1]! * d[db + i + 1]!;
      d[db + i + 1] = CSR[0]! * d[db + i + 1]!;
      work[i] = CSR[0]!;
      work[n + i] = CSR[1]!;
    }
    // dlasr('R', 'V', 'F') on the n columns of U.
    for (let j = 0; j < n - 1; j++) {
      const c = work[j]!;
      const s = work[n + j]!;
      if (c === 1 && s === 0) continue;
      const c0 = uo + j * ldu;
      const c1 = c0 + ldu;
      for (let i = 0; i < n; i++) {
        const t = u[c1 + i]!;
        u[c1 + i] = c * t - s * u[c0 + i]!;
        u[c0 + i] = s * t + c * u[c0 + i]!;
      }
    }
  }
  bidiagonalQR(d, db, e, eb, n, u, uo, ldu, n, vt, vo, ldvt, ncvt, 'svd');
  // Ascending order, one swap per position (dlasdq).
  for (let i = 0; i < n; i++) {
    let isub = i;
    let smin = d[db + i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[db + j]! < smin) {
        isub = j;
        smin = d[db + j]!;
      }
    }
    if (isub !== i) {
      d[db + isub] = d[db + i]!;
      d[db + i] = smin;
      swap(vt, vo + isub * ldvt, vo + i * ldvt, ncvt);
      swap(u, uo + isub * ldu, uo + i * ldu, n);
    }
  }
}

/**
 * dlasd0: the n×(n+sqre) upper bidiagonal at d[d0…], e[e0…] with U (n×n) at u[uo…] and Vᵀ
 * ((n+sqre)×(n+sqre)) at vt[vo…], both holding identities on entry.
 */
function divide(n: number, sqre: number, d: Float64Array, d0: number, e: Float64Array, e0: number, u: Float64Array, uo: number, ldu: number, vt: Float64Array, vo: number, ldvt: number, ws: BdcWork): boolean {
  if (n <= SVD_LEAF) {
    leaf(sqre, n, d, d0, e, e0, u, uo, ldu, vt, vo, ldvt, ws.rot);
    return true;
  }
  const { inode, ndiml, ndimr, idxq } = ws;
  // 1-based views: D(i) = d[db + i], U(i, j) = u[ub + j·ldu + i], VT(i, j) = vt[vb + i·ldvt + j].
  const db = d0 - 1;
  const eb = e0 - 1;
  const ub = uo - ldu - 1;
  const vb = vo - ldvt - 1;
  const [nlvl, nd] = tree(n, inode, ndiml, ndimr);
  const ndb1 = (nd + 1) >> 1;
  for (let i = ndb1; i <= nd; i++) {
    const ic = inode[i]!;
    const nl = ndiml[i]!;
    const nr = ndimr[i]!;
    const nlf = ic - nl;
    const nrf = ic + 1;
    leaf(1, nl, d, db + nlf, e, eb + nlf, u, ub + nlf * ldu + nlf, ldu, vt, vb + nlf * ldvt + nlf, ldvt, ws.rot);
    for (let j = 1; j <= nl; j++) idxq[nlf - 1 + j] = j;
    const sqrei = i === nd ? sqre : 1;
    leaf(sqrei, nr, d, db + nrf, e, eb + nrf, u, ub + nrf * ldu + nrf, ldu, vt, vb + nrf * ldvt + nrf, ldvt, ws.rot);
    for (let j = 1; j <= nr; j++) idxq[ic + j] = j;
  }
  for (let lvl = nlvl; lvl >= 1; lvl--) {
    const lf = lvl === 1 ? 1 : 2 ** (lvl - 1);
    const ll = lvl === 1 ? 1 : 2 * lf - 1;
    for (let i = lf; i <= ll; i++) {
      const ic = inode[i]!;
      const nl = ndiml[i]!;
      const nr = ndimr[i]!;
      const nlf = ic - nl;
      const sqrei = sqre === 0 && i === ll ? sqre : 1;
      const alpha = d[db + ic]!;
      const beta = e[eb + ic]!;
      if (!merge(nl, nr, sqrei, d, db + nlf - 1, alpha, beta, u, ub + nlf * ldu + nlf - ldu - 1, ldu, vt, vb + nlf * ldvt + nlf - ldvt - 1, ldvt, nlf - 1, ws)) return false;
    }
  }
  return true;
}

/**
 * dlasdt: the computation tree of a problem of order n, 1-based (node i: centre inode[i], left and
 * right sizes ndiml[i], ndimr[i]); returns [levels, nodes].
 */
function tree(n: number, inode: Int32Array, ndiml: Int32Array, ndimr: Int32Array): [number, number] {
  const maxn = Math.max(1, n);
  const lvl = Math.trunc(Math.log(maxn / (SVD_LEAF + 1)) / Math.log(2)) + 1;
  const h = n >> 1;
  inode[1] = h + 1;
  ndiml[1] = h;
  ndimr[1] = n - h - 1;
  let il = 0;
  let ir = 1;
  let llst = 1;
  for (let nlvl = 1; nlvl <= lvl - 1; nlvl++) {
    for (let i = 0; i <= llst - 1; i++) {
      il += 2;
      ir += 2;
      const ncrnt = llst + i;
      ndiml[il] = ndiml[ncrnt]! >> 1;
      ndimr[il] = ndiml[ncrnt]! - ndiml[il]! - 1;
      inode[il] = inode[ncrnt]! - ndimr[il]! - 1;
      ndiml[ir] = ndimr[ncrnt]! >> 1;
      ndimr[ir] = ndimr[ncrnt]! - ndiml[ir]! - 1;
      inode[ir] = inode[ncrnt]! + ndiml[ir]! + 1;
    }
    llst *= 2;
  }
  return [lvl, llst * 2 - 1];
}

/** dlamrg: the permutation (1-based, into index[ib + 1…]) merging two sorted runs of a[ab + 1…]. */
function mergeOrder(n1: number, n2: number, a: Float64Array, ab: number, dtrd1: number, dtrd2: number, index: Int32Array, ib: number): void {
  let n1sv = n1;
  let n2sv = n2;
  let ind1 = dtrd1 > 0 ? 1 : n1;
  let ind2 = dtrd2 > 0 ? 1 + n1 : n1 + n2;
  let i = 1;
  while (n1sv > 0 && n2sv > 0) {
    if (a[ab + ind1]! <= a[ab + ind2]!) {
      index[ib + i++] = ind1;
      ind1 += dtrd1;
      n1sv--;
    } else {
      index[ib + i++] = ind2;
      ind2 += dtrd2;
      n2sv--;
    }
  }
  if (n1sv === 0) {
    for (; n2sv > 0; n2sv--) {
      index[ib + i++] = ind2;
      ind2 += dtrd2;
    }
  } else {
    for (; n1sv > 0; n1sv--) {
      index[ib + i++] = ind1;
      ind1 += dtrd1;
    }
  }
}

/**
 * dlasd1: merges the SVDs of the two halves (D(1…nl) and D(nl+2…n), 1-based at db, with their U and
 * Vᵀ blocks at the 1-based bases ub and vb) joined by row nl + 1 = [… α, β …] into the SVD of the
 * n×(n+sqre) upper bidiagonal, n = nl + nr + 1. IDXQ (idxq[qb + 1…]) sorts each half ascending on
 * entry and the whole on return.
 */
function merge(nl: number, nr: number, sqre: number, d: Float64Array, db: number, alphaIn: number, betaIn: number, u: Float64Array, ub: number, ldu: number, vt: Float64Array, vb: number, ldvt: number, qb: number, ws: BdcWork): boolean {
  const n = nl + nr + 1;
  let orgnrm = Math.max(Math.abs(alphaIn), Math.abs(betaIn));
  d[db + nl + 1] = 0;
  for (let i = 1; i <= n; i++) if (Math.abs(d[db + i]!) > orgnrm) orgnrm = Math.abs(d[db + i]!);
  const inv = 1 / orgnrm;
  for (let i = 1; i <= n; i++) d[db + i] = d[db + i]! * inv;
  const alpha = alphaIn / orgnrm;
  const beta = betaIn / orgnrm;
  const k = deflate(nl, nr, sqre, d, db, alpha, beta, u, ub, ldu, vt, vb, ldvt, qb, ws);
  if (!secularUpdate(nl, nr, sqre, k, d, db, u, ub, ldu, vt, vb, ldvt, ws)) return false;
  for (let i = 1; i <= n; i++) d[db + i] = d[db + i]! * orgnrm;
  mergeOrder(k, n - k, d, db, 1, -1, ws.idxq, qb);
  return true;
}

/**
 * dlasd2: builds z from the last row of the left half's Vᵀ and the first row of the right half's,
 * sorts the poles, deflates (negligible zⱼ; close poles combined by a rotation of U's columns and
 * Vᵀ's rows), and copies the surviving vectors, grouped by sparsity type, into U2 and VT2. Returns
 * the size k of the secular equation; the local Z, DSIGMA, U2, VT2, IDXC and COLTYP(1…4) = the type
 * counts are left in `ws` for {@link secularUpdate}.
 */
function deflate(nl: number, nr: number, sqre: number, d: Float64Array, db: number, alpha: number, beta: number, u: Float64Array, ub: number, ldu: number, vt: Float64Array, vb: number, ldvt: number, qb: number, ws: BdcWork): number {
  const n = nl + nr + 1;
  const m = n + sqre;
  const { z, dsigma, u2, vt2, idx, idxc, idxp, coltyp, idxq } = ws;
  // 1-based local views: Z(i) = z[i], U2(i, j) = u2[(j−1)·n + i − 1] (column-major, ld n),
  // VT2(i, j) = vt2[(i−1)·m + j − 1] (rows contiguous, ld m).
  const U = (i: number, j: number) => ub + j * ldu + i;
  const VT = (i: number, j: number) => vb + i * ldvt + j;
  const U2 = (i: number, j: number) => (j - 1) * n + i - 1;
  const VT2 = (i: number, j: number) => (i - 1) * m + j - 1;
  const nlp1 = nl + 1;
  const nlp2 = nl + 2;
  const z1 = alpha * vt[VT(nlp1, nlp1)]!;
  z[1] = z1;
  for (let i = nl; i >= 1; i--) {
    z[i + 1] = alpha * vt[VT(i, nlp1)]!;
    d[db + i + 1] = d[db + i]!;
    idxq[qb + i + 1] = idxq[qb + i]! + 1;
  }
  for (let i = nlp2; i <= m; i++) z[i] = beta * vt[VT(i, nlp2)]!;
  for (let i = 2; i <= nlp1; i++) coltyp[i] = 1;
  for (let i = nlp2; i <= n; i++) coltyp[i] = 2;
  for (let i = nlp2; i <= n; i++) idxq[qb + i] = idxq[qb + i]! + nlp1;
  // U2's first column serves as scratch for the sorted z.
  for (let i = 2; i <= n; i++) {
    const q = idxq[qb + i]!;
    dsigma[i] = d[db + q]!;
    u2[U2(i, 1)] = z[q]!;
    idxc[i] = coltyp[q]!;
  }
  mergeOrder(nl, nr, dsigma, 1, 1, 1, idx, 1);
  for (let i = 2; i <= n; i++) {
    const idxi = 1 + idx[i]!;
    d[db + i] = dsigma[idxi]!;
    z[i] = u2[U2(idxi, 1)]!;
    coltyp[i] = idxc[idxi]!;
  }
  let tol = Math.max(Math.abs(alpha), Math.abs(beta));
  tol = 64 * EPS * Math.max(Math.abs(d[db + n]!), tol);
  let k = 1;
  let k2 = n + 1;
  let jprev = 0;
  let allDeflated = false;
  for (let j = 2; j <= n; j++) {
    if (Math.abs(z[j]!) <= tol) {
      k2--;
      idxp[k2] = j;
      coltyp[j] = 4;
      if (j === n) allDeflated = true;
    } else {
      jprev = j;
      break;
    }
  }
  if (!allDeflated) {
    for (let j = jprev + 1; j <= n; j++) {
      if (Math.abs(z[j]!) <= tol) {
        k2--;
        idxp[k2] = j;
        coltyp[j] = 4;
      } else if (d[db + j]! - d[db + jprev]! <= tol) {
        // Close poles: a rotation in their plane moves jprev's z component into j's.
        let s = z[jprev]!;
        let c = z[j]!;
        const tau = hypot(c, s);
        c /= tau;
        s = -s / tau;
        z[j] = tau;
        z[jprev] = 0;
        let idxjp = idxq[qb + idx[jprev]! + 1]!;
        let idxj = idxq[qb + idx[j]! + 1]!;
        if (idxjp <= nlp1) idxjp--;
        if (idxj <= nlp1) idxj--;
        rot(u, U(1, idxjp), U(1, idxj), n, c, s);
        rot(vt, VT(idxjp, 1), VT(idxj, 1), m, c, s);
        if (coltyp[j] !== coltyp[jprev]) coltyp[j] = 3;
        coltyp[jprev] = 4;
        k2--;
        for (let jp = jprev; jp <= j - 1; jp++) idxp[k2 + j - 1 - jp] = jp;
        jprev = j;
      } else {
        k++;
        u2[U2(k, 1)] = z[jprev]!;
        dsigma[k] = d[db + jprev]!;
        idxp[k] = jprev;
        jprev = j;
      }
    }
    k++;
    u2[U2(k, 1)] = z[jprev]!;
    dsigma[k] = d[db + jprev]!;
    idxp[k] = jprev;
  }
  // Group the vectors by type: 1 (upper half only), 2 (lower half only), 3 (dense), 4 (deflated).
  const ctot = [0, 0, 0, 0, 0];
  for (let j = 2; j <= n; j++) ctot[coltyp[j]!]!++;
  const psm = [0, 2, 2 + ctot[1]!, 0, 0];
  psm[3] = psm[2]! + ctot[2]!;
  psm[4] = psm[3]! + ctot[3]!;
  for (let j = 2; j <= n; j++) {
    const jp = idxp[j]!;
    const ct = coltyp[jp]!;
    idxc[psm[ct]!] = j;
    psm[ct]!++;
  }
  for (let j = 2; j <= n; j++) {
    const jp = idxp[j]!;
    dsigma[j] = d[db + jp]!;
    let idxj = idxq[qb + idx[idxp[idxc[j]!]!]! + 1]!;
    if (idxj <= nlp1) idxj--;
    u2.set(u.subarray(U(1, idxj), U(1, idxj) + n), U2(1, j));
    vt2.set(vt.subarray(VT(idxj, 1), VT(idxj, 1) + m), VT2(j, 1));
  }
  dsigma[1] = 0;
  const hlftol = tol / 2;
  if (Math.abs(dsigma[2]!) <= hlftol) dsigma[2] = hlftol;
  let c = 1;
  let s = 0;
  if (m > n) {
    z[1] = hypot(z1, z[m]!);
    if (z[1]! <= tol) {
      c = 1;
      s = 0;
      z[1] = tol;
    } else {
      c = z1 / z[1]!;
      s = z[m]! / z[1]!;
    }
  } else {
    z[1] = Math.abs(z1) <= tol ? tol : z1;
  }
  for (let i = 2; i <= k; i++) z[i] = u2[U2(i, 1)]!;
  u2.fill(0, U2(1, 1), U2(1, 1) + n);
  u2[U2(nlp1, 1)] = 1;
  if (m > n) {
    for (let i = 1; i <= nlp1; i++) {
      vt[VT(m, i)] = -s * vt[VT(nlp1, i)]!;
      vt2[VT2(1, i)] = c * vt[VT(nlp1, i)]!;
    }
    for (let i = nlp2; i <= m; i++) {
      vt2[VT2(1, i)] = s * vt[VT(m, i)]!;
      vt[VT(m, i)] = c * vt[VT(m, i)]!;
    }
    vt2.set(vt.subarray(VT(m, 1), VT(m, 1) + m), VT2(m, 1));
  } else {
    vt2.set(vt.subarray(VT(nlp1, 1), VT(nlp1, 1) + m), VT2(1, 1));
  }
  if (n > k) {
    for (let i = k + 1; i <= n; i++) d[db + i] = dsigma[i]!;
    for (let j = k + 1; j <= n; j++) u.set(u2.subarray(U2(1, j), U2(1, j) + n), U(1, j));
    for (let i = k + 1; i <= n; i++) vt.set(vt2.subarray(VT2(i, 1), VT2(i, 1) + m), VT(i, 1));
  }
  for (let j = 1; j <= 4; j++) coltyp[j] = ctot[j]!;
  return k;
}

/** Overflow-safe 2-norm of x[o…o+len). */
function nrm2(x: Float64Array, o: number, len: number): number {
  let mx = 0;
  for (let i = 0; i < len; i++) mx = Math.max(mx, Math.abs(x[o + i]!));
  if (mx === 0 || !Number.isFinite(mx)) return mx;
  const inv = 1 / mx;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const t = x[o + i]! * inv;
    s += t * t;
  }
  return mx * Math.sqrt(s);
}

/**
 * dlasd3: the k roots of the secular equation (into D(1…k)), Gu–Eisenstat's recomputed z, the
 * singular vectors of the k×k rank-one-modified problem, and their products with U2 and VT2 into
 * U and Vᵀ (rows 1…k of Vᵀ, columns 1…k of U), by gemm on the column-type blocks.
 */
function secularUpdate(nl: number, nr: number, sqre: number, k: number, d: Float64Array, db: number, u: Float64Array, ub: number, ldu: number, vt: Float64Array, vb: number, ldvt: number, ws: BdcWork): boolean {
  const n = nl + nr + 1;
  const m = n + sqre;
  const nlp1 = nl + 1;
  const nlp2 = nl + 2;
  const { z, dsigma, u2, vt2, q, del, wrk, idxc, coltyp } = ws;
  const U = (i: number, j: number) => ub + j * ldu + i;
  const VT = (i: number, j: number) => vb + i * ldvt + j;
  if (k === 1) {
    d[db + 1] = Math.abs(z[1]!);
    vt.set(vt2.subarray(0, m), VT(1, 1));
    const sg = z[1]! > 0 ? 1 : -1;
    for (let i = 1; i <= n; i++) u[U(i, 1)] = sg * u2[i - 1]!;
    return true;
  }
  // Q(i, j) = q[(j−1)·k + i − 1] (column-major, ld k); DEL/WRK(i, j) likewise hold dᵢ ∓ σⱼ.
  const Q = (i: number, j: number) => (j - 1) * k + i - 1;
  for (let i = 1; i <= k; i++) q[Q(i, 1)] = z[i]!;
  let rho = nrm2(z, 1, k);
  for (let i = 1; i <= k; i++) z[i] = z[i]! / rho;
  rho = rho * rho;
  const ds = dsigma.subarray(1, k + 1);
  const zz = z.subarray(1, k + 1);
  for (let j = 1; j <= k; j++) {
    const sigma = secularSingularRoot(k, j - 1, ds, zz, del, wrk, (j - 1) * k, rho);
    if (!Number.isFinite(sigma)) return false;
    d[db + j] = sigma;
  }
  // Gu–Eisenstat: |ẑᵢ|² = ∏ⱼ(dᵢ² − σⱼ²) / ∏_{j≠i}(dᵢ² − dⱼ²), the exact z of a problem whose singular
  // values are the computed σ; the signs are z's.
  const DW = (i: number, j: number) => (j - 1) * k + i - 1;
  for (let i = 1; i <= k; i++) {
    let zi = del[DW(i, k)]! * wrk[DW(i, k)]!;
    const di = dsigma[i]!;
    for (let j = 1; j <= i - 1; j++) zi = zi * ((del[DW(i, j)]! * wrk[DW(i, j)]!) / (di - dsigma[j]!) / (di + dsigma[j]!));
    for (let j = i; j <= k - 1; j++) zi = zi * ((del[DW(i, j)]! * wrk[DW(i, j)]!) / (di - dsigma[j + 1]!) / (di + dsigma[j + 1]!));
    const r = Math.sqrt(Math.abs(zi));
    z[i] = q[Q(i, 1)]! >= 0 ? r : -r;
  }
  // Left vectors (U) of the merged problem, normalised, rows permuted into the column-type order.
  for (let i = 1; i <= k; i++) {
    const c = DW(1, i);
    wrk[c] = z[1]! / del[c]! / wrk[c]!;
    del[c] = -1;
    for (let j = 2; j <= k; j++) {
      const p = DW(j, i);
      const v = z[j]! / del[p]! / wrk[p]!;
      wrk[p] = v;
      del[p] = dsigma[j]! * v;
    }
    const temp = nrm2(del, c, k);
    q[Q(1, i)] = del[c]! / temp;
    for (let j = 2; j <= k; j++) q[Q(j, i)] = del[DW(idxc[j]!, i)]! / temp;
  }
  const c1 = coltyp[1]!;
  const c2 = coltyp[2]!;
  const c3 = coltyp[3]!;
  // Column-major U2 (ld n) and Q (ld k); U (ld ldu).
  const u2m = (r0: number, c0: number): Operand => ({ data: u2, off: (c0 - 1) * n + r0 - 1, rs: 1, cs: n });
  const qm = (r0: number, c0: number): Operand => ({ data: q, off: (c0 - 1) * k + r0 - 1, rs: 1, cs: k });
  const um = (r0: number, c0: number): Operand => ({ data: u, off: U(r0, c0), rs: 1, cs: ldu });
  if (k === 2) {
    mul(n, k, k, u2m(1, 1), qm(1, 1), um(1, 1), false, ws);
  } else {
    if (c1 > 0) {
      mul(nl, k, c1, u2m(1, 2), qm(2, 1), um(1, 1), false, ws);
      if (c3 > 0) {
        const kt = 2 + c1 + c2;
        mul(nl, k, c3, u2m(1, kt), qm(kt, 1), um(1, 1), true, ws);
      }
    } else if (c3 > 0) {
      const kt = 2 + c1 + c2;
      mul(nl, k, c3, u2m(1, kt), qm(kt, 1), um(1, 1), false, ws);
    } else {
      for (let j = 1; j <= k; j++) for (let i = 1; i <= nl; i++) u[U(i, j)] = u2[(j - 1) * n + i - 1]!;
    }
    for (let j = 1; j <= k; j++) u[U(nlp1, j)] = q[Q(1, j)]!;
    const kt = 2 + c1;
    mul(nr, k, c2 + c3, u2m(nlp2, kt), qm(kt, 1), um(nlp2, 1), false, ws);
  }
  // Right vectors (Vᵀ rows), normalised, columns permuted into the column-type order.
  for (let i = 1; i <= k; i++) {
    const c = DW(1, i);
    const temp = nrm2(wrk, c, k);
    q[Q(i, 1)] = wrk[c]! / temp;
    for (let j = 2; j <= k; j++) q[Q(i, j)] = wrk[DW(idxc[j]!, i)]! / temp;
  }
  // VT2 and Vᵀ keep rows contiguous (row stride = ld, column stride 1).
  const vt2m = (r0: number, c0: number): Operand => ({ data: vt2, off: (r0 - 1) * m + c0 - 1, rs: m, cs: 1 });
  const vtm = (r0: number, c0: number): Operand => ({ data: vt, off: VT(r0, c0), rs: ldvt, cs: 1 });
  if (k === 2) {
    mul(k, m, k, qm(1, 1), vt2m(1, 1), vtm(1, 1), false, ws);
    return true;
  }
  let kt = 1 + c1;
  mul(k, nlp1, kt, qm(1, 1), vt2m(1, 1), vtm(1, 1), false, ws);
  kt = 2 + c1 + c2;
  if (kt <= m && c3 > 0) mul(k, nlp1, c3, qm(1, kt), vt2m(kt, 1), vtm(1, 1), true, ws);
  kt = c1 + 1;
  if (kt > 1) {
    for (let i = 1; i <= k; i++) q[Q(i, kt)] = q[Q(i, 1)]!;
    for (let i = nlp2; i <= m; i++) vt2[(kt - 1) * m + i - 1] = vt2[i - 1]!;
  }
  const ct = 1 + c2 + c3;
  mul(k, m - nl - 1, ct, qm(1, kt), vt2m(kt, nlp2), vtm(1, nlp2), false, ws);
  return true;
}

/** A strided matrix: X(i, j) (0-based) at data[off + i·rs + j·cs], one of rs and cs equal to 1. */
interface Operand {
  readonly data: Float64Array;
  readonly off: number;
  readonly rs: number;
  readonly cs: number;
}

function buffer(ws: BdcWork, key: 'pa' | 'pb' | 'pc', size: number): Float64Array {
  if (ws[key].length < size) ws[key] = new Float64Array(Math.max(size, 2 * ws[key].length));
  return ws[key].subarray(0, size);
}

/**
 * Packs the r×c strided operand contiguously in its own orientation: row-major (r×c) when its rows
 * are contiguous, else column-major (returned as the row-major c×r matrix and `trans` true).
 */
function pack(x: Operand, r: number, c: number, dst: Float64Array): boolean {
  if (x.cs === 1) {
    for (let i = 0; i < r; i++) dst.set(x.data.subarray(x.off + i * x.rs, x.off + i * x.rs + c), i * c);
    return false;
  }
  for (let j = 0; j < c; j++) dst.set(x.data.subarray(x.off + j * x.cs, x.off + j * x.cs + r), j * r);
  return true;
}

/**
 * C ← A·B (or C += A·B with `add`) for strided M×K A, K×N B and M×N C (dgemm with leading
 * dimensions): the operands are packed contiguously and multiplied by the gemm kernel.
 */
function mul(M: number, N: number, K: number, a: Operand, b: Operand, c: Operand, add: boolean, ws: BdcWork): void {
  if (M <= 0 || N <= 0) return;
  const cRows = c.cs === 1;
  if (K <= 0) {
    if (!add) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) c.data[c.off + i * c.rs + j * c.cs] = 0;
    return;
  }
  const pa = buffer(ws, 'pa', M * K);
  const pb = buffer(ws, 'pb', K * N);
  const pc = buffer(ws, 'pc', M * N);
  const ta = pack(a, M, K, pa);
  const tb = pack(b, K, N, pb);
  const am = ta ? { rows: K, cols: M, data: pa } : { rows: M, cols: K, data: pa };
  const bm = tb ? { rows: N, cols: K, data: pb } : { rows: K, cols: N, data: pb };
  if (add) pack(c, M, N, pc);
  if (cRows) {
    gemmInto(am, bm, { rows: M, cols: N, data: pc }, { transA: ta, transB: tb, beta: add ? 1 : 0 });
    for (let i = 0; i < M; i++) c.data.set(pc.subarray(i * N, i * N + N), c.off + i * c.rs);
  } else {
    // Column-major C: compute Cᵀ = op(B)ᵀ·op(A)ᵀ row-major.
    gemmInto(bm, am, { rows: N, cols: M, data: pc }, { transA: !tb, transB: !ta, beta: add ? 1 : 0 });
    for (let j = 0; j < N; j++) c.data.set(pc.subarray(j * M, j * M + M), c.off + j * c.cs);
  }
}
