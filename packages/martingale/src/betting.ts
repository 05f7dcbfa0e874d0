import { assertKnownKeys, assertVector, DescentError, describeValue } from '@descent/linalg';
import { normalCdf, normalQuantile } from './normal.js';
import { logSumExp } from './log-space.js';
import { logMixture, normalMixtureRho } from './normal-mixture.js';

/**
 * A betting function (spec (b)): how the wealth grows with each p-value, or, for the two raw-score
 * forms, with each score.
 *
 * - `power`: `g(p) = eps p^(eps-1)`, eps in (0, 1] (nonconform `PowerMartingale`).
 * - `mixture`: the average over a grid of power bettors (default `linspace(0.01, 1, 100)`), tracked as
 *   normalized log-weights: `g_t(p) = Σ_j w_j eps_j p^(eps_j-1)` (nonconform `SimpleMixtureMartingale`).
 * - `jumper`: Vovk et al. 2021's simple jumper, experts `1 + e (p - 1/2)`, e in {-1, 0, 1}, jump rate J
 *   (default 0.01).
 * - `plugin`: a Gaussian KDE of the past p-values with reflection at 0 and 1, each reflected kernel
 *   normalized on [0, 1], shrunk to uniform with weight `min(1, burnIn / n)` (Fedorova et al. 2012;
 *   MAPIE's shrinkage). Scott bandwidth `sd n^(-1/5)` unless `bandwidth` is given; at most `window`
 *   (default 500) past p-values.
 * - `gaussExp`: `exp(lambda Φ⁻¹(1 - p) - lambda²/2)`, the exact Gaussianized exponential bettor.
 * - `gaussMixture`: the Gaussianized exponential mixed over lambda (confseq's normal mixture, one-sided
 *   by default, tuned at intrinsic time `vOpt` (default 100) and level `alphaOpt` (default 0.05)):
 *   `M_t = m(S_t, t)` with `S_t = Σ Φ⁻¹(1 - p_i)`, so no lambda has to be chosen (spec (b)). Its
 *   per-step bet `m(S + z, t + 1)/m(S, t)` integrates to 1, so the product is an exact martingale.
 * - `momentExp` ([RECON] of M-FISHER's form) on the raw score: `exp(lambda z - lambda²/2)` with
 *   `z = (s - mu0) / sigma0`; exact only if z ~ N(0, 1) under the null, otherwise approximate.
 * - `hoeffdingExp`: raw score in [a, b], `exp(lambda (s - mu0) - lambda² (b - a)² / 8)`, a
 *   supermartingale whenever the null mean is at most mu0 (Hoeffding's lemma).
 */
export type Betting =
  | { kind: 'power'; eps: number }
  | { kind: 'mixture'; eps?: Float64Array }
  | { kind: 'jumper'; J?: number }
  | { kind: 'plugin'; burnIn?: number; window?: number; bandwidth?: number }
  | { kind: 'gaussExp'; lambda: number }
  | { kind: 'gaussMixture'; vOpt?: number; alphaOpt?: number; oneSided?: boolean; /** Filled in by normalization. */ rho?: number }
  | { kind: 'momentExp'; lambda: number; mu0: number; sigma0: number }
  | { kind: 'hoeffdingExp'; lambda: number; mu0: number; a: number; b: number };

/**
 * p-values are clamped into [P_MIN, P_MAX] before betting so every log-increment is finite (spec (c)).
 *
 * @example
 * ```ts
 * P_MIN;
 * // 1e-300
 * ```
 */
export const P_MIN = 1e-300;
/**
 * The upper clamp of p-values: the largest double below 1 (so Φ⁻¹(1 - p) stays finite).
 *
 * @example
 * ```ts
 * P_MAX < 1;
 * // true
 * ```
 */
export const P_MAX = 1 - 2 ** -53;

