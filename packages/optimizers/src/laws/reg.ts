import fc from 'fast-check';
import type { Matrix } from '@descent/linalg';
import { applyTransform } from '../transform.js';
import { racsDirectionInto, scaleByReg } from '../reg.js';
import { fail, like, maxAbsDiff, transposed } from './matrices.js';

/**
 * Full-support matrices up to 6×6 with entries of magnitude in [0.5, 2] and random signs. The spread
 * bounds Sinkhorn's convergence rate (Birkhoff: cross-ratios of M⊙M ≤ 256, contraction ≤ tanh(ln 256/4)
 * ≈ 0.88 per iteration), so balancing to 1e-12 takes at most a few hundred iterations.
 */
function fullSupport(maxDim = 6): fc.Arbitrary<Matrix> {
  return fc.tuple(fc.integer({ min: 1, max: maxDim }), fc.integer({ min: 1, max: maxDim })).chain(([r, c]) =>
    fc
      .array(fc.tuple(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.boolean()), { minLength: r * c, maxLength: r * c })
      .map((e) => ({ rows: r, cols: c, data: Float64Array.from(e, ([m, neg]) => (neg ? -m : m)) })),
  );
}

// The operator at convergence: balanced to 1e-12 (row norms²), at most 5000 iterations.
const sinkhorn = (m: Matrix) => racsDirectionInto(m, like(m), { racs: 'sinkhorn', sinkhornTol: 1e-12, sinkhornIterations: 5000 });
const oneshot = (m: Matrix) => racsDirectionInto(m, like(m), { racs: 'oneshot' });

function rowColNorms(r: Matrix): { rows: number[]; cols: number[] } {
  const rows = new Array<number>(r.rows).fill(0), cols = new Array<number>(r.cols).fill(0);
  for (let i = 0; i < r.rows; i++) {
    for (let j = 0; j < r.cols; j++) {
      const v = r.data[i * r.cols + j]!;
      rows[i]! += v * v;
      cols[j]! += v * v;
    }
  }
  return { rows: rows.map(Math.sqrt), cols: cols.map(Math.sqrt) };
}

