import { assertKnownKeys, assertSize, configKeys, DescentError, describeValue } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import { normalCdf, normalPpf } from './normal.js';

/** An atom of the measure dg̃: g̃ jumps by `mass` at level `u` (g jumps at survival probability 1 − u). */
export interface Jump {
  readonly u: number;
  readonly mass: number;
}

/**
 * A distortion function as a value. Convention (loss, upper tail): `g` distorts the survival
 * probability s = P(X > x), and ρ_g(X) = ∫ F^{-1}(u) dg̃(u) with the dual g̃(u) = 1 − g(1 − u), which
 * is right-continuous at its jumps. Concave g ⇔ the measure is coherent (Wirch–Hardy).
 */
export interface Distortion {
  /** A short name with its parameters, e.g. `'CVaR(0.9)'`. */
  readonly name: string;
  /** The parameters it was built from. */
  readonly params: Readonly<Record<string, number>>;
  /** Whether g is concave, i.e. whether ρ_g is subadditive (coherent). */
  readonly isConcave: boolean;
  /** Atoms of dg̃ (jumps of g), sorted by level. Empty for continuous distortions. */
  readonly jumps: readonly Jump[];
  /** Levels u ∈ (0,1) where g̃' is discontinuous (kinks and jumps): breakpoints for quadrature. */
  readonly kinks: readonly number[];
  /** g(s), s ∈ [0, 1]. */
  g(s: number): number;
  /** The derivative of the absolutely continuous part of g at s (atoms excluded). */
  gPrime(s: number): number;
  /** The dual g̃(u) = 1 − g(1 − u), right-continuous; computed without cancellation where a closed form exists. */
  gTilde(u: number): number;
  /** The density of the absolutely continuous part of dg̃: g̃'(u) = g'(1 − u). */
  gTildePrime(u: number): number;
  /** g̃ minus its atoms: the continuous part of g̃ (equals g̃ for continuous distortions). */
  gTildeContinuous(u: number): number;
}

interface Parts {
  name: string;
  params: Record<string, number>;
  isConcave: boolean;
  jumps?: Jump[];
  kinks?: number[];
  g: (s: number) => number;
  gPrime: (s: number) => number;
  gTilde?: (u: number) => number;
  gTildePrime?: (u: number) => number;
  gTildeContinuous?: (u: number) => number;
}

function make(p: Parts): Distortion {
  const jumps = (p.jumps ?? []).slice().sort((a, b) => a.u - b.u);
  const kinks = Array.from(new Set([...(p.kinks ?? []), ...jumps.map((j) => j.u)]))
    .filter((u) => u > 0 && u < 1)
    .sort((a, b) => a - b);
  const g = p.g;
  const gTilde = p.gTilde ?? ((u: number) => 1 - g(1 - u));
  const gTildeContinuous =
    p.gTildeContinuous ??
    (jumps.length === 0
      ? gTilde
      : (u: number) => {
          let v = gTilde(u);
          for (const j of jumps) if (u >= j.u) v -= j.mass;
          return v;
        });
  const gPrime = p.gPrime;
  return Object.freeze({
    name: p.name,
    params: Object.freeze({ ...p.params }),
    isConcave: p.isConcave,
    jumps: Object.freeze(jumps.map((j) => Object.freeze({ ...j }))),
    kinks: Object.freeze(kinks),
    g,
    gPrime,
    gTilde,
    gTildePrime: p.gTildePrime ?? ((u: number) => gPrime(1 - u)),
    gTildeContinuous,
  });
}

function param(ok: boolean, where: string, what: string, value: number): void {
  if (!ok || !Number.isFinite(value)) {
    throw new DescentError('INVALID_CONFIG', where, `${what}, got ${value}`);
  }
}

/**
 * Value-at-Risk at level α ∈ (0,1): g(s) = 1{s > 1 − α}, so ρ = F^{-1}(α) (left-continuous quantile).
 * Not concave: VaR is not subadditive.
 *
 * @example
 * ```ts
 * valueAtRisk(0.95).jumps;
 * // [{"u": 0.95, "mass": 1}]
 * ```
 */
export function valueAtRisk(alpha: number): Distortion {
  param(alpha > 0 && alpha < 1, 'valueAtRisk', 'alpha must be in (0, 1)', alpha);
  return make({
    name: `VaR(${alpha})`,
    params: { alpha },
    isConcave: false,
    jumps: [{ u: alpha, mass: 1 }],
    g: (s) => (s > 1 - alpha ? 1 : 0),
    gPrime: () => 0,
    gTilde: (u) => (u >= alpha ? 1 : 0),
    gTildeContinuous: () => 0,
  });
}

