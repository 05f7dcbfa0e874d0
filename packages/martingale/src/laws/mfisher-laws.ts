import fc from 'fast-check';
import { eigh, gemv, pinv, solve, type Matrix } from '@descent/linalg';
import { promptFisher, promptKl, promptLoss, type SoftmaxPromptModel } from '../softmax-prompt.js';

/** One generated softmax-prompt problem: model, prompt, samples and a direction. */
export interface PromptCase {
  model: SoftmaxPromptModel;
  pi: Float64Array;
  X: Matrix;
  v: Float64Array;
}

// Values on a 1/256 grid in [-m, m]: generic enough, without the denormals and exact zeros that make
// every matrix degenerate.
const coord = (m: number) => fc.integer({ min: -256, max: 256 }).map((i) => (i / 256) * m);

/**
 * Arbitrary softmax-prompt problems: K ∈ [2, 4] classes, d ∈ [1, 3] features (≤ K - 1 for input
 * prompts), N ∈ [1, 6] samples,
 * an input or bias prompt, a prompt value and a direction `v` of the prompt's dimension.
 *
 * @example
 * ```ts
 * fc.sample(promptCaseArb(), 1)[0].X.cols >= 1;
 * // true
 * ```
 */
export function promptCaseArb(prompt?: 'input' | 'bias'): fc.Arbitrary<PromptCase> {
  return fc
    .record({ K: fc.integer({ min: 2, max: 4 }), d0: fc.integer({ min: 1, max: 3 }), N: fc.integer({ min: 1, max: 6 }), kind: prompt ? fc.constant(prompt) : fc.constantFrom<'input' | 'bias'>('input', 'bias') })
    .chain(({ K, d0, N, kind }) => {
      // An input prompt's Fisher WᵀĀW has rank ≤ K - 1: keep d ≤ K - 1 so it can be nonsingular.
      const d = kind === 'input' ? Math.min(d0, K - 1) : d0;
      const dim = kind === 'input' ? d : K;
      return fc.record({
        W: fc.array(coord(2), { minLength: K * d, maxLength: K * d }),
        b: fc.array(coord(1), { minLength: K, maxLength: K }),
        X: fc.array(coord(2), { minLength: N * d, maxLength: N * d }),
        pi: fc.array(coord(1), { minLength: dim, maxLength: dim }),
        v: fc.array(coord(1), { minLength: dim, maxLength: dim }),
      }).map((r) => ({
        model: { W: { rows: K, cols: d, data: Float64Array.from(r.W) }, b: Float64Array.from(r.b), prompt: kind },
        pi: Float64Array.from(r.pi),
        X: { rows: N, cols: d, data: Float64Array.from(r.X) },
        v: Float64Array.from(r.v),
      }));
    });
}