/**
 * Law (spec §4.2(d)1, balanced, R1 'sinkhorn' run to convergence): every row norm of RACS(M) is √B
 * and every column norm √A, so ‖R‖_F = √(AB). Full-support M with |m_ij| ∈ [0.5, 2]; tolerance 1e-8
 * relative. (The default fixed 50 iterations reach this on Gaussian matrices, spec: < 1e-8 after 20,
 * but not on every matrix with a wide spread of magnitudes.)
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { racsBalanced } from '@descent/optimizers/laws';
 * fc.check(racsBalanced(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function racsBalanced() {
  return fc.property(fullSupport(), (m) => {
    const { rows, cols } = rowColNorms(sinkhorn(m));
    for (const r of rows) if (Math.abs(r / Math.sqrt(m.cols) - 1) > 1e-8) fail(`row norm ${r}, expected √${m.cols}`);
    for (const c of cols) if (Math.abs(c / Math.sqrt(m.rows) - 1) > 1e-8) fail(`column norm ${c}, expected √${m.rows}`);
  });
}

/**
 * Law (spec §4.2(d)2, sign pattern): sign(RACS(M)) = sign(M) entrywise, zeros included, for the
 * 'sinkhorn' (default 50 iterations: every iterate is D_r·M·D_c with positive diagonals) and
 * 'oneshot' variants, on any M with entries 0 or of magnitude in [1e-90, 1e3], zero rows and columns
 * included. Exact.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { racsSignPattern } from '@descent/optimizers/laws';
 * fc.check(racsSignPattern(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function racsSignPattern() {
  const anyM = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) =>
    fc
      .array(fc.oneof(fc.constant(0), fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((v) => Math.abs(v) > 1e-90)), { minLength: r * c, maxLength: r * c })
      .map((d) => ({ rows: r, cols: c, data: Float64Array.from(d) })),
  );
  // The default operator (50 iterations): signs hold at every iterate, converged or not.
  return fc.property(anyM, (m) => {
    for (const r of [racsDirectionInto(m, like(m)), oneshot(m)]) {
      for (let k = 0; k < m.data.length; k++) if (Math.sign(r.data[k]!) !== Math.sign(m.data[k]!) || (m.data[k] === 0) !== (r.data[k] === 0)) fail(`sign differs at ${k}`);
    }
  });
}

/**
 * Law (spec §4.2(d)3, diagonal invariance): RACS(D1·M·D2) = RACS(M) for positive diagonals D1, D2
 * (hence scale invariance), for 'sinkhorn' (tolerance 1e-8, the balancing's convergence) and, for
 * scalar D, 'oneshot' (1e-12).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { racsDiagonalInvariance } from '@descent/optimizers/laws';
 * fc.check(racsDiagonalInvariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function racsDiagonalInvariance() {
  const cases = fullSupport().chain((m) =>
    fc.record({
      m: fc.constant(m),
      d1: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: m.rows, maxLength: m.rows }),
      d2: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: m.cols, maxLength: m.cols }),
      c: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    }),
  );
  return fc.property(cases, ({ m, d1, d2, c }) => {
    const scaled = { ...m, data: m.data.map((v, k) => d1[Math.floor(k / m.cols)]! * v * d2[k % m.cols]!) };
    if (maxAbsDiff(sinkhorn(scaled).data, sinkhorn(m).data) > 1e-8) fail('RACS(D1 M D2) ≠ RACS(M)');
    const cm = { ...m, data: m.data.map((v) => c * v) };
    if (maxAbsDiff(oneshot(cm).data, oneshot(m).data) > 1e-12) fail('oneshot: RACS(cM) ≠ RACS(M)');
  });
}

/**
 * Law (spec §4.2(d)4 and 6, equivariance): RACS(P·M·Q) = P·RACS(M)·Q for signed permutations P, Q and
 * RACS(Mᵀ) = RACS(M)ᵀ, for 'sinkhorn' (1e-8) and 'oneshot' (1e-12; transposition exact up to the
 * summation order). (RACS is not orthogonally equivariant; the tests check that on a fixed example.)
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { racsEquivariance } from '@descent/optimizers/laws';
 * fc.check(racsEquivariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function racsEquivariance() {
  const cases = fullSupport().chain((m) =>
    fc.record({
      m: fc.constant(m),
      p: fc.shuffledSubarray([...Array(m.rows).keys()], { minLength: m.rows, maxLength: m.rows }),
      q: fc.shuffledSubarray([...Array(m.cols).keys()], { minLength: m.cols, maxLength: m.cols }),
      sp: fc.array(fc.constantFrom(-1, 1), { minLength: m.rows, maxLength: m.rows }),
      sq: fc.array(fc.constantFrom(-1, 1), { minLength: m.cols, maxLength: m.cols }),
    }),
  );
  // (P M Q)[i, j] = sp_i · M[p_i, q_j] · sq_j
  const permute = (a: Matrix, p: number[], q: number[], sp: number[], sq: number[]): Matrix => {
    const out = like(a);
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = sp[i]! * a.data[p[i]! * a.cols + q[j]!]! * sq[j]!;
    return out;
  };
  return fc.property(cases, ({ m, p, q, sp, sq }) => {
    for (const [f, tol] of [[sinkhorn, 1e-8], [oneshot, 1e-12]] as const) {
      if (maxAbsDiff(f(permute(m, p, q, sp, sq)).data, permute(f(m), p, q, sp, sq).data) > tol) fail('RACS(PMQ) ≠ P RACS(M) Q');
      if (maxAbsDiff(f(transposed(m)).data, transposed(f(m)).data) > tol) fail('RACS(Mᵀ) ≠ RACS(M)ᵀ');
    }
  });
}

/**
 * Law (spec §4.2(d)5, rank one): for M = a·bᵀ with all entries nonzero, RACS(M) = sign(a)·sign(b)ᵀ
 * ('sinkhorn'; tolerance 1e-12 — the balancing is exact after one iteration for rank one).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { racsRankOne } from '@descent/optimizers/laws';
 * fc.check(racsRankOne(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function racsRankOne() {
  const nz = fc.tuple(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.boolean()).map(([v, neg]) => (neg ? -v : v));
  const cases = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) =>
    fc.record({ a: fc.array(nz, { minLength: r, maxLength: r }), b: fc.array(nz, { minLength: c, maxLength: c }) }),
  );
  return fc.property(cases, ({ a, b }) => {
    const m = { rows: a.length, cols: b.length, data: new Float64Array(a.length * b.length) };
    for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) m.data[i * b.length + j] = a[i]! * b[j]!;
    const r = sinkhorn(m);
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b.length; j++) {
        const want = Math.sign(a[i]!) * Math.sign(b[j]!);
        if (Math.abs(r.data[i * b.length + j]! - want) > 1e-12) fail(`R[${i},${j}] = ${r.data[i * b.length + j]}, expected ${want}`);
      }
    }
  });
}

/**
 * Law (spec §4.2(d)7, R3 'gong' norm limiter): with REG's 'gong' RACS and no RMS normalisation (and
 * no momentum), the update norm grows by at most the factor γ per step: ‖u_t‖ ≤ γ·‖u_{t−1}‖.
 * Gradient entries are 0 or at least 1e-100 in magnitude (their squares must not underflow).
 * Tolerance: 1e-12 relative.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { regGongNormGrowth } from '@descent/optimizers/laws';
 * fc.check(regGongNormGrowth(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function regGongNormGrowth() {
  const runs = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 8 })).chain(([r, c, n]) =>
    fc.record({
      rows: fc.constant(r),
      cols: fc.constant(c),
      gamma: fc.constantFrom(1.01, 1.1, 2),
      // Entries 0 or ≥ 1e-100 in magnitude: the EMAs and norms square them, which must not underflow.
      grads: fc.array(fc.array(fc.oneof(fc.constant(0), fc.double({ min: -10, max: 10, noNaN: true }).filter((v) => Math.abs(v) >= 1e-100)), { minLength: r * c, maxLength: r * c }), { minLength: n, maxLength: n }),
    }),
  );
  return fc.property(runs, ({ rows, cols, gamma, grads }) => {
    const t = scaleByReg({ racs: 'gong', gongGamma: gamma, momentum: 0, nesterov: false, rmsNormalize: false });
    const x = new Float64Array(rows * cols);
    let s = t.init(x, [rows, cols]);
    let prev = NaN;
    for (const g of grads) {
      const r = applyTransform(t, Float64Array.from(g), s, x);
      let nrm = 0;
      for (const v of r.update) nrm += v * v;
      nrm = Math.sqrt(nrm);
      if (!Number.isNaN(prev) && prev > 0 && nrm > gamma * prev * (1 + 1e-12)) fail(`‖u_t‖ = ${nrm} > γ·‖u_{t−1}‖ = ${gamma * prev}`);
      if (nrm > 0) prev = nrm;
      s = r.state;
    }
  });
}