/**
 * Conditional Value-at-Risk / expected shortfall at level α ∈ [0,1): g(s) = min(s/(1−α), 1), the mean
 * of the upper 1 − α tail. Concave (coherent); α = 0 is the mean.
 *
 * @example
 * ```ts
 * +expectedShortfall(0.9).gTilde(0.95).toFixed(12);
 * // 0.5
 * ```
 */
export function expectedShortfall(alpha: number): Distortion {
  param(alpha >= 0 && alpha < 1, 'expectedShortfall', 'alpha must be in [0, 1)', alpha);
  const w = 1 - alpha;
  return make({
    name: `CVaR(${alpha})`,
    params: { alpha },
    isConcave: true,
    kinks: [alpha],
    g: (s) => Math.min(s / w, 1),
    gPrime: (s) => (s < w ? 1 / w : 0),
    gTilde: (u) => Math.max(0, (u - alpha) / w),
  });
}

/** Alias of {@link expectedShortfall}.
 *
 * @example
 * ```ts
 * conditionalValueAtRisk(0.5).name;
 * // 'CVaR(0.5)'
 * ```
 */
export const conditionalValueAtRisk = expectedShortfall;

/**
 * Range Value-at-Risk: the mean of the quantiles between levels α < β, g(s) = clip((s − (1−β))/(β−α), 0, 1).
 * Not concave unless β = 1 (then it is CVaR_α).
 *
 * @example
 * ```ts
 * rangeValueAtRisk(0.9, 0.99).gTilde(0.99);
 * // 1
 * ```
 */
export function rangeValueAtRisk(alpha: number, beta: number): Distortion {
  param(alpha >= 0 && alpha < 1, 'rangeValueAtRisk', 'alpha must be in [0, 1)', alpha);
  param(beta > alpha && beta <= 1, 'rangeValueAtRisk', `beta must be in (alpha, 1]`, beta);
  const w = beta - alpha;
  return make({
    name: `RVaR(${alpha},${beta})`,
    params: { alpha, beta },
    isConcave: beta === 1,
    kinks: [alpha, beta],
    g: (s) => Math.min(1, Math.max(0, (s - (1 - beta)) / w)),
    gPrime: (s) => (s > 1 - beta && s < 1 - alpha ? 1 / w : 0),
    gTilde: (u) => Math.min(1, Math.max(0, (u - alpha) / w)),
  });
}

/**
 * Wang transform g(s) = Φ(Φ^{-1}(s) + λ); concave iff λ ≥ 0. For a Gaussian loss ρ = μ + λσ.
 *
 * @example
 * ```ts
 * +wangTransform(0.5).g(0.5).toFixed(12); // Φ(0.5)
 * // 0.691462461274
 * ```
 */
export function wangTransform(lambda: number): Distortion {
  param(Number.isFinite(lambda), 'wangTransform', 'lambda must be finite', lambda);
  const c = Math.exp(-0.5 * lambda * lambda);
  return make({
    name: `Wang(${lambda})`,
    params: { lambda },
    isConcave: lambda >= 0,
    g: (s) => (s <= 0 ? 0 : s >= 1 ? 1 : normalCdf(normalPpf(s) + lambda)),
    gPrime: (s) => {
      // Limits at the ends: exp(−λz) with z → ∓∞.
      if (s <= 0) return lambda > 0 ? Infinity : lambda < 0 ? 0 : 1;
      if (s >= 1) return lambda > 0 ? 0 : lambda < 0 ? Infinity : 1;
      return c * Math.exp(-lambda * normalPpf(s));
    },
    gTilde: (u) => (u <= 0 ? 0 : u >= 1 ? 1 : normalCdf(normalPpf(u) - lambda)),
    // exp(λz − λ²/2) with z = Φ^{-1}(u) directly: g'(1 − u) would round 1 − u for tiny u.
    gTildePrime: (u) => (u <= 0 ? (lambda > 0 ? 0 : lambda < 0 ? Infinity : 1) : u >= 1 ? (lambda > 0 ? Infinity : lambda < 0 ? 0 : 1) : c * Math.exp(lambda * normalPpf(u))),
  });
}

/**
 * Proportional hazard transform g(s) = s^{1/γ}, γ > 0; concave iff γ ≥ 1.
 *
 * @example
 * ```ts
 * proportionalHazard(2).g(0.25);
 * // 0.5
 * ```
 */