const DEFAULT_PLUGIN_WINDOW = 500;
const DEFAULT_PLUGIN_BURN_IN = 100;
const MIN_BANDWIDTH = 1e-3;

/**
 * Whether the bettor consumes conformal p-values (`true`) or raw scores (`momentExp`, `hoeffdingExp`).
 *
 * @example
 * ```ts
 * usesPValues({ kind: 'momentExp', lambda: 1, mu0: 0, sigma0: 1 });
 * // false
 * ```
 */
export function usesPValues(b: Betting): boolean {
  assertNormalizedBettor(b, 'usesPValues', true);
  return b.kind !== 'momentExp' && b.kind !== 'hoeffdingExp';
}

// The keys each bettor takes (rho of gaussMixture is filled in by normalization and may come back in).
const BETTING_KEYS: Record<string, readonly string[]> = {
  power: ['kind', 'eps'],
  mixture: ['kind', 'eps'],
  jumper: ['kind', 'J'],
  plugin: ['kind', 'burnIn', 'window', 'bandwidth'],
  gaussExp: ['kind', 'lambda'],
  gaussMixture: ['kind', 'vOpt', 'alphaOpt', 'oneSided', 'rho'],
  momentExp: ['kind', 'lambda', 'mu0', 'sigma0'],
  hoeffdingExp: ['kind', 'lambda', 'mu0', 'a', 'b'],
};

/**
 * The bettor kernels take a bettor from {@link normalizeBetting}; this O(1) check (O(grid) for a
 * mixture) stops a raw or foreign value before it reaches them, without re-validating every number.
 */
function assertNormalizedBettor(b: Betting, where: string, kindOnly = false): void {
  const bad = (msg: string): never => {
    throw new DescentError('INVALID_CONFIG', where, `${msg} (pass a bettor from normalizeBetting)`);
  };
  if (b === null || typeof b !== 'object') bad(`the bettor is ${describeValue(b)}`);
  const kind = (b as { kind: unknown }).kind;
  if (typeof kind !== 'string' || BETTING_KEYS[kind] === undefined) bad(`unknown bettor kind ${describeValue(kind)}`);
  if (kindOnly) return;
  if (b.kind === 'mixture' && !((b.eps instanceof Float64Array || Array.isArray(b.eps)) && b.eps.length > 0)) bad(`a mixture bettor's eps is ${describeValue(b.eps)}, expected its non-empty grid`);
  if (b.kind === 'plugin' && !(Number.isSafeInteger(b.window) && b.window! >= 1)) bad(`a plugin bettor's window is ${describeValue(b.window)}, expected a positive integer`);
}

/**
 * Validates a betting config and fills its defaults (returns a new object; the mixture grid is copied).
 * Throws `INVALID_CONFIG` naming the bad field.
 *
 * @example
 * ```ts
 * normalizeBetting({ kind: 'jumper' });
 * // {"kind": "jumper", "J": 0.01}
 * ```
 */
