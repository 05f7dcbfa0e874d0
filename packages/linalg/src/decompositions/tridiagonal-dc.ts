import { gemmInto } from '../kernels/gemm.js';
import { hypot } from './hypot.js';
import { pow2, pow2ExponentOf } from './pow2-scale.js';
import { secularRoot } from './secular.js';
import { tridiagonalQL } from './tridiagonal-ql.js';

/**
 * Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem, as LAPACK's dstedc
 * (COMPZ = 'I') → dlaed0 → dlaed1/2/3 → dlaed4: T is torn into two halves by a rank-one
 * correction, each half solved recursively (QL below {@link DC_LEAF}), and the halves' eigenpairs
 * merged by solving the secular equation of D + ρzzᵀ. Accuracy comes from three LAPACK devices:
 * deflation (a tiny zᵢ, or two nearly equal dᵢ combined by a plane rotation, keeps its old
 * eigenpair), root differences dⱼ − λᵢ taken from the secular solver rather than subtracted, and
 * Gu–Eisenstat's recomputation of z from the computed roots, which makes the new eigenvectors
 * numerically orthogonal however clustered the eigenvalues are. The merge's product of the old
 * eigenvectors with the rank-one problem's is a gemm, split by the columns' sparsity (upper half,
 * lower half, both) so the zero blocks of diag(Q₁, Q₂) cost nothing.
 */

/** Largest subproblem solved by QL instead of being split further (LAPACK's SMLSIZ). */
export const DC_LEAF = 25;

const EPS = 2 ** -53;

/** Scratch of {@link tridiagonalEigenDC} for orders up to `n`. */
interface DcWork {
  readonly n: number;
  readonly z: Float64Array;
  readonly dl: Float64Array;
  readonly w: Float64Array;
  readonly ws: Float64Array;
  readonly dd: Float64Array;
  readonly lam: Float64Array;
  readonly ee: Float64Array;
  readonly perm: Int32Array;
  readonly typ: Int32Array;
  readonly kIdx: Int32Array;
  readonly dIdx: Int32Array;
  readonly order: Int32Array;
  readonly rank: Int32Array;
  /** Packed old eigenvectors (n²), secular differences then products (n²), rank-one eigenvectors (2n²). */
  readonly qp: Float64Array;
  readonly delta: Float64Array;
  readonly u: Float64Array;
}

/**
 * The last workspace, kept for the next call: a fresh 4n² doubles costs more in page faults and
 * garbage collection than the merges' arithmetic at n = 256. Only kept up to {@link KEEP} doubles.
 */
let kept: DcWork | undefined;
const KEEP = 1024 * 1024;

function workspace(n: number): DcWork {
  if (kept !== undefined && kept.n >= n) return kept;
  const w = work(n);
  kept = 4 * n * n <= KEEP ? w : undefined;
  return w;
}

function work(n: number): DcWork {
  const f = () => new Float64Array(n);
  const i = () => new Int32Array(n);
  return {
    n, z: f(), dl: f(), w: f(), ws: f(), dd: f(), lam: f(), ee: f(),
    perm: i(), typ: i(), kIdx: i(), dIdx: i(), order: i(), rank: i(),
    qp: new Float64Array(n * n), delta: new Float64Array(n * n), u: new Float64Array(2 * n * n),
  };
}

/**
 * Eigenvalues (into d, ascending) and eigenvectors (into q, column-major n×n, column j for d[j]) of
 * the symmetric tridiagonal matrix with diagonal d[0…n) and subdiagonal e[0…n−1) (e[i] = T[i+1, i];
 * destroyed). Returns false if a secular equation failed to converge (d and q are then garbage and
 * the caller falls back to QL).
 */
