import fc from 'fast-check';
import { key, normal, split, type Matrix } from '@descent/linalg';
import { naturalGradient } from '../natural-gradient.js';
import { dampedFisherSolve, woodburyFisherSolve } from '../fisher-solve.js';
import { empiricalFisher, pullbackMetric, softmax, softmaxFisher, softmaxFisherDampedSolve, softmaxFisherPinvCrossEntropy } from '../fisher.js';

// Random well-conditioned test problems from a seed (our PRNG), so every law is reproducible from the
// counterexample fast-check prints.

/** F = BBᵀ/d + μI with B standard normal: SPD with smallest eigenvalue ≥ μ. */
function spd(seed: number, d: number, mu: number): Matrix {
  const b = normal(key(seed), d * d);
  const f = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += b[i * d + k]! * b[j * d + k]!;
      f[i * d + j] = s / d + (i === j ? mu : 0);
    }
  }
  return { rows: d, cols: d, data: f };
}

/** A strictly diagonally dominant (hence invertible, well-conditioned) matrix with random signs. */
function invertible(seed: number, d: number): Matrix {
  const b = normal(key(seed), d * d);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    let off = 0;
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      a[i * d + j] = b[i * d + j]! / d;
      off += Math.abs(a[i * d + j]!);
    }
    a[i * d + i] = (b[i * d + i]! >= 0 ? 1 : -1) * (off + 0.5 + Math.abs(b[i * d + i]!));
  }
  return { rows: d, cols: d, data: a };
}

function matVec(a: Matrix, x: Float64Array, transpose = false): Float64Array {
  const out = new Float64Array(transpose ? a.cols : a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      if (transpose) out[j] += a.data[i * a.cols + j]! * x[i]!;
      else out[i] += a.data[i * a.cols + j]! * x[j]!;
    }
  }
  return out;
}

/** AᵀFA. */
function congruence(f: Matrix, a: Matrix): Matrix {
  return pullbackMetric(a, f);
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

function diffNorm(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2;
  return Math.sqrt(s);
}

function quad(f: Matrix, x: Float64Array): number {
  const fx = matVec(f, x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * fx[i]!;
  return s;
}

function denseStep(fisher: Matrix, g: Float64Array, lr: number, damping: number, metric?: Matrix): Float64Array {
  const s0 = naturalGradient.init({ fisher: 'dense', lr, damping, ...(metric ? { dampingMetric: metric } : {}) }, new Float64Array(g.length));
  return naturalGradient.step(s0, { grad: g, fisher }).x;
}

const problem = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  lr: fc.double({ min: 0.01, max: 2, noNaN: true }),
});