function quad(F: Matrix, v: Float64Array): number {
  const Fv = gemv(F, v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * Fv[i]!;
  return s;
}

/**
 * Theorem (spec (e) 1): the Fisher is the Hessian of the KL at δ = 0, so
 * `mean KL(p_π || p_{π+sδ}) / (½ s² δᵀFδ) → 1` as s → 0. Checked for unit δ at s = 1e-3 with
 * `|ratio - 1| < 1e-2` when δᵀFδ > 1e-4 (the next term is O(s)).
 *
 * @example
 * ```ts
 * fc.check(klIsHalfFisherQuadratic(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function klIsHalfFisherQuadratic() {
  return fc.property(promptCaseArb(), ({ model, pi, X, v }) => {
    const F = promptFisher(model, pi, X);
    let vv = 0;
    for (const x of v) vv += x * x;
    fc.pre(vv > 1e-2);
    const u = Float64Array.from(v, (x) => x / Math.sqrt(vv)); // unit direction
    const s = 1e-3;
    const q = 0.5 * s * s * quad(F, u);
    fc.pre(q > 1e-4 * s * s);
    const pi2 = Float64Array.from(pi, (x, i) => x + s * u[i]!);
    return Math.abs(promptKl(model, pi, pi2, X) / q - 1) < 1e-2;
  });
}

/**
 * Theorem (spec (e) 5): the prompt Fisher is symmetric positive semi-definite; for a bias prompt it
 * annihilates the all-ones vector (softmax is shift-invariant), the loss gradient sums to zero, and the
 * damped natural step `(F + γI)⁻¹g` is orthogonal to 1. Tolerances 1e-12 (relative to ‖F‖, ‖g‖).
 *
 * @example
 * ```ts
 * fc.check(fisherIsSymmetricPsd(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function fisherIsSymmetricPsd() {
  return fc.property(promptCaseArb(), fc.constantFrom<'entropy' | 'infomax'>('entropy', 'infomax'), ({ model, pi, X }, loss) => {
    const F = promptFisher(model, pi, X);
    const n = F.rows;
    let norm = 0;
    for (const x of F.data) norm = Math.max(norm, Math.abs(x));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (F.data[i * n + j] !== F.data[j * n + i]) return false;
    if (eigh(F).values[0]! < -1e-12 * Math.max(1, norm)) return false;
    if (model.prompt === 'bias') {
      const ones = new Float64Array(n).fill(1);
      if (gemv(F, ones).some((x) => Math.abs(x) > 1e-12 * Math.max(1, norm))) return false;
      const { grad } = promptLoss(model, pi, X, loss);
      let gs = 0;
      let gn = 0;
      for (const x of grad) {
        gs += x;
        gn = Math.max(gn, Math.abs(x));
      }
      if (Math.abs(gs) > 1e-12 * Math.max(1, gn)) return false;
      const damped = { rows: n, cols: n, data: Float64Array.from(F.data, (x, k) => x + (k % (n + 1) === 0 ? 1e-3 : 0)) };
      const step = solve(damped, grad);
      let ss = 0;
      let sn = 0;
      for (const x of step) {
        ss += x;
        sn = Math.max(sn, Math.abs(x));
      }
      if (Math.abs(ss) > 1e-9 * Math.max(1, sn)) return false;
    }
    return true;
  });
}

/**
 * Theorem (spec (e) 2): the undamped natural step is invariant under a linear reparameterisation
 * π = Aψ: with `g_ψ = Aᵀg` and `F_ψ = AᵀFA`, `A F_ψ⁻¹ g_ψ = F⁻¹ g`. Checked for input prompts with a
 * well-conditioned F and A = the direction-dependent matrix I + v 1ᵀ/2 (invertible when 1 + Σv/2 ≠ 0),
 * relative error < 1e-6.
 *
 * @example
 * ```ts
 * fc.check(naturalStepIsReparameterisationInvariant(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function naturalStepIsReparameterisationInvariant() {
  return fc.property(promptCaseArb('input'), ({ model, pi, X, v }) => {
    const F = promptFisher(model, pi, X);
    const n = F.rows;
    const ev = eigh(F).values;
    fc.pre(ev[0]! > 1e-3 * Math.max(1e-300, ev[n - 1]!) && ev[0]! > 1e-8);
    let sv = 0;
    for (const x of v) sv += x;
    fc.pre(Math.abs(1 + sv / 2) > 0.2);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = (i === j ? 1 : 0) + v[i]! / 2;
    const Am: Matrix = { rows: n, cols: n, data: A };
    const { grad } = promptLoss(model, pi, X, 'infomax');
    const dpi = solve(F, grad);
    // g_ψ = Aᵀg, F_ψ = AᵀFA
    const gpsi = new Float64Array(n);
    const Fpsi = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) gpsi[i] += A[k * n + i]! * grad[k]!;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += A[k * n + i]! * F.data[k * n + l]! * A[l * n + j]!;
        Fpsi[i * n + j] = s;
      }
    const dpsi = solve({ rows: n, cols: n, data: Fpsi }, gpsi);
    const back = gemv(Am, dpsi);
    let err = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      err = Math.max(err, Math.abs(back[i]! - dpi[i]!));
      scale = Math.max(scale, Math.abs(dpi[i]!));
    }
    return err <= 1e-6 * Math.max(scale, 1e-12);
  });
}

/**
 * Theorem (spec (e) 3): among steps with the same Fisher length ½δᵀFδ = κ, the natural step
 * `δ* = -√(2κ / gᵀF⁻¹g) F⁻¹g` has the largest first-order decrease `-gᵀδ` (Cauchy–Schwarz in the F
 * metric). Checked against the direction v rescaled to the same κ (input prompts, F positive definite;
 * tolerance 1e-9 relative).
 *
 * @example
 * ```ts
 * fc.check(naturalStepIsSteepestInFisherMetric(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function naturalStepIsSteepestInFisherMetric() {
  return fc.property(promptCaseArb('input'), ({ model, pi, X, v }) => {
    const F = promptFisher(model, pi, X);
    const ev = eigh(F).values;
    fc.pre(ev[0]! > 1e-8);
    const { grad } = promptLoss(model, pi, X, 'infomax');
    const nat = solve(F, grad);
    let gn = 0;
    for (let i = 0; i < grad.length; i++) gn += grad[i]! * nat[i]!;
    fc.pre(gn > 1e-16);
    const kappa = 1e-2;
    const decNat = Math.sqrt(2 * kappa * gn); // -gᵀδ* = √(2κ gᵀF⁻¹g)
    const qv = quad(F, v);
    fc.pre(qv > 1e-12);
    const c = Math.sqrt((2 * kappa) / qv);
    let decV = 0;
    for (let i = 0; i < v.length; i++) decV -= grad[i]! * c * v[i]!;
    return decV <= decNat * (1 + 1e-9) + 1e-15;
  });
}

/**
 * Theorem (spec (e) 4): the damped natural step is a descent direction, so the loss decreases for a
 * small step: `L(π - η (F + γI)⁻¹ g) < L(π)` with η = 1e-4, γ = 1e-3, whenever ‖g‖ > 1e-6.
 *
 * @example
 * ```ts
 * fc.check(lossDecreasesForSmallNaturalStep(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lossDecreasesForSmallNaturalStep() {
  return fc.property(promptCaseArb(), fc.constantFrom<'entropy' | 'infomax'>('entropy', 'infomax'), ({ model, pi, X }, loss) => {
    const { value, grad } = promptLoss(model, pi, X, loss);
    let gg = 0;
    for (const x of grad) gg += x * x;
    fc.pre(Math.sqrt(gg) > 1e-6);
    const F = promptFisher(model, pi, X);
    const n = F.rows;
    const damped = { rows: n, cols: n, data: Float64Array.from(F.data, (x, k) => x + (k % (n + 1) === 0 ? 1e-3 : 0)) };
    const dir = solve(damped, grad);
    let gd = 0;
    for (let i = 0; i < n; i++) gd += grad[i]! * dir[i]!;
    const eta = Math.min(1e-4, 1e-6 / Math.sqrt(gd)); // keep the step in the first-order regime
    const next = promptLoss(model, Float64Array.from(pi, (x, i) => x - eta * dir[i]!), X, loss).value;
    return next < value;
  });
}

/**
 * Closed form (spec (e)): one example, bias prompt, entropy loss: `F⁺g = -(log p - mean(log p) 1)`, so
 * the natural-gradient step is `π ← π + η (log p - mean log p)`. Checked with the SVD pseudo-inverse,
 * tolerance 1e-6 relative (p > 3e-4 so the nonzero spectrum of F is well resolved).
 *
 * @example
 * ```ts
 * fc.check(biasEntropyClosedForm(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function biasEntropyClosedForm() {
  return fc.property(promptCaseArb('bias'), ({ model, pi, X }) => {
    const x1: Matrix = { rows: 1, cols: X.cols, data: X.data.slice(0, X.cols) };
    const F = promptFisher(model, pi, x1);
    const { grad } = promptLoss(model, pi, x1, 'entropy');
    const K = F.rows;
    const P = new Float64Array(K);
    // p from the logits directly
    let m = -Infinity;
    const z = new Float64Array(K);
    for (let a = 0; a < K; a++) {
      let s = model.b[a]! + pi[a]!;
      for (let c = 0; c < X.cols; c++) s += model.W.data[a * X.cols + c]! * x1.data[c]!;
      z[a] = s;
      m = Math.max(m, s);
    }
    let tot = 0;
    for (let a = 0; a < K; a++) tot += (P[a] = Math.exp(z[a]! - m));
    const lp = Float64Array.from(P, (p) => Math.log(p / tot));
    fc.pre(lp.every((v) => v > -8)); // p > 3e-4: F's nonzero spectrum stays far above rounding
    const mean = lp.reduce((a, b) => a + b, 0) / K;
    const nat = gemv(pinv(F, { rcond: 1e-10 }), grad); // F·1 = 0 exactly in theory, ~1e-17 in floating point
    let err = 0;
    let scale = 0;
    for (let a = 0; a < K; a++) {
      err = Math.max(err, Math.abs(nat[a]! + (lp[a]! - mean)));
      scale = Math.max(scale, Math.abs(lp[a]! - mean));
    }
    return err <= 1e-6 * Math.max(1, scale);
  });
}