export function tridiagonalEigenDC(d: Float64Array, e: Float64Array, n: number, q: Float64Array): boolean {
  q.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  if (n <= 1) return true;
  const ws = workspace(n);
  // Independent blocks where the coupling is negligible (dstedc's test), each solved on its own
  // after scaling by a power of two to max-norm ≈ 1 (exact, unlike dlascl's division).
  let start = 0;
  while (start < n) {
    let finish = start;
    while (finish < n - 1 && Math.abs(e[finish]!) > EPS * Math.sqrt(Math.abs(d[finish]!)) * Math.sqrt(Math.abs(d[finish + 1]!))) finish++;
    const m = finish - start + 1;
    if (m > 1) {
      let mx = 0;
      for (let i = start; i <= finish; i++) mx = Math.max(mx, Math.abs(d[i]!));
      for (let i = start; i < finish; i++) mx = Math.max(mx, Math.abs(e[i]!));
      // Two factors: a subnormal block needs 2^1074, which is not a finite double.
      const ex = mx === 0 ? 0 : pow2ExponentOf(mx);
      const h = Math.trunc(ex / 2);
      const f1 = pow2(-h);
      const f2 = pow2(h - ex);
      for (let i = start; i <= finish; i++) d[i] = d[i]! * f1 * f2;
      for (let i = start; i < finish; i++) e[i] = e[i]! * f1 * f2;
      if (!solve(d, e, start, m, q, n, ws)) return false;
      const g1 = pow2(h);
      const g2 = pow2(ex - h);
      for (let i = start; i <= finish; i++) d[i] = d[i]! * g1 * g2;
    }
    start = finish + 1;
  }
  // Blocks are each sorted; sort the whole (selection sort, as dstedc: O(n²) compares, ≤ n swaps).
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
      for (let r = 0; r < n; r++) {
        const t = q[ci + r]!;
        q[ci + r] = q[ck + r]!;
        q[ck + r] = t;
      }
    }
  }
  return true;
}

/**
 * Solves the block of size m at offset s: eigenvalues ascending into d[s…s+m), eigenvectors into the
 * diagonal block of q (rows and columns s…s+m, leading dimension ld), whose off-diagonal entries are
 * zero on entry and stay zero outside the block.
 */
function solve(d: Float64Array, e: Float64Array, s: number, m: number, q: Float64Array, ld: number, ws: DcWork): boolean {
  if (m <= DC_LEAF) {
    const dd = ws.dd;
    const ee = ws.ee;
    for (let i = 0; i < m; i++) dd[i] = d[s + i]!;
    ee[0] = 0;
    for (let i = 1; i < m; i++) ee[i] = e[s + i - 1]!;
    tridiagonalQL(q, s * ld + s, ld, dd, ee, m, 'eigh');
    for (let i = 0; i < m; i++) d[s + i] = dd[i]!;
    return true;
  }
  const n1 = m >> 1;
  // Tear: T = diag(T₁ − |ρ|e_last e_lastᵀ, T₂ − |ρ|e₁e₁ᵀ) + ρ·vvᵀ with v = (e_last; sign(ρ)e₁).
  const rho = e[s + n1 - 1]!;
  d[s + n1 - 1] = d[s + n1 - 1]! - Math.abs(rho);
  d[s + n1] = d[s + n1]! - Math.abs(rho);
  if (!solve(d, e, s, n1, q, ld, ws)) return false;
  if (!solve(d, e, s + n1, m - n1, q, ld, ws)) return false;
  return merge(d, s, m, n1, rho, q, ld, ws);
}