export function proportionalHazard(gamma: number): Distortion {
  param(gamma > 0, 'proportionalHazard', 'gamma must be > 0', gamma);
  const r = 1 / gamma;
  return make({
    name: `PH(${gamma})`,
    params: { gamma },
    isConcave: gamma >= 1,
    g: (s) => (s <= 0 ? 0 : Math.pow(s, r)),
    gPrime: (s) => r * Math.pow(s, r - 1),
    gTilde: (u) => 1 - Math.pow(1 - u, r),
  });
}

/**
 * Dual power g(s) = 1 − (1 − s)^γ, γ > 0; concave iff γ ≥ 1. For integer γ, ρ = E[max of γ iid copies].
 *
 * @example
 * ```ts
 * dualPower(2).gTilde(0.5);
 * // 0.25
 * ```
 */
export function dualPower(gamma: number): Distortion {
  param(gamma > 0, 'dualPower', 'gamma must be > 0', gamma);
  return make({
    name: `DualPower(${gamma})`,
    params: { gamma },
    isConcave: gamma >= 1,
    g: (s) => 1 - Math.pow(1 - s, gamma),
    gPrime: (s) => gamma * Math.pow(1 - s, gamma - 1),
    gTilde: (u) => (u <= 0 ? 0 : Math.pow(u, gamma)),
    gTildePrime: (u) => gamma * Math.pow(u, gamma - 1),
  });
}

/**
 * Gini distortion g(s) = s + κ s(1 − s), κ ∈ [−1, 1]; ρ = E X + κ·E|X₁ − X₂|/2. Concave iff κ ≥ 0.
 *
 * @example
 * ```ts
 * gini(1).g(0.5);
 * // 0.75
 * ```
 */
export function gini(kappa: number): Distortion {
  param(kappa >= -1 && kappa <= 1, 'gini', 'kappa must be in [-1, 1]', kappa);
  return make({
    name: `Gini(${kappa})`,
    params: { kappa },
    isConcave: kappa >= 0,
    g: (s) => s + kappa * s * (1 - s),
    gPrime: (s) => 1 + kappa * (1 - 2 * s),
    gTilde: (u) => u - kappa * u * (1 - u),
    gTildePrime: (u) => 1 - kappa * (1 - 2 * u),
  });
}

/**
 * Lookback distortion g(s) = s^δ (1 − δ ln s), δ ∈ (0, 1]; concave.
 *
 * @example
 * ```ts
 * lookback(1).g(1);
 * // 1
 * ```
 */
export function lookback(delta: number): Distortion {
  param(delta > 0 && delta <= 1, 'lookback', 'delta must be in (0, 1]', delta);
  return make({
    name: `Lookback(${delta})`,
    params: { delta },
    isConcave: true,
    g: (s) => (s <= 0 ? 0 : Math.pow(s, delta) * (1 - delta * Math.log(s))),
    gPrime: (s) => -delta * delta * Math.pow(s, delta - 1) * Math.log(s),
    gTildePrime: (u) => -delta * delta * Math.pow(1 - u, delta - 1) * Math.log1p(-u),
  });
}

/**
 * The S-shaped distortion of the paper's code, g(s) = (e^{2as} − 1)/((e^a − 1)(e^{2as−a} + 1)), a > 0.
 * Not concave.
 *
 * @example
 * ```ts
 * +sShape(5).g(1).toFixed(12);
 * // 1
 * ```
 */
export function sShape(a: number): Distortion {
  param(a > 0 && a < 300, 'sShape', 'a must be in (0, 300)', a);
  const ea = Math.expm1(a);
  return make({
    name: `SShape(${a})`,
    params: { a },
    isConcave: false,
    g: (s) => Math.expm1(2 * a * s) / (ea * (Math.exp(2 * a * s - a) + 1)),
    gPrime: (s) => {
      const den = ea * (Math.exp(2 * a * s - a) + 1);
      return (2 * a * Math.exp(2 * a * s) * ea * (1 + Math.exp(-a))) / (den * den);
    },
  });
}

/**
 * Tversky–Kahneman (cumulative prospect theory) weighting g(s) = s^γ/(s^γ + (1−s)^γ)^{1/γ}; inverse-S,
 * not concave. Monotone only for γ above ≈ 0.28; checked numerically on construction.
 *
 * @example
 * ```ts
 * prospectWeighting(0.7).g(1);
 * // 1
 * ```
 */
