import fc from 'fast-check';
import type { Matrix } from '../matrix.js';
import { svd } from '../decompositions/svd.js';
import { polar } from '../matfun/polar.js';
import { newtonSchulz, MUON_COEFFICIENTS } from '../matfun/newton-schulz.js';
import { racs } from '../matfun/racs.js';
import { woodburySolve } from '../matfun/woodbury.js';
import { solve } from '../decompositions/lu.js';
import { gram } from '../kernels/gram.js';
import { dot, norm2 } from '../kernels/vector.js';
import { normal, key } from '../random.js';
import { gaussianMatrix, matrixWithSpectrum, rankDeficientMatrix } from './arbitraries.js';
import { maxAbs, maxAbsDiff, usv } from './helpers.js';

const EPS = 2 ** -52;

/**
 * The polar factor has rank(G) singular values equal to 1 and the rest 0 (within 1e-10), and
 * ⟨G, polar(G)⟩ = ‖G‖_* (relative 1e-12): it maximises ⟨G, O⟩ over ‖O‖_op ≤ 1. Holds for
 * rank-deficient G because null directions are dropped, not inverted.
 *
 * @example
 * ```ts
 * fc.check(polarIsPartialIsometry(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function polarIsPartialIsometry(arb: fc.Arbitrary<Matrix> = fc.oneof(gaussianMatrix(), rankDeficientMatrix())): fc.IPropertyWithHooks<[Matrix]> {
  return fc.property(arb, (g) => {
    const f = svd(g);
    const p = polar(g);
    const sp = svd(p).s;
    for (let i = 0; i < sp.length; i++) {
      const want = i < f.rank ? 1 : 0;
      if (Math.abs(sp[i]! - want) > 1e-10) return false;
    }
    let nuclear = 0;
    for (let i = 0; i < f.rank; i++) nuclear += f.s[i]!;
    return Math.abs(dot(g.data, p.data) - nuclear) <= 1e-12 * Math.max(nuclear, 1e-300) + 1e-300;
  });
}

/** p∘…∘p (steps times) with p(x) = ax + bx³ + cx⁵. */
function quinticIterate(x: number, steps: number, coefficients: readonly [number, number, number]): number {
  const [a, b, c] = coefficients;
  for (let i = 0; i < steps; i++) {
    const x2 = x * x;
    x = a * x + b * x2 * x + c * x2 * x2 * x;
  }
  return x;
}