export function normalizeBetting(b: Betting, where = 'betting'): Betting {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new DescentError('INVALID_CONFIG', where, `${b?.kind ?? 'betting'}.${field} must be ${expected}, got ${String(got)}`);
  };
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const known = BETTING_KEYS[(b as { kind?: string } | null)?.kind ?? ''];
  if (known !== undefined) assertKnownKeys(b, known, where, `betting (${b.kind})`);
  switch (b?.kind) {
    case 'power':
      if (!(finite(b.eps) && b.eps > 0 && b.eps <= 1)) bad('eps', 'in (0, 1]', b.eps);
      return { kind: 'power', eps: b.eps };
    case 'mixture': {
      const eps = b.eps ? Float64Array.from(b.eps) : linspace(0.01, 1, 100);
      if (eps.length === 0) bad('eps', 'a non-empty grid', '[]');
      for (let j = 0; j < eps.length; j++) if (!(eps[j]! > 0 && eps[j]! <= 1)) bad(`eps[${j}]`, 'in (0, 1]', eps[j]);
      return { kind: 'mixture', eps };
    }
    case 'jumper': {
      const J = b.J ?? 0.01;
      if (!(finite(J) && J >= 0 && J <= 1)) bad('J', 'in [0, 1]', J);
      return { kind: 'jumper', J };
    }
    case 'plugin': {
      const burnIn = b.burnIn ?? DEFAULT_PLUGIN_BURN_IN;
      const window = b.window ?? DEFAULT_PLUGIN_WINDOW;
      if (!(Number.isInteger(burnIn) && burnIn >= 0)) bad('burnIn', 'a non-negative integer', burnIn);
      if (!(Number.isInteger(window) && window >= 1)) bad('window', 'a positive integer', window);
      if (b.bandwidth !== undefined && !(finite(b.bandwidth) && b.bandwidth > 0)) bad('bandwidth', 'a positive number', b.bandwidth);
      return b.bandwidth === undefined ? { kind: 'plugin', burnIn, window } : { kind: 'plugin', burnIn, window, bandwidth: b.bandwidth };
    }
    case 'gaussExp':
      if (!(finite(b.lambda) && b.lambda >= 0)) bad('lambda', 'a finite number >= 0', b.lambda);
      return { kind: 'gaussExp', lambda: b.lambda };
    case 'gaussMixture': {
      const vOpt = b.vOpt ?? 100;
      const alphaOpt = b.alphaOpt ?? 0.05;
      const oneSided = b.oneSided ?? true;
      if (!(finite(vOpt) && vOpt > 0)) bad('vOpt', 'a positive number', vOpt);
      if (!(finite(alphaOpt) && alphaOpt > 0 && alphaOpt < (oneSided ? 0.5 : 1))) bad('alphaOpt', oneSided ? 'in (0, 0.5)' : 'in (0, 1)', alphaOpt);
      return { kind: 'gaussMixture', vOpt, alphaOpt, oneSided, rho: normalMixtureRho(vOpt, oneSided ? 2 * alphaOpt : alphaOpt) };
    }
    case 'momentExp':
      if (!(finite(b.lambda) && b.lambda >= 0)) bad('lambda', 'a finite number >= 0', b.lambda);
      if (!finite(b.mu0)) bad('mu0', 'finite', b.mu0);
      if (!(finite(b.sigma0) && b.sigma0 > 0)) bad('sigma0', 'a positive number', b.sigma0);
      return { kind: 'momentExp', lambda: b.lambda, mu0: b.mu0, sigma0: b.sigma0 };
    case 'hoeffdingExp':
      if (!(finite(b.lambda) && b.lambda >= 0)) bad('lambda', 'a finite number >= 0', b.lambda);
      if (!finite(b.mu0)) bad('mu0', 'finite', b.mu0);
      if (!(finite(b.a) && finite(b.b) && b.a < b.b)) bad('a, b', 'finite with a < b', `${b.a}, ${b.b}`);
      return { kind: 'hoeffdingExp', lambda: b.lambda, mu0: b.mu0, a: b.a, b: b.b };
    default:
      throw new DescentError('INVALID_CONFIG', where, `unknown betting kind ${String((b as { kind?: unknown })?.kind)}`);
  }
}

/**
 * Length of the bettor's state vector: normalized log-weights (mixture), expert weights (jumper),
 * `[seen, head, ring...]` of past p-values (plugin), nothing otherwise.
 *
 * @example
 * ```ts
 * bettingStateSize({ kind: 'jumper', J: 0.01 });
 * // 3
 * ```
 */
export function bettingStateSize(b: Betting): number {
  assertNormalizedBettor(b, 'bettingStateSize');
  switch (b.kind) {
    case 'mixture':
      return b.eps!.length;
    case 'jumper':
      return 3;
    case 'plugin':
      return 2 + b.window!;
    case 'gaussMixture':
      return 2;
    default:
      return 0;
  }
}