export function prospectWeighting(gamma: number): Distortion {
  param(gamma > 0 && gamma <= 1, 'prospectWeighting', 'gamma must be in (0, 1]', gamma);
  const g = (s: number) => {
    if (s <= 0) return 0;
    if (s >= 1) return 1;
    const a = Math.pow(s, gamma);
    return a / Math.pow(a + Math.pow(1 - s, gamma), 1 / gamma);
  };
  const d = make({
    name: `CPT(${gamma})`,
    params: { gamma },
    isConcave: false,
    g,
    gPrime: (s) => {
      const A = Math.pow(s, gamma) + Math.pow(1 - s, gamma);
      return g(s) * (gamma / s - (Math.pow(s, gamma - 1) - Math.pow(1 - s, gamma - 1)) / A);
    },
  });
  checkMonotone(d.g, 'prospectWeighting');
  return d;
}

/**
 * The mean: g(s) = s.
 *
 * @example
 * ```ts
 * expectation().g(0.3);
 * // 0.3
 * ```
 */
export function expectation(): Distortion {
  return make({ name: 'Mean', params: {}, isConcave: true, g: (s) => s, gPrime: () => 1, gTilde: (u) => u });
}

/**
 * A convex combination Σ c_k g_k (c_k ≥ 0, Σ c_k = 1). Concave when every part is; jumps are merged.
 *
 * @example
 * ```ts
 * mixture([expectedShortfall(0.9), valueAtRisk(0.9)], [0.5, 0.5]).jumps;
 * // [{"u": 0.9, "mass": 0.5}]
 * ```
 */
export function mixture(parts: readonly Distortion[], weights: readonly number[]): Distortion {
  if (!Array.isArray(parts as unknown)) throw new DescentError('INVALID_CONFIG', 'mixture', `parts must be an array of distortions, got ${describeValue(parts)}`);
  if (!Array.isArray(weights as unknown)) throw new DescentError('INVALID_CONFIG', 'mixture', `weights must be an array of numbers, got ${describeValue(weights)}`);
  parts.forEach((d, k) => assertDistortion(d, 'mixture', `parts[${k}]`));
  if (parts.length === 0 || parts.length !== weights.length) {
    throw new DescentError('SHAPE_MISMATCH', 'mixture', `need as many weights as parts, got ${weights.length} and ${parts.length}`);
  }
  let total = 0;
  weights.forEach((c, k) => {
    param(c >= 0, 'mixture', `weights[${k}] must be >= 0`, c);
    total += c;
  });
  if (Math.abs(total - 1) > 1e-12) throw new DescentError('INVALID_CONFIG', 'mixture', `weights must sum to 1, got ${total}`);
  const jumpMap = new Map<number, number>();
  parts.forEach((d, k) => d.jumps.forEach((j) => jumpMap.set(j.u, (jumpMap.get(j.u) ?? 0) + weights[k]! * j.mass)));
  const jumps = [...jumpMap].filter(([, m]) => m > 0).map(([u, mass]) => ({ u, mass }));
  const sum = (f: (d: Distortion, x: number) => number) => (x: number) => {
    let v = 0;
    for (let k = 0; k < parts.length; k++) if (weights[k]! > 0) v += weights[k]! * f(parts[k]!, x);
    return v;
  };
  return make({
    name: `Mix(${parts.map((d, k) => `${weights[k]}·${d.name}`).join('+')})`,
    params: {},
    isConcave: parts.every((d, k) => d.isConcave || weights[k] === 0),
    jumps,
    kinks: parts.flatMap((d) => [...d.kinks]),
    g: sum((d, s) => d.g(s)),
    gPrime: sum((d, s) => d.gPrime(s)),
    gTilde: sum((d, u) => d.gTilde(u)),
    gTildeContinuous: sum((d, u) => d.gTildeContinuous(u)),
  });
}

/**
 * The paper code's discontinuous distortion: (1 − w)·sShape(a) + w·mean_j VaR(p_j), default
 * w = 0.2, a = 5, p = (0.3, 0.5, 0.7): atoms of mass w/3 at each p_j.
 *
 * @example
 * ```ts
 * discontinuousDistortion().jumps.length;
 * // 3
 * ```
 */
export function discontinuousDistortion(levels: readonly number[] = [0.3, 0.5, 0.7], jumpWeight = 0.2, a = 5): Distortion {
  if (!Array.isArray(levels as unknown)) throw new DescentError('INVALID_CONFIG', 'discontinuousDistortion', `levels must be an array of levels, got ${describeValue(levels)}`);
  param(jumpWeight >= 0 && jumpWeight <= 1, 'discontinuousDistortion', 'jumpWeight must be in [0, 1]', jumpWeight);
  if (levels.length === 0) throw new DescentError('INVALID_CONFIG', 'discontinuousDistortion', 'levels is empty');
  const parts = [sShape(a), ...levels.map((p) => valueAtRisk(p))];
  const weights = [1 - jumpWeight, ...levels.map(() => jumpWeight / levels.length)];
  return mixture(parts, weights);
}