/**
 * Reparameterisation invariance of the undamped natural gradient (spec §6(d)1). For θ = Aφ with A
 * invertible, g_φ = Aᵀg_θ and F_φ = AᵀF_θA, so A·Δφ = Δθ exactly in exact arithmetic. Checked on
 * random SPD F (eigenvalues ≥ 0.1) and diagonally dominant A (d ≤ 6) to
 * ‖AΔφ − Δθ‖ ≤ 1e-9·(1 + ‖Δθ‖): the condition numbers are ≤ ~1e3, so rounding stays near 1e-12.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawNaturalGradientReparameterisationInvariance(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawNaturalGradientReparameterisationInvariance(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }]> {
  return fc.property(problem, ({ d, seed, lr }) => {
    const [k1, k2, k3] = split(key(seed), 3);
    const f = spd(k1![0], d, 0.1);
    const a = invertible(k2![0], d);
    const g = normal(k3!, d);
    const dTheta = denseStep(f, g, lr, 0);
    const dPhi = denseStep(congruence(f, a), matVec(a, g, true), lr, 0);
    return diffNorm(matVec(a, dPhi), dTheta) <= 1e-9 * (1 + norm(dTheta));
  });
}

/**
 * Reparameterisation-consistent damping (spec §6(d)1). Damping θ with λI and φ with λAᵀA
 * ({@link pullbackMetric}) keeps A·Δφ = Δθ for every λ > 0. Same problems and tolerance as
 * {@link lawNaturalGradientReparameterisationInvariance}, with λ ∈ [1e-3, 10].
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawConsistentDampingInvariance(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawConsistentDampingInvariance(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number]> {
  return fc.property(problem, fc.double({ min: 1e-3, max: 10, noNaN: true }), ({ d, seed, lr }, lambda) => {
    const [k1, k2, k3] = split(key(seed), 3);
    const f = spd(k1![0], d, 0.1);
    const a = invertible(k2![0], d);
    const g = normal(k3!, d);
    const dTheta = denseStep(f, g, lr, lambda);
    const dPhi = denseStep(congruence(f, a), matVec(a, g, true), lr, lambda, pullbackMetric(a));
    return diffNorm(matVec(a, dPhi), dTheta) <= 1e-9 * (1 + norm(dTheta));
  });
}

/**
 * Plain λI damping is NOT reparameterisation invariant (spec §6(d)1, the negative case). For A = cI:
 * AΔφ − Δθ = −η(F + λ/c²)⁻¹(λ − λ/c²)(F + λ)⁻¹g, whose norm is at least
 * η·λ(1 − 1/c²)‖g‖/(‖F‖_F + λ)². The law asserts the computed mismatch exceeds half that bound
 * (rounding is ~1e-15 relative, far below it), for c ∈ [2, 4], λ ∈ [0.1, 10], ‖g‖ > 0.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawPlainDampingNotInvariant(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawPlainDampingNotInvariant(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number, number]> {
  return fc.property(problem, fc.double({ min: 2, max: 4, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), ({ d, seed, lr }, c, lambda) => {
    const [k1, k3] = split(key(seed), 2);
    const f = spd(k1![0], d, 0.1);
    const a: Matrix = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let i = 0; i < d; i++) a.data[i * d + i] = c;
    const g = normal(k3!, d);
    const dTheta = denseStep(f, g, lr, lambda);
    const dPhi = denseStep(congruence(f, a), matVec(a, g, true), lr, lambda);
    const fro = norm(f.data);
    const bound = (lr * lambda * (1 - 1 / (c * c)) * norm(g)) / (fro + lambda) ** 2;
    return diffNorm(matVec(a, dPhi), dTheta) >= 0.5 * bound;
  });
}

/**
 * The diagonal EMA Fisher is invariant under diagonal reparameterisations θ = a⊙φ when the damping
 * is transformed consistently (metric a⊙a): over a sequence of gradients g_θ (and g_φ = a⊙g_θ),
 * a⊙x_φ(t) = x_θ(t) for every step, to 1e-10·(1 + ‖x_θ‖). (For non-diagonal A it fails; spec §6(d)1.)
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawDiagonalFisherDiagonalInvariance(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawDiagonalFisherDiagonalInvariance(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number]> {
  return fc.property(problem, fc.integer({ min: 1, max: 8 }), ({ d, seed, lr }, steps) => {
    const [ka, kg] = split(key(seed), 2);
    const araw = normal(ka!, d);
    const a = new Float64Array(d);
    for (let i = 0; i < d; i++) a[i] = (araw[i]! >= 0 ? 1 : -1) * (0.25 + Math.abs(araw[i]!));
    const a2 = new Float64Array(d);
    for (let i = 0; i < d; i++) a2[i] = a[i]! * a[i]!;
    const x0 = new Float64Array(d);
    let st = naturalGradient.init({ fisher: 'diagonal', lr, damping: 0.05, emaDecay: 0.9 }, x0);
    let sp = naturalGradient.init({ fisher: 'diagonal', lr, damping: 0.05, emaDecay: 0.9, dampingMetric: a2 }, x0);
    for (let t = 0; t < steps; t++) {
      const g = normal(foldSeed(kg!, t), d);
      const gp = new Float64Array(d);
      for (let i = 0; i < d; i++) gp[i] = a[i]! * g[i]!;
      st = naturalGradient.step(st, g);
      sp = naturalGradient.step(sp, gp);
      for (let i = 0; i < d; i++) {
        if (Math.abs(a[i]! * sp.x[i]! - st.x[i]!) > 1e-10 * (1 + norm(st.x))) return false;
      }
    }
    return true;
  });
}

function foldSeed(k: readonly [number, number], t: number): readonly [number, number] {
  return split(k, t + 1)[t]!;
}

/**
 * Minimum Fisher-norm among steps with the same first-order decrease (spec §6(d)2). For every δ with
 * ⟨g, δ⟩ = ⟨g, δ_ng⟩, δ_ngᵀGδ_ng ≤ δᵀGδ, where G = F + λI is the metric the step uses and
 * δ_ng = −ηG⁻¹g (Cauchy–Schwarz in the G-metric). Checked with relative slack 1e-10.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawNaturalGradientMinimumNorm(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawNaturalGradientMinimumNorm(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number]> {
  return fc.property(problem, fc.double({ min: 0, max: 1, noNaN: true }), ({ d, seed, lr }, lambda) => {
    const [k1, k2, k3] = split(key(seed), 3);
    const f = spd(k1![0], d, 0.1);
    const g = normal(k2!, d);
    const v = normal(k3!, d);
    const dng = denseStep(f, g, lr, lambda);
    // Remove v's component along g so that ⟨g, δ⟩ = ⟨g, δ_ng⟩.
    let gv = 0;
    let gg = 0;
    for (let i = 0; i < d; i++) {
      gv += g[i]! * v[i]!;
      gg += g[i]! * g[i]!;
    }
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) delta[i] = dng[i]! + v[i]! - (g[i]! * gv) / gg;
    const gm: Matrix = { rows: d, cols: d, data: new Float64Array(f.data) };
    for (let i = 0; i < d; i++) gm.data[i * d + i] += lambda;
    const qng = quad(gm, dng);
    return qng <= quad(gm, delta) + 1e-10 * (1 + qng);
  });
}

/**
 * F = I reduces natural gradient to SGD with learning rate η/(1+λ) (spec §6(d)3):
 * x' = x − η/(1+λ)·g, to 1e-14·(1 + |x| + η|g|) per coordinate.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawIdentityFisherIsSgd(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawIdentityFisherIsSgd(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number]> {
  return fc.property(problem, fc.double({ min: 0, max: 10, noNaN: true }), ({ d, seed, lr }, lambda) => {
    const [kx, kg] = split(key(seed), 2);
    const x0 = normal(kx!, d);
    const g = normal(kg!, d);
    const eye: Matrix = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let i = 0; i < d; i++) eye.data[i * d + i] = 1;
    const s = naturalGradient.step(naturalGradient.init({ fisher: 'dense', lr, damping: lambda }, x0), { grad: g, fisher: eye });
    for (let i = 0; i < d; i++) {
      const want = x0[i]! - (lr / (1 + lambda)) * g[i]!;
      if (Math.abs(s.x[i]! - want) > 1e-14 * (1 + Math.abs(x0[i]!) + lr * Math.abs(g[i]!))) return false;
    }
    return true;
  });
}

/**
 * Large damping tends to SGD (spec §6(d)3): with η = λη₀, the step −λη₀(F+λI)⁻¹g differs from the
 * SGD step −η₀g by η₀(F+λI)⁻¹Fg, of norm ≤ η₀‖F‖_F‖g‖/λ. Checked for λ ∈ [1, 1e6] with slack
 * 1e-12·η₀‖g‖ for rounding.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawLargeDampingIsSgd(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawLargeDampingIsSgd(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number]> {
  return fc.property(problem, fc.double({ min: 1, max: 1e6, noNaN: true }), ({ d, seed, lr }, lambda) => {
    const [k1, k2] = split(key(seed), 2);
    const f = spd(k1![0], d, 0);
    const g = normal(k2!, d);
    const step = denseStep(f, g, lr * lambda, lambda);
    const sgdStep = new Float64Array(d);
    for (let i = 0; i < d; i++) sgdStep[i] = -lr * g[i]!;
    return diffNorm(step, sgdStep) <= (lr * norm(f.data) * norm(g)) / lambda + 1e-12 * lr * norm(g);
  });
}

/**
 * Woodbury equals the dense solve (spec §6(d)4): for per-sample gradients Γ (N×d, N < d) and λ > 0,
 * (g − Γᵀ(NλI + ΓΓᵀ)⁻¹Γg)/λ = (ΓᵀΓ/N + λI)⁻¹g, to 1e-8·(1 + ‖x‖) with λ ∈ [1e-2, 10]
 * (condition number ≤ ~1e4 with these sizes).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawWoodburyEqualsDense(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawWoodburyEqualsDense(): fc.IPropertyWithHooks<[number, number, number, number]> {
  return fc.property(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 10 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.double({ min: 1e-2, max: 10, noNaN: true }),
    (n, extra, seed, lambda) => {
      const d = n + extra;
      const [k1, k2] = split(key(seed), 2);
      const gamma: Matrix = { rows: n, cols: d, data: normal(k1!, n * d) };
      const g = normal(k2!, d);
      const xw = woodburyFisherSolve(gamma, g, lambda);
      const xd = dampedFisherSolve(empiricalFisher(gamma), g, lambda);
      return diffNorm(xw, xd) <= 1e-8 * (1 + norm(xd));
    },
  );
}

/**
 * The softmax Fisher in closed form (spec §6(d)6): for F = diag(p) − ppᵀ, F·1 = 0; for the
 * cross-entropy gradient g = p − e_y, v = −(e_y − 1/K)/p_y solves Fv = g and 1ᵀv = 0, so v = F⁺g.
 * Logits in [−4, 4] (p_y ≥ e^{−8}/K) keep everything within 1e-12·(1 + ‖v‖) of exact. Also checks the
 * O(K) damped solve against the dense Cholesky solve (1e-10 relative).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawSoftmaxFisherClosedForm(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawSoftmaxFisherClosedForm(): fc.IPropertyWithHooks<[number[], number, number]> {
  return fc.property(
    fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 2, maxLength: 8 }),
    fc.nat(),
    fc.double({ min: 1e-3, max: 10, noNaN: true }),
    (logits, yRaw, lambda) => {
      const k = logits.length;
      const y = yRaw % k;
      const p = softmax(Float64Array.from(logits));
      const f = softmaxFisher(p);
      const ones = new Float64Array(k).fill(1);
      if (norm(matVec(f, ones)) > 1e-15 * k) return false;
      const g = new Float64Array(p);
      g[y] -= 1;
      const v = softmaxFisherPinvCrossEntropy(p, y);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += v[j]!;
      if (Math.abs(sum) > 1e-12 * (1 + norm(v))) return false;
      if (diffNorm(matVec(f, v), g) > 1e-12 * (1 + norm(v))) return false;
      const xs = softmaxFisherDampedSolve(p, g, lambda);
      const xd = dampedFisherSolve(f, g, lambda);
      return diffNorm(xs, xd) <= 1e-10 * (1 + norm(xd));
    },
  );
}

/**
 * The KL trust-region step (spec §6(b)): δ = −√(2κ/(gᵀG⁻¹g))·G⁻¹g with G = F + λI satisfies
 * ½δᵀGδ = κ (relative 1e-10) and no point δ' on that ellipsoid has a smaller ⟨g, δ'⟩ (slack 1e-10
 * relative), checked against a random boundary point.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawKlTrustRegion(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawKlTrustRegion(): fc.IPropertyWithHooks<[{ d: number; seed: number; lr: number }, number, number]> {
  return fc.property(problem, fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ({ d, seed }, kl, lambda) => {
    const [k1, k2, k3] = split(key(seed), 3);
    const f = spd(k1![0], d, 0.1);
    const g = normal(k2!, d);
    const s = naturalGradient.step(naturalGradient.init({ fisher: 'dense', kl, damping: lambda }, new Float64Array(d)), { grad: g, fisher: f });
    const delta = s.x;
    const gm: Matrix = { rows: d, cols: d, data: new Float64Array(f.data) };
    for (let i = 0; i < d; i++) gm.data[i * d + i] += lambda;
    if (Math.abs(0.5 * quad(gm, delta) - kl) > 1e-10 * kl) return false;
    const v = normal(k3!, d);
    const scale = Math.sqrt((2 * kl) / quad(gm, v));
    let gd = 0;
    let gv = 0;
    for (let i = 0; i < d; i++) {
      gd += g[i]! * delta[i]!;
      gv += g[i]! * v[i]! * scale;
    }
    return gd <= gv + 1e-10 * (Math.abs(gd) + Math.abs(gv));
  });
}