/** dlaed1–3: the eigenpairs of diag(Q₁,Q₂)(D + ρzzᵀ)diag(Q₁,Q₂)ᵀ from those of the two halves. */
function merge(d: Float64Array, s: number, m: number, n1: number, rhoIn: number, q: Float64Array, ld: number, ws: DcWork): boolean {
  const base = s * ld + s;
  const { z, perm, typ, kIdx, dIdx, dl, w } = ws;
  // z = (last row of Q₁, sign(ρ)·first row of Q₂)/√2 (unit length), ρ ← 2|ρ|.
  const h = Math.SQRT1_2;
  for (let j = 0; j < n1; j++) z[j] = q[base + j * ld + n1 - 1]! * h;
  const sg = rhoIn < 0 ? -h : h;
  for (let j = n1; j < m; j++) z[j] = q[base + j * ld + n1]! * sg;
  const rho = Math.abs(2 * rhoIn);
  // Merge the two ascending halves into one ascending order (indices local to the block).
  {
    let a = 0;
    let b = n1;
    for (let k = 0; k < m; k++) {
      if (b >= m || (a < n1 && d[s + a]! <= d[s + b]!)) perm[k] = a++;
      else perm[k] = b++;
    }
  }
  let zmax = 0;
  let dmax = 0;
  for (let j = 0; j < m; j++) {
    zmax = Math.max(zmax, Math.abs(z[j]!));
    dmax = Math.max(dmax, Math.abs(d[s + j]!));
  }
  const tol = 64 * EPS * Math.max(dmax, zmax);
  for (let j = 0; j < n1; j++) typ[j] = 1;
  for (let j = n1; j < m; j++) typ[j] = 3;
  let k = 0;
  let nd = 0;
  if (rho * zmax > tol) {
    // Deflation (dlaed2): a negligible zⱼ keeps its eigenpair; of two close dᵢ, dⱼ a rotation in
    // their plane zeroes one z component, and that pair deflates too.
    let pj = -1;
    for (let t = 0; t < m; t++) {
      const nj = perm[t]!;
      if (rho * Math.abs(z[nj]!) <= tol) {
        typ[nj] = 4;
        dIdx[nd++] = nj;
        continue;
      }
      if (pj < 0) {
        pj = nj;
        continue;
      }
      let sn = z[pj]!;
      let c = z[nj]!;
      const tau = hypot(c, sn);
      const gap = d[s + nj]! - d[s + pj]!;
      c /= tau;
      sn = -sn / tau;
      if (Math.abs(gap * c * sn) <= tol) {
        z[nj] = tau;
        z[pj] = 0;
        if (typ[nj] !== typ[pj]) typ[nj] = 2;
        typ[pj] = 4;
        const cp = base + pj * ld;
        const cn = base + nj * ld;
        for (let r = 0; r < m; r++) {
          const x = q[cp + r]!;
          const y = q[cn + r]!;
          q[cp + r] = c * x + sn * y;
          q[cn + r] = c * y - sn * x;
        }
        const dp = d[s + pj]!;
        const dn = d[s + nj]!;
        d[s + pj] = dp * c * c + dn * sn * sn;
        d[s + nj] = dp * sn * sn + dn * c * c;
        dIdx[nd++] = pj;
      } else {
        dl[k] = d[s + pj]!;
        w[k] = z[pj]!;
        kIdx[k++] = pj;
      }
      pj = nj;
    }
    if (pj >= 0) {
      dl[k] = d[s + pj]!;
      w[k] = z[pj]!;
      kIdx[k++] = pj;
    }
  } else {
    for (let t = 0; t < m; t++) dIdx[nd++] = perm[t]!;
  }
  if (k > 0 && !rankOneUpdate(s, m, n1, k, rho, q, ld, ws)) return false;
  // ws.delta holds the k new eigenvector columns (upper n1 rows of all, then lower n2 rows of all);
  // lam their eigenvalues ascending. Merge them with the deflated pairs (ascending by value) back into
  // the block.
  const lam = ws.lam;
  const dvals = ws.dd;
  for (let t = 0; t < nd; t++) dvals[t] = d[s + dIdx[t]!]!;
  // Insertion sort of the deflated pairs: nearly sorted already (rotations move values by ≤ tol).
  for (let t = 1; t < nd; t++) {
    const v = dvals[t]!;
    const id = dIdx[t]!;
    let u = t - 1;
    while (u >= 0 && dvals[u]! > v) {
      dvals[u + 1] = dvals[u]!;
      dIdx[u + 1] = dIdx[u]!;
      u--;
    }
    dvals[u + 1] = v;
    dIdx[u + 1] = id;
  }
  // Deflated columns are copied out first: the block is overwritten column by column.
  const saved = ws.qp;
  for (let t = 0; t < nd; t++) {
    const src = base + dIdx[t]! * ld;
    const dst = t * m;
    for (let r = 0; r < m; r++) saved[dst + r] = q[src + r]!;
  }
  const R = ws.delta;
  const n2 = m - n1;
  let a = 0;
  let b = 0;
  for (let c = 0; c < m; c++) {
    const dst = base + c * ld;
    if (b >= nd || (a < k && lam[a]! <= dvals[b]!)) {
      d[s + c] = lam[a]!;
      const st = a * n1;
      const sb = k * n1 + a * n2;
      for (let r = 0; r < n1; r++) q[dst + r] = R[st + r]!;
      for (let r = 0; r < n2; r++) q[dst + n1 + r] = R[sb + r]!;
      a++;
    } else {
      d[s + c] = dvals[b]!;
      const src = b * m;
      for (let r = 0; r < m; r++) q[dst + r] = saved[src + r]!;
      b++;
    }
  }
  return true;
}

/**
 * dlaed3: roots of the k-term secular equation into ws.lam, the eigenvectors of D + ρwwᵀ from
 * Gu–Eisenstat's recomputed w, and their product with the k surviving old eigenvector columns into
 * ws.delta: the upper n1 rows (column-major n1×k), then the lower n2 rows (n2×k).
 */