/** What a user supplies to {@link customDistortion}. */
export interface CustomDistortionSpec {
  name?: string;
  /** g on [0, 1]: non-decreasing, g(0) = 0, g(1) = 1. */
  g: (s: number) => number;
  /** Derivative of the absolutely continuous part; default: central differences of g (step 1e−6). */
  gPrime?: (s: number) => number;
  /** Atoms of dg̃ (jumps of g at s = 1 − u), needed by the QF/hybrid optimizers; default none. */
  jumps?: readonly Jump[];
  /** Levels where g̃' is discontinuous (quadrature breakpoints). */
  kinks?: readonly number[];
  /** Declared concavity; default: the discrete check {@link isConcaveOnGrid}. */
  isConcave?: boolean;
}

/**
 * A user-defined distortion, validated on a 10⁴ grid: finite values in [0, 1], g(0) = 0, g(1) = 1
 * (to 1e−12), non-decreasing (to 1e−12); otherwise DescentError('INVALID_CONFIG', 'not a distortion').
 *
 * @example
 * ```ts
 * customDistortion({ g: (s) => Math.sqrt(s) }).isConcave;
 * // true
 * ```
 */
export function customDistortion(spec: CustomDistortionSpec): Distortion {
  assertKnownKeys(spec, configKeys<CustomDistortionSpec>()('name', 'g', 'gPrime', 'jumps', 'kinks', 'isConcave'), 'customDistortion', 'spec');
  const g = spec.g;
  if (typeof g !== 'function') throw new DescentError('INVALID_CONFIG', 'customDistortion', 'g must be a function');
  const g0 = g(0);
  const g1 = g(1);
  if (!(Math.abs(g0) <= 1e-12) || !(Math.abs(g1 - 1) <= 1e-12)) {
    throw new DescentError('INVALID_CONFIG', 'customDistortion', `not a distortion: need g(0) = 0 and g(1) = 1, got g(0) = ${g0}, g(1) = ${g1}`);
  }
  checkMonotone(g, 'customDistortion');
  for (const j of spec.jumps ?? []) {
    param(j.u > 0 && j.u < 1, 'customDistortion', 'jump levels must be in (0, 1)', j.u);
    param(j.mass > 0 && j.mass <= 1, 'customDistortion', 'jump masses must be in (0, 1]', j.mass);
  }
  const h = 1e-6;
  const gPrime =
    spec.gPrime ??
    ((s: number) => {
      const a = Math.max(0, s - h);
      const b = Math.min(1, s + h);
      return (g(b) - g(a)) / (b - a);
    });
  return make({
    name: spec.name ?? 'Custom',
    params: {},
    isConcave: spec.isConcave ?? isConcaveOnGrid(g),
    jumps: (spec.jumps ?? []).map((j) => ({ ...j })),
    kinks: [...(spec.kinks ?? [])],
    g,
    gPrime,
  });
}

function checkMonotone(g: (s: number) => number, where: string): void {
  const n = 10000;
  let prev = g(0);
  for (let i = 1; i <= n; i++) {
    const v = g(i / n);
    if (!Number.isFinite(v) || v < -1e-12 || v > 1 + 1e-12) {
      throw new DescentError('INVALID_CONFIG', where, `not a distortion: g(${i / n}) = ${v} is outside [0, 1]`);
    }
    if (v < prev - 1e-12) throw new DescentError('INVALID_CONFIG', where, `not a distortion: g decreases at s = ${i / n} (${prev} → ${v})`);
    prev = v;
  }
}

/**
 * The discrete concavity check: increments g(s_{i+1}) − g(s_i) non-increasing (to 1e−12) on an
 * `n`-cell uniform grid of [0, 1].
 *
 * @example
 * ```ts
 * isConcaveOnGrid((s) => s * s);
 * // false
 * ```
 */
export function isConcaveOnGrid(g: (s: number) => number, n = 10000): boolean {
  if (typeof g !== 'function') throw new DescentError('DOMAIN', 'isConcaveOnGrid', 'g must be a function');
  // n is a grid size: a size within the allocation limit (Infinity would never return).
  assertSize(n, 'isConcaveOnGrid', 'n');
  if (n < 1) throw new DescentError('DOMAIN', 'isConcaveOnGrid', 'n must be at least 1');
  let prevInc = Infinity;
  let prev = g(0);
  for (let i = 1; i <= n; i++) {
    const v = g(i / n);
    const inc = v - prev;
    if (inc > prevInc + 1e-12) return false;
    prevInc = inc;
    prev = v;
  }
  return true;
}