/**
 * Writes the bettor's initial state (uniform weights, empty history) into `out`.
 *
 * @example
 * ```ts
 * resetBettingState({ kind: 'jumper', J: 0.01 }, new Float64Array(3)).every((v) => v === 1 / 3);
 * // true
 * ```
 */
export function resetBettingState(b: Betting, out: Float64Array): Float64Array {
  assertNormalizedBettor(b, 'resetBettingState');
  assertVector(out, 'resetBettingState', 'out');
  switch (b.kind) {
    case 'mixture':
      out.fill(-Math.log(out.length));
      break;
    case 'jumper':
      out.fill(1 / 3);
      break;
    default:
      out.fill(0);
  }
  return out;
}

/**
 * log g(p) for the bettor in state `bet`, then advances `bet` in place (mixture/jumper weights,
 * plug-in history). For the raw-score bettors `p` is ignored and `score` is used. `p` must already be
 * clamped to [P_MIN, P_MAX]. The detector's kernel; {@link bettingDensity} is the read-only view.
 *
 * @example
 * ```ts
 * betInPlace({ kind: 'power', eps: 0.5 }, new Float64Array(0), 0.25, 0) === Math.log(0.5 * 0.25 ** -0.5);
 * // true
 * ```
 */
export function betInPlace(b: Betting, bet: Float64Array, p: number, score: number): number {
  assertNormalizedBettor(b, 'betInPlace');
  assertVector(bet, 'betInPlace', 'bet');
  switch (b.kind) {
    case 'power':
      return Math.log(b.eps) + (b.eps - 1) * Math.log(p);
    case 'gaussExp': {
      const z = -normalQuantile(p); // Φ⁻¹(1 - p) without the cancellation in 1 - p
      return b.lambda * z - 0.5 * b.lambda * b.lambda;
    }
    case 'momentExp': {
      const z = (score - b.mu0) / b.sigma0;
      return b.lambda * z - 0.5 * b.lambda * b.lambda;
    }
    case 'hoeffdingExp': {
      const w = b.b - b.a;
      return b.lambda * (score - b.mu0) - (b.lambda * b.lambda * w * w) / 8;
    }
    case 'mixture': {
      const eps = b.eps!;
      const n = eps.length;
      const lp = Math.log(p);
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = bet[j]! + Math.log(eps[j]!) + (eps[j]! - 1) * lp;
        bet[j] = v;
        if (v > max) max = v;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(bet[j]! - max);
      const logE = max + Math.log(s); // the old weights sum to one
      for (let j = 0; j < n; j++) bet[j] = bet[j]! - logE;
      return logE;
    }
    case 'jumper': {
      const J = b.J!;
      const d = p - 0.5;
      const w0 = (1 - J) * bet[0]! + J / 3;
      const w1 = (1 - J) * bet[1]! + J / 3;
      const w2 = (1 - J) * bet[2]! + J / 3;
      const c0 = w0 * (1 - d);
      const c1 = w1;
      const c2 = w2 * (1 + d);
      const g = c0 + c1 + c2;
      bet[0] = c0 / g;
      bet[1] = c1 / g;
      bet[2] = c2 / g;
      return Math.log(g);
    }
    case 'plugin': {
      const g = pluginDensity(b, bet, p);
      pluginPush(b, bet, p);
      return Math.log(g);
    }
    case 'gaussMixture': {
      // bet = [t, S]: the mixture's intrinsic time and the sum of Gaussianized scores
      const t = bet[0]!;
      const S = bet[1]!;
      const z = -normalQuantile(p);
      const logE = logMixture(S + z, t + 1, b.rho!, b.oneSided!) - logMixture(S, t, b.rho!, b.oneSided!);
      bet[0] = t + 1;
      bet[1] = S + z;
      return logE;
    }
  }
}

