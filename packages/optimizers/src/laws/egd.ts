import fc from 'fast-check';
import { gemm, key, svd, type Matrix } from '@descent/linalg';
import { egdDirectionInto, type EgdOptions } from '../egd.js';
import { fail, fromSpectrum, inner, like, maxAbsDiff, orthogonal, singularValues, spectralCases, transposed } from './matrices.js';

const egdOf = (g: Matrix, o: EgdOptions = {}, k?: ReturnType<typeof key>) => egdDirectionInto(g, like(g), o, k);

/**
 * Law (spec §2(d)1, unit spectrum): the singular values of EGD(G) are rank(G) ones and zeros
 * otherwise, so ‖EGD(G)‖_op = 1 and ‖EGD(G)‖_F² = rank(G). Matrices up to 6×6 with singular values in
 * [0.1, 10] and some exact zeros. Tolerance 1e-12 (SVD backward error ~ε·κ, κ ≤ 100).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdUnitSpectrum } from '@descent/optimizers/laws';
 * fc.check(egdUnitSpectrum(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdUnitSpectrum() {
  return fc.property(spectralCases({ allowZeros: true }), (c) => {
    const rank = c.s.filter((v) => v > 0).length;
    const s = singularValues(egdOf(fromSpectrum(c)));
    for (let i = 0; i < s.length; i++) {
      const want = i < rank ? 1 : 0;
      if (Math.abs(s[i]! - want) > 1e-12) fail(`σ_${i} = ${s[i]}, expected ${want} (rank ${rank})`);
    }
  });
}

/**
 * Law (spec §2(d)2, polar factor): ⟨G, EGD(G)⟩ = ‖G‖_* (nuclear norm), and no O with ‖O‖_op ≤ 1 does
 * better (checked against random orthogonal-times-contraction O). Tolerance 1e-12 relative.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdPolarFactor } from '@descent/optimizers/laws';
 * fc.check(egdPolarFactor(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdPolarFactor() {
  return fc.property(spectralCases({ allowZeros: true }), fc.integer({ min: 0, max: 1_000_000 }), (c, seed) => {
    const g = fromSpectrum(c);
    const nuclear = c.s.reduce((a, b) => a + b, 0);
    const got = inner(g.data, egdOf(g).data);
    if (Math.abs(got - nuclear) > 1e-12 * nuclear) fail(`⟨G, EGD(G)⟩ = ${got}, ‖G‖_* = ${nuclear}`);
    // A competitor with ‖O‖_op ≤ 1: P·EGD(G)·Q rotated arbitrarily.
    const o = gemm(gemm(orthogonal(c.rows, seed), egdOf(g)), orthogonal(c.cols, seed + 7));
    if (inner(g.data, o.data) > nuclear * (1 + 1e-12)) fail('a contraction beat the polar factor');
  });
}

/**
 * Law (spec §2(d)3, same singular vectors): with G = U S Vᵀ, U_rᵀ·EGD(G)·V_r = I_r. Tolerance 1e-11
 * (singular vectors of clustered σ are ill-determined individually, but the product is not).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdSameSingularVectors } from '@descent/optimizers/laws';
 * fc.check(egdSameSingularVectors(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdSameSingularVectors() {
  return fc.property(spectralCases({ allowZeros: true }), (c) => {
    const g = fromSpectrum(c);
    const f = svd(g);
    const r = f.rank;
    const e = gemm(gemm(f.u, egdOf(g), { transA: true }), f.v); // k×k
    const k = f.s.length;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        const want = i === j ? 1 : 0;
        if (Math.abs(e.data[i * k + j]! - want) > 1e-11) fail(`(Uᵀ EGD(G) V)[${i},${j}] = ${e.data[i * k + j]}`);
      }
    }
  });
}

/**
 * Law (spec §2(d)4, invariances): EGD(cG) = EGD(G) for c > 0, EGD(−G) = −EGD(G), EGD(Gᵀ) = EGD(G)ᵀ and
 * EGD(P·G·Q) = P·EGD(G)·Q for orthogonal P, Q. Full-rank G with σ ∈ [0.1, 10] (the polar factor's
 * condition number is ≤ 2/σ_min), tolerance 1e-11.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdInvariances } from '@descent/optimizers/laws';
 * fc.check(egdInvariances(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdInvariances() {
  return fc.property(spectralCases(), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.integer({ min: 0, max: 1_000_000 }), (c, scale, seed) => {
    const g = fromSpectrum(c);
    const e = egdOf(g);
    const scaled = egdOf({ ...g, data: g.data.map((v) => v * scale) });
    if (maxAbsDiff(scaled.data, e.data) > 1e-11) fail('EGD(cG) ≠ EGD(G)');
    const neg = egdOf({ ...g, data: g.data.map((v) => -v) });
    if (maxAbsDiff(neg.data, e.data.map((v) => -v)) > 1e-11) fail('EGD(−G) ≠ −EGD(G)');
    if (maxAbsDiff(egdOf(transposed(g)).data, transposed(e).data) > 1e-11) fail('EGD(Gᵀ) ≠ EGD(G)ᵀ');
    const p = orthogonal(c.rows, seed), q = orthogonal(c.cols, seed + 1);
    const lhs = egdOf(gemm(gemm(p, g), q));
    const rhs = gemm(gemm(p, e), q);
    if (maxAbsDiff(lhs.data, rhs.data) > 1e-11) fail('EGD(PGQ) ≠ P EGD(G) Q');
  });
}

/**
 * Law (spec §2(d)5, clamp semantics): the 'clamp' variant gives singular values min(1, σ_i/c), so
 * directions with σ below the clamp are not equalised: σ = 1e-8 with c = 1e-6 gives 1e-2. Tolerance
 * 1e-7 absolute (SVD error ≈ ε‖G‖ ≈ 1e-14, divided by c = 1e-6, is 1e-8).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdClampSemantics } from '@descent/optimizers/laws';
 * fc.check(egdClampSemantics(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdClampSemantics() {
  const cases = fc
    .tuple(spectralCases({ maxDim: 5, lo: 0.1, hi: 10 }), fc.constantFrom(1e-8, 5e-7, 2e-7, 1e-7))
    .filter(([c]) => c.s.length >= 2)
    .map(([c, small]) => ({ ...c, s: [...c.s.slice(0, -1), small] }));
  return fc.property(cases, (c) => {
    const out = singularValues(egdOf(fromSpectrum(c), { variant: 'clamp', clamp: 1e-6 }));
    const want = c.s.map((v) => Math.min(1, v / 1e-6)).sort((a, b) => b - a);
    for (let i = 0; i < want.length; i++) if (Math.abs(out[i]! - want[i]!) > 1e-7) fail(`σ_${i} = ${out[i]}, expected ${want[i]}`);
  });
}

/**
 * Law (spec §2(d)6, randomized SVD): the 'rsvd' variant of rank k has min(k, rank G) unit singular
 * values and the others near 0, and when k ≥ rank(G) it equals exact EGD. Tolerance: the sketch's
 * directions beyond the rank carry singular values S ≈ max(m, n)·ε·σ₀ (rounding), and the clamp keeps
 * them as S/c (c = 1e-6, spec §2(d)5), so the deviation is bounded by τ = 50·max(m, n)·ε·σ₀/c + 1e-12
 * (measured: 1.3e-9 for σ₀ ≈ 9; τ ≈ 6e-7 for σ₀ = 10 on 6×6).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdRandomizedSvd } from '@descent/optimizers/laws';
 * fc.check(egdRandomizedSvd(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdRandomizedSvd() {
  return fc.property(spectralCases({ allowZeros: true }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1_000_000 }), (c, k, seed) => {
    const g = fromSpectrum(c);
    const rank = c.s.filter((v) => v > 0).length;
    const kk = Math.min(k, c.rows, c.cols);
    const out = egdOf(g, { variant: 'rsvd', rank: k }, key(seed));
    const s = singularValues(out);
    const ones = Math.min(kk, rank);
    const tau = (50 * Math.max(c.rows, c.cols) * 2 ** -52 * c.s[0]!) / 1e-6 + 1e-12;
    for (let i = 0; i < s.length; i++) {
      const want = i < ones ? 1 : 0;
      if (Math.abs(s[i]! - want) > tau) fail(`σ_${i} = ${s[i]}, expected ${want} (k ${kk}, rank ${rank}, τ ${tau})`);
    }
    if (kk >= rank && maxAbsDiff(out.data, egdOf(g).data) > tau) fail(`rSVD with k ≥ rank differs from exact EGD by ${maxAbsDiff(out.data, egdOf(g).data)} > τ ${tau}`);
  });
}

/**
 * Law (spec §2(d)7, rank deficiency): the exact variant uses a true pseudo-inverse, so the null
 * directions of G map to 0: EGD(G)·v = 0 and uᵀ·EGD(G) = 0 for right/left null vectors (the parity
 * script's unclamped (U/s)·Uᵀ·G turns them into unit directions instead). Rank-deficient G of the
 * form A·B (inner dimension < min(m, n)); tolerance 1e-12.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { egdNullDirections } from '@descent/optimizers/laws';
 * fc.check(egdNullDirections(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function egdNullDirections() {
  const cases = spectralCases({ allowZeros: true }).filter((c) => c.s.some((v) => v === 0));
  return fc.property(cases, (c) => {
    const g = fromSpectrum(c);
    const e = egdOf(g);
    const f = svd(g);
    const k = f.s.length;
    const ev = gemm(e, f.v); // m×k: columns ≥ rank must vanish
    const ue = gemm(f.u, e, { transA: true }); // k×n: rows ≥ rank must vanish
    for (let r = f.rank; r < k; r++) {
      for (let i = 0; i < c.rows; i++) if (Math.abs(ev.data[i * k + r]!) > 1e-12) fail(`EGD(G)·v_${r} ≠ 0`);
      for (let j = 0; j < c.cols; j++) if (Math.abs(ue.data[r * c.cols + j]!) > 1e-12) fail(`u_${r}ᵀ·EGD(G) ≠ 0`);
    }
  });
}