function rankOneUpdate(s: number, m: number, n1: number, k: number, rho: number, q: Float64Array, ld: number, ws: DcWork): boolean {
  const n2 = m - n1;
  const { dl, w, lam, delta, kIdx, typ, order, rank } = ws;
  const base = s * ld + s;
  for (let j = 0; j < k; j++) {
    const l = secularRoot(k, j, dl, w, delta, j * k, rho);
    if (!Number.isFinite(l)) return false;
    lam[j] = l;
  }
  // Rows of the k×k eigenvector matrix U are grouped by the old columns' type: 1 (nonzero in the
  // upper half only), 2 (both), 3 (lower only), so the product splits into two gemm calls that skip
  // the zero blocks.
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let i = 0; i < k; i++) {
    const t = typ[kIdx[i]!]!;
    if (t === 1) c1++;
    else if (t === 2) c2++;
    else c3++;
  }
  {
    let p1 = 0;
    let p2 = c1;
    let p3 = c1 + c2;
    for (let i = 0; i < k; i++) {
      const t = typ[kIdx[i]!]!;
      const p = t === 1 ? p1++ : t === 2 ? p2++ : p3++;
      order[p] = i;
      rank[i] = p;
    }
  }
  const n12 = c1 + c2;
  const n23 = c2 + c3;
  const ut = ws.u.subarray(0, n12 * k);
  const ub = ws.u.subarray(n12 * k, n12 * k + n23 * k);
  if (k === 1) {
    if (n12 > 0) ut[0] = 1;
    if (n23 > 0) ub[0] = 1;
  } else if (k === 2) {
    // delta holds the normalised eigenvectors already (dlaed5).
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < 2; i++) {
        const p = rank[i]!;
        const v = delta[j * 2 + i]!;
        if (p < n12) ut[j * n12 + p] = v;
        if (p >= c1) ub[j * n23 + p - c1] = v;
      }
    }
  } else {
    // Gu–Eisenstat: ŵᵢ² = ∏ⱼ(dᵢ − λⱼ) / ∏_{j≠i}(dᵢ − dⱼ) (up to the factor ρ, which cancels), the
    // exact z of a rank-one problem whose eigenvalues are the computed λ; its eigenvectors
    // ŵᵢ/(dᵢ − λⱼ) are then orthogonal to working precision.
    const wsv = ws.ws;
    for (let i = 0; i < k; i++) {
      wsv[i] = w[i]!;
      w[i] = delta[i * k + i]!;
    }
    for (let j = 0; j < k; j++) {
      const col = j * k;
      const dj = dl[j]!;
      for (let i = 0; i < j; i++) w[i] = w[i]! * (delta[col + i]! / (dl[i]! - dj));
      for (let i = j + 1; i < k; i++) w[i] = w[i]! * (delta[col + i]! / (dl[i]! - dj));
    }
    for (let i = 0; i < k; i++) {
      const r = Math.sqrt(-w[i]!);
      w[i] = wsv[i]! >= 0 ? r : -r;
    }
    const sv = ws.dd;
    for (let j = 0; j < k; j++) {
      const col = j * k;
      let nrm = 0;
      for (let i = 0; i < k; i++) {
        const v = w[i]! / delta[col + i]!;
        sv[i] = v;
        nrm += v * v;
      }
      nrm = Math.sqrt(nrm);
      const ot = j * n12;
      const ob = j * n23 - c1;
      for (let i = 0; i < k; i++) {
        const p = rank[i]!;
        const v = sv[i]! / nrm;
        if (p < n12) ut[ot + p] = v;
        if (p >= c1) ub[ob + p] = v;
      }
    }
  }
  // Pack the old columns (upper rows of types 1–2, lower rows of types 2–3) and multiply.
  const qp = ws.qp;
  const qt = qp.subarray(0, n1 * n12);
  const qb = qp.subarray(n1 * n12, n1 * n12 + n2 * n23);
  for (let p = 0; p < n12; p++) {
    const src = base + kIdx[order[p]!]! * ld;
    const dst = p * n1;
    for (let r = 0; r < n1; r++) qt[dst + r] = q[src + r]!;
  }
  for (let p = 0; p < n23; p++) {
    const src = base + kIdx[order[c1 + p]!]! * ld + n1;
    const dst = p * n2;
    for (let r = 0; r < n2; r++) qb[dst + r] = q[src + r]!;
  }
  // Column-major X (r×c) is row-major Xᵀ, so C = A·B column-major is Cᵀ = Bᵀ·Aᵀ row-major.
  const rt = ws.delta.subarray(0, n1 * k);
  const rb = ws.delta.subarray(n1 * k, n1 * k + n2 * k);
  if (n12 > 0) gemmInto({ rows: k, cols: n12, data: ut }, { rows: n12, cols: n1, data: qt }, { rows: k, cols: n1, data: rt });
  else rt.fill(0);
  if (n23 > 0) gemmInto({ rows: k, cols: n23, data: ub }, { rows: n23, cols: n2, data: qb }, { rows: k, cols: n2, data: rb });
  else rb.fill(0);
  return true;
}