/**
 * The betting function g(p) of the bettor in state `bet` (for p-value bettors; read-only), with p
 * clamped to [P_MIN, P_MAX] as the detector does. It is a probability density on [0, 1]:
 * `∫₀¹ g = 1` (law `bettingIntegratesToOne`).
 *
 * @example
 * ```ts
 * bettingDensity({ kind: 'gaussExp', lambda: 1 }, new Float64Array(0), 0.5).toFixed(6);
 * // '0.606531'
 * ```
 */
export function bettingDensity(b: Betting, bet: Float64Array, pIn: number): number {
  assertNormalizedBettor(b, 'bettingDensity');
  assertVector(bet, 'bettingDensity', 'bet');
  const p = pIn < P_MIN ? P_MIN : pIn > P_MAX ? P_MAX : pIn; // the same clamp the detector applies
  switch (b.kind) {
    case 'power':
      return b.eps * Math.pow(p, b.eps - 1);
    case 'gaussExp':
      return Math.exp(b.lambda * -normalQuantile(p) - 0.5 * b.lambda * b.lambda);
    case 'mixture': {
      const eps = b.eps!;
      let s = 0;
      for (let j = 0; j < eps.length; j++) s += Math.exp(bet[j]!) * eps[j]! * Math.pow(p, eps[j]! - 1);
      return s / Math.exp(logSumExp(bet, eps.length));
    }
    case 'jumper': {
      const J = b.J!;
      const d = p - 0.5;
      return ((1 - J) * bet[0]! + J / 3) * (1 - d) + ((1 - J) * bet[1]! + J / 3) + ((1 - J) * bet[2]! + J / 3) * (1 + d);
    }
    case 'plugin':
      return pluginDensity(b, bet, p);
    case 'gaussMixture': {
      const z = -normalQuantile(p);
      return Math.exp(logMixture(bet[1]! + z, bet[0]! + 1, b.rho!, b.oneSided!) - logMixture(bet[1]!, bet[0]!, b.rho!, b.oneSided!));
    }
    default:
      throw new DescentError('INVALID_CONFIG', 'bettingDensity', `${b.kind} bets on raw scores, not on p-values`);
  }
}

// Plug-in state: bet[0] = p-values seen since reset, bet[1] = ring head, bet[2..] = ring of the last
// `window` p-values.
function pluginDensity(b: Betting & { kind: 'plugin' }, bet: Float64Array, p: number): number {
  const seen = bet[0]!;
  const window = b.window!;
  const n = Math.min(seen, window);
  const w = seen === 0 ? 1 : Math.min(1, b.burnIn! / seen);
  if (w >= 1) return 1;
  let h = b.bandwidth;
  if (h === undefined) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += bet[2 + i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = bet[2 + i]! - mean;
      v += d * d;
    }
    const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
    h = Math.max(MIN_BANDWIDTH, sd * Math.pow(n, -0.2));
  }
  const inv = 1 / h;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = bet[2 + i]!;
    const a = (p - x) * inv;
    const r0 = (p + x) * inv;
    const r1 = (p - 2 + x) * inv;
    const k = Math.exp(-0.5 * a * a) + Math.exp(-0.5 * r0 * r0) + Math.exp(-0.5 * r1 * r1);
    // Mass of the three images on [0, 1]: Φ((1 + x)/h) - Φ((x - 2)/h); dividing by it makes each
    // point's kernel an exact density on [0, 1].
    const mass = normalCdf((1 + x) * inv) - normalCdf((x - 2) * inv);
    s += k / mass;
  }
  const kde = (s * inv * 0.3989422804014327) / n;
  return w + (1 - w) * kde;
}

function pluginPush(b: Betting & { kind: 'plugin' }, bet: Float64Array, p: number): void {
  const window = b.window!;
  const head = bet[1]!;
  bet[2 + head] = p;
  bet[1] = head + 1 === window ? 0 : head + 1;
  bet[0] = bet[0]! + 1;
}

function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}