/**
 * Newton–Schulz acts on singular values only: NS(G) = U·f(S/(‖G‖_F + eps))·Vᵀ, f the `steps`-fold
 * quintic, to 1e-10·max(1, ‖NS(G)‖_max) (odd matrix polynomials keep singular vectors; the tolerance
 * covers round-off amplified by the a⁵ ≈ 485 gain on tiny σ).
 *
 * @example
 * ```ts
 * fc.check(newtonSchulzIsSpectral(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function newtonSchulzIsSpectral(arb: fc.Arbitrary<Matrix> = gaussianMatrix({ maxRows: 10, maxCols: 10 })): fc.IPropertyWithHooks<[Matrix]> {
  return fc.property(arb, (g) => {
    const eps = 1e-7;
    const out = newtonSchulz(g, { eps });
    const f = svd(g);
    const denom = norm2(g.data) + eps;
    const fs = Array.from(f.s, (s) => quinticIterate(s / denom, 5, MUON_COEFFICIENTS));
    const want = usv(f.u, fs, f.v);
    return maxAbsDiff(out.data, want.data) <= 1e-10 * Math.max(1, maxAbs(want.data));
  });
}

/**
 * With Muon's coefficients and 5 steps, every output singular value lies in [0.68, 1.21] when every
 * normalised singular value σᵢ/‖G‖_F is ≥ 2e-3 (the quintic's 5-fold iterate maps [2e-3, 1] into
 * [0.6818, 1.2024]); zero singular values stay zero, so the rank is preserved.
 *
 * @example
 * ```ts
 * fc.check(newtonSchulzBand(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function newtonSchulzBand(): fc.IPropertyWithHooks<[{ matrix: Matrix; sigma: Float64Array }]> {
  return fc.property(matrixWithSpectrum({ maxRows: 10, maxCols: 10, minSigma: 0.02, maxSigma: 1 }), ({ matrix, sigma }) => {
    const fro = Math.sqrt(sigma.reduce((s, v) => s + v * v, 0));
    if (sigma.some((s) => s / fro < 2e-3)) return true; // outside the law's hypothesis
    const s = svd(newtonSchulz(matrix)).s;
    return s.every((v) => v >= 0.68 && v <= 1.21);
  });
}

/**
 * RACS-sinkhorn balances: every row norm of R is √cols and every column norm √rows (relative 1e-8), R
 * keeps the sign pattern of M, and R is invariant under positive diagonal scalings D₁·M·D₂ (relative
 * 1e-8 of ‖R‖_max). Inputs are Gaussian, hence of full support almost surely.
 *
 * @example
 * ```ts
 * fc.check(racsBalances(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function racsBalances(): fc.IPropertyWithHooks<[Matrix, number]> {
  return fc.property(gaussianMatrix({ maxRows: 9, maxCols: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (m, seed) => {
    const r = racs(m);
    const { rows: A, cols: B } = m;
    for (let i = 0; i < A; i++) {
      if (Math.abs(norm2(r.data.subarray(i * B, (i + 1) * B)) / Math.sqrt(B) - 1) > 1e-8) return false;
    }
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let i = 0; i < A; i++) s += r.data[i * B + j]! ** 2;
      if (Math.abs(Math.sqrt(s) / Math.sqrt(A) - 1) > 1e-8) return false;
    }
    for (let k = 0; k < m.data.length; k++) if (Math.sign(r.data[k]!) !== Math.sign(m.data[k]!)) return false;
    const d = normal(key(seed), A + B);
    const scaled = { rows: A, cols: B, data: new Float64Array(A * B) };
    for (let i = 0; i < A; i++) for (let j = 0; j < B; j++) scaled.data[i * B + j] = Math.exp(d[i]!) * m.data[i * B + j]! * Math.exp(d[A + j]!);
    return maxAbsDiff(racs(scaled).data, r.data) <= 1e-8 * maxAbs(r.data);
  });
}

/**
 * Woodbury equals the dense solve: x from {@link woodburySolve} agrees with the dense LU solve of
 * (ΓᵀΓ/N + λI)·x = g to 64·d·κ·ε relative to ‖x‖_max, where κ = (σ_max(Γ)²/N + λ)/λ is the system's
 * condition number. Both solvers are backward stable, so each is within ~κ·ε of the truth; the
 * Woodbury form's cancellation (g − Γᵀz when λ ≪ ‖Γ‖²/N) is exactly that κ·ε, not worse.
 *
 * @example
 * ```ts
 * fc.check(woodburyMatchesDense(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function woodburyMatchesDense(): fc.IPropertyWithHooks<[Matrix, number, number]> {
  return fc.property(
    gaussianMatrix({ maxRows: 6, maxCols: 14 }),
    fc.double({ min: 1e-2, max: 10, noNaN: true }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    (gamma, lambda, seed) => {
      const g = normal(key(seed), gamma.cols);
      const x = woodburySolve(gamma, g, lambda);
      const f = gram(gamma);
      for (let i = 0; i < f.data.length; i++) f.data[i] /= gamma.rows;
      for (let i = 0; i < gamma.cols; i++) f.data[i * gamma.cols + i] += lambda;
      const dense = solve(f, g);
      const smax = svd(gamma).s[0]!;
      const kappa = (smax * smax / gamma.rows + lambda) / lambda;
      return maxAbsDiff(x, dense) <= 64 * gamma.cols * kappa * EPS * Math.max(maxAbs(dense), EPS);
    },
  );
}
