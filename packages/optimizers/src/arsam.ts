import { assertKnownKeys, configKeys, DescentError, foldIn, key as makeKey, placeBlocks, uniform, type Key, type Layout } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { resolvePerturbation, samPerturbInto, type SamPerturbationConfig } from './sam.js';
import { booleanParam, checkGradient, copyInto, gradOf, norm2, numberParam, withGrad, type Writable } from './sam-internal.js';
import { baseStateField, checkInto, checkState, PERTURBATION_FIELDS, type FieldKind } from './internal/state-check.js';

/** How ARSAM chooses between a SAM step and a (PSF-reusing) single-gradient step. */
export type ArsamSchedule =
  /** The adaptive sample/reuse/mix rule (default). */
  | 'adaptive'
  /** A SAM step every time: the trajectory is exactly {@link sam}'s (a law). */
  | 'always'
  /** Never sample after the warm-up: base steps with the reused PSF mixed in. */
  | 'never';

const ARSAM_KEYS = configKeys<ArsamConfig<unknown>>()(
  'rho', 'adaptive', 'adaptiveEta', 'p', 'xi', 'base', 'schedule', 'window', 'varianceBlocks', 'maxSampleFraction', 'rateGainRatio',
  'rateGainVariance', 'reuseDecay', 'maxReuse', 'warmup', 'layout', 'statBlocks', 'check',
);

/** Config of {@link arsam}. Defaults are vSAM's `train_vsam.py` (spec §3.2(c)). */
export interface ArsamConfig<BaseCfg> extends SamPerturbationConfig {
  /** Config of the base method. */
  readonly base: BaseCfg;
  /** Which rule decides SAM vs reuse steps. Default `'adaptive'`. */
  readonly schedule?: ArsamSchedule;
  /** Window K (steps) over which the SAM quota and the statistics run. Default 50. */
  readonly window?: number;
  /** Number of equal blocks of the sorted PSF norms for the variance statistic. Default 5. */
  readonly varianceBlocks?: number;
  /** maxP: at most ⌊K·maxP⌋ SAM steps per window. Default 0.8. */
  readonly maxSampleFraction?: number;
  /** a1: rate sensitivity to the relative change of ‖PSF‖/‖g‖. Default 0.13. */
  readonly rateGainRatio?: number;
  /** a2: rate sensitivity to the relative change of the PSF-norm variance. Default 0.13. */
  readonly rateGainVariance?: number;
  /** β: reuse decay; the k-th step after a SAM step uses g + β^k·PSF. Default 0.7. */
  readonly reuseDecay?: number;
  /** Reuses after each SAM step (β, β², … β^maxReuse), then plain base steps. Default 6. */
  readonly maxReuse?: number;
  /** Warm-up: the first `warmup` steps are all SAM steps (vSAM: 3 epochs). Default 3·K. */
  readonly warmup?: number;
  /** Parameter layout; with `statBlocks`, the PSF statistics use only the last blocks. */
  readonly layout?: Layout;
  /** Use the last N blocks of `layout` for the norms (vSAM: N = 10 in training, 2 by default). Default: all. */
  readonly statBlocks?: number;
  /** Check each gradient (O(n)). Default true. */
  readonly check?: boolean;
}

/** State of {@link arsam}. Counters follow vSAM's names in spec §3.2(a). */
export interface ArsamState<BaseState extends MethodState> extends MethodState {
  readonly base: BaseState;
  /** 0: observe at the base's query; 1: observe at the SAM-perturbed point. */
  readonly phase: number;
  readonly grad: Float64Array;
  readonly perturbed: Float64Array;
  /** The PSF buffer P = g_S − g of the last SAM step. */
  readonly psf: Float64Array;
  /** The mixing weight λ of the last reuse (1 right after a SAM step). */
  readonly reuseWeight: number;
  /** Reuses since the last SAM step (= maxReuse when nothing is left to reuse). */
  readonly reuseCount: number;
  /** vSAM's `flag_batch_num`: 1 at the end of the warm-up, +1 per post-warm-up step. */
  readonly batchIdx: number;
  /** SAM steps in the current window (vSAM `sr_now`). */
  readonly srNow: number;
  /** The adaptive SAM quota per window (vSAM `base_sr`), in [1, ⌊K·maxP⌋]. */
  readonly baseSR: number;
  /** Probability of the random SAM clause (vSAM `sampling_probability`). */
  readonly pSample: number;
  /** SAM steps taken (vSAM `sampling_number`). */
  readonly samSteps: number;
  /** Gradient observations consumed: one per `step` call. */
  readonly gradEvals: number;
  /** Last K values of ‖P‖/‖g‖ (oldest first; zeros until filled). */
  readonly ringRatio: Float64Array;
  /** Last K values of ‖P‖ (oldest first). */
  readonly ringPsfNorm: Float64Array;
  /** Last K values of the block-variance statistic (oldest first). */
  readonly ringVariance: Float64Array;
  /** PRNG key: the sampling draw of step t is `uniform(foldIn(key, t), 1)[0]`. */
  readonly key: Key;
  readonly schedule: ArsamSchedule;
  readonly window: number;
  readonly varianceBlocks: number;
  readonly maxSR: number;
  readonly rateGainRatio: number;
  readonly rateGainVariance: number;
  readonly reuseDecay: number;
  readonly maxReuse: number;
  readonly warmup: number;
  /** First coordinate of the statistics sub-vector (the last `statBlocks` blocks). */
  readonly statStart: number;
  readonly rho: number;
  readonly adaptive: boolean;
  readonly adaptiveEta: number;
  readonly p: number;
  readonly xi: number;
  readonly check: boolean;
}

/** Sample variance (n − 1 denominator, as torch.var) of a[from..to). */
function sampleVariance(a: Float64Array, from: number, to: number): number {
  const n = to - from;
  let m = 0;
  for (let i = from; i < to; i++) m += a[i]!;
  m /= n;
  let s = 0;
  for (let i = from; i < to; i++) s += (a[i]! - m) ** 2;
  return s / (n - 1);
}

/** Shifts `ring` left by one and appends v (oldest first). */
function push(ring: Float64Array, v: number): void {
  ring.copyWithin(0, 1);
  ring[ring.length - 1] = v;
}

/**
 * Mean relative change mean_j (r_{j+1} − r_j)/r_j over the ring, clipped to [−1, 1]. Terms with
 * r_j = 0 or a non-finite quotient are skipped (vSAM divides by the zero-initialised ring and lets
 * NaN through; see spec §3.2(b)); with no valid term the change is 0.
 */
function relativeChange(ring: Float64Array): number {
  let s = 0;
  let c = 0;
  for (let j = 0; j + 1 < ring.length; j++) {
    const q = (ring[j + 1]! - ring[j]!) / ring[j]!;
    if (Number.isFinite(q)) {
      s += q;
      c++;
    }
  }
  if (c === 0) return 0;
  const m = s / c;
  return m > 1 ? 1 : m < -1 ? -1 : m;
}

/**
 * ARSAM: SAM that samples SAM steps adaptively and reuses the decomposed gradient in between
 * (Deng & Pang 2025). SAM's gradient splits as g_SAM = g + P with the PSF P = g_S − g ≈ ρHg/‖g‖. After
 * a warm-up of pure SAM steps, each window of K steps takes exactly ⌊baseSR⌋ SAM steps (a random
 * clause with probability baseSR/K plus a forced clause near the window's end); the other steps observe
 * one gradient and hand g + β^k·P to the base for k = 1…maxReuse steps after a SAM step. At each window
 * boundary baseSR ← clamp(baseSR·(1 + a1·Δr + a2·Δv), 1, ⌊K·maxP⌋), from the mean relative changes of
 * ‖P‖/‖g‖ and of the block variance of ‖P‖ over the last K SAM steps.
 *
 * [RECON] The ARSAM repository was not retrievable; this is the exact rule of the same authors' vSAM
 * code (ajiaaa/vSAM `vsam.py`), which the paper describes with the same three ingredients, with two
 * documented deviations: the reuse bound is an integer counter, and relative changes skip zero
 * denominators (vSAM would propagate NaN). Epoch-based warm-up is counted in steps.
 *
 * @example
 * ```ts
 * import { sgd, arsam } from '@descent/optimizers';
 * import { key } from '@descent/linalg';
 * const m = arsam(sgd);
 * let s = m.init({ base: { lr: 0.1 }, window: 10, warmup: 10 }, new Float64Array([1, -2]), key(0));
 * const grad = (x: Float64Array) => Float64Array.from(x, (v) => 2 * v);
 * while (s.t < 40) s = m.step(s, grad(s.query));
 * s.gradEvals < 80; // fewer than SAM's two evaluations per step
 * // true
 * ```
 */
export function arsam<BaseCfg, BaseState extends MethodState, Obs>(base: Method<BaseCfg, BaseState, Obs>): Method<ArsamConfig<BaseCfg>, ArsamState<BaseState>, Obs> {
  if (base === null || typeof base !== 'object' || typeof base.init !== 'function' || typeof base.step !== 'function') {
    throw new DescentError('INVALID_CONFIG', 'arsam', 'base must be a Method');
  }
  const name = `arsam(${base.name})`;
  const baseStepInto = base.stepInto;

  function baseStep(s: ArsamState<BaseState>, obs: Obs, out: Writable<ArsamState<BaseState>>): void {
    out.base = baseStepInto !== undefined ? baseStepInto.call(base, s.base, obs, out.base) : base.step(s.base, obs);
  }

  function copyCommon(s: ArsamState<BaseState>, out: Writable<ArsamState<BaseState>>): void {
    out.key = s.key;
    out.schedule = s.schedule;
    out.window = s.window;
    out.varianceBlocks = s.varianceBlocks;
    out.maxSR = s.maxSR;
    out.rateGainRatio = s.rateGainRatio;
    out.rateGainVariance = s.rateGainVariance;
    out.reuseDecay = s.reuseDecay;
    out.maxReuse = s.maxReuse;
    out.warmup = s.warmup;
    out.statStart = s.statStart;
    out.rho = s.rho;
    out.adaptive = s.adaptive;
    out.adaptiveEta = s.adaptiveEta;
    out.p = s.p;
    out.xi = s.xi;
    out.check = s.check;
  }

  function copyCounters(s: ArsamState<BaseState>, out: Writable<ArsamState<BaseState>>): void {
    out.reuseWeight = s.reuseWeight;
    out.reuseCount = s.reuseCount;
    out.batchIdx = s.batchIdx;
    out.srNow = s.srNow;
    out.baseSR = s.baseSR;
    out.pSample = s.pSample;
    out.samSteps = s.samSteps;
    out.ringRatio.set(s.ringRatio);
    out.ringPsfNorm.set(s.ringPsfNorm);
    out.ringVariance.set(s.ringVariance);
  }

  function advance(s: ArsamState<BaseState>, obs: Obs, out: Writable<ArsamState<BaseState>>): ArsamState<BaseState> {
    const g = gradOf(obs, name);
    const n = s.x.length;
    checkGradient(name, g, n, s.check);
    if (s.phase === 1) {
      // Second half of a SAM step: g = g_S. Base steps first (it validates before writing anything).
      baseStep(s, obs, out);
      copyCounters(s, out);
      const psf = out.psf;
      const g0 = s.grad;
      for (let i = 0; i < n; i++) psf[i] = g[i]! - g0[i]!;
      const psfNorm = norm2(psf, s.statStart, n);
      const gNorm = norm2(g0, s.statStart, n);
      push(out.ringPsfNorm, psfNorm);
      push(out.ringRatio, psfNorm / gNorm);
      // Variance statistic: sort the last K PSF norms, take the sample variance of each of the equal blocks, average.
      const sorted = Float64Array.from(out.ringPsfNorm).sort();
      const blocks = s.varianceBlocks;
      const width = Math.floor(s.window / blocks);
      let v = 0;
      for (let b = 0; b < blocks; b++) v += sampleVariance(sorted, b * width, (b + 1) * width);
      push(out.ringVariance, v / blocks);
      out.reuseWeight = 1;
      out.reuseCount = 0;
      out.samSteps = s.samSteps + 1;
      // Step bookkeeping done at the end of a SAM step, as vSAM's `step`.
      if (s.t < s.warmup) {
        out.srNow = 1;
      } else {
        out.batchIdx = s.batchIdx + 1;
      }
      out.grad.set(s.grad);
      out.perturbed.set(s.perturbed);
      out.phase = 0;
      out.x = out.base.x;
      out.query = out.base.query;
      out.t = s.t + 1;
      out.gradEvals = s.gradEvals + 1;
      copyCommon(s, out);
      return out;
    }
    // Phase 0: decide the kind of this step (window adaptation first, as vSAM).
    let batchIdx = s.batchIdx;
    let srNow = s.srNow;
    let baseSR = s.baseSR;
    let pSample = s.pSample;
    let doSam: boolean;
    if (s.schedule === 'always') {
      doSam = true;
    } else if (s.t < s.warmup) {
      doSam = true;
    } else if (s.schedule === 'never') {
      doSam = false;
    } else {
      const K = s.window;
      if (batchIdx % K === 0) {
        const dr = relativeChange(s.ringRatio);
        const dv = relativeChange(s.ringVariance);
        baseSR = baseSR * (1 + s.rateGainRatio * dr + s.rateGainVariance * dv);
        if (baseSR > s.maxSR) baseSR = s.maxSR;
        if (baseSR < 1) baseSR = 1;
        pSample = baseSR / K;
        srNow = 0;
      }
      const quota = Math.floor(baseSR);
      const u = uniform(foldIn(s.key, s.t), 1)[0]!;
      doSam = (srNow < quota && u < pSample) || K - (batchIdx % K) <= quota - srNow;
    }
    if (doSam) {
      copyInto(s.base, out.base, name, 'state.base');
      copyCounters(s, out);
      out.batchIdx = batchIdx;
      out.srNow = srNow + 1;
      out.baseSR = baseSR;
      out.pSample = pSample;
      out.psf.set(s.psf);
      out.grad.set(g);
      samPerturbInto(s.base.query, g, s, out.perturbed);
      out.phase = 1;
      out.x = out.base.x;
      out.query = out.perturbed;
      out.t = s.t;
      out.gradEvals = s.gradEvals + 1;
      copyCommon(s, out);
      return out;
    }
    // A single-gradient step: reuse the PSF with weight β^k while k ≤ maxReuse.
    let reuseWeight = s.reuseWeight;
    let reuseCount = s.reuseCount;
    let obsForBase = obs;
    if (reuseCount < s.maxReuse) {
      reuseCount += 1;
      reuseWeight = reuseWeight * s.reuseDecay;
      const mixed = new Float64Array(n);
      const psf = s.psf;
      for (let i = 0; i < n; i++) mixed[i] = g[i]! + reuseWeight * psf[i]!;
      obsForBase = withGrad(obs, mixed);
    }
    baseStep(s, obsForBase, out);
    copyCounters(s, out);
    out.batchIdx = batchIdx + 1;
    out.srNow = srNow;
    out.baseSR = baseSR;
    out.pSample = pSample;
    out.reuseWeight = reuseWeight;
    out.reuseCount = reuseCount;
    out.psf.set(s.psf);
    out.grad.set(g);
    out.perturbed.set(s.perturbed);
    out.phase = 0;
    out.x = out.base.x;
    out.query = out.base.query;
    out.t = s.t + 1;
    out.gradEvals = s.gradEvals + 1;
    copyCommon(s, out);
    return out;
  }

  const checkArsamState = (where: string, s: ArsamState<BaseState>): void => {
    checkState(where, s, { window: { number: (v) => Number.isInteger(v) && v >= 2 && v <= 2 ** 28, expected: 'an integer in [2, 2^28]' }, check: 'boolean' });
    const fin = (lo: number): FieldKind => ({ number: (v) => Number.isFinite(v) && v >= lo, expected: `a finite number >= ${lo}` });
    checkState(where, s, {
      base: baseStateField(s.x.length), phase: { oneOf: [0, 1] }, grad: 'buffer', perturbed: 'buffer', psf: 'buffer',
      reuseWeight: 'number', reuseCount: 'count', batchIdx: 'count', srNow: fin(0), baseSR: 'number', pSample: fin(0),
      samSteps: 'count', gradEvals: 'count',
      ringRatio: { buffer: s.window }, ringPsfNorm: { buffer: s.window }, ringVariance: { buffer: s.window },
      key: { test: (k) => Array.isArray(k) && k.length === 2 && k.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32), expected: 'a PRNG key' },
      schedule: { oneOf: ['adaptive', 'always', 'never'] },
      varianceBlocks: 'count', maxSR: 'count', rateGainRatio: fin(0), rateGainVariance: fin(0), reuseDecay: fin(0),
      maxReuse: 'count', warmup: 'count', statStart: { number: (v) => Number.isInteger(v) && v >= 0 && v < s.x.length, expected: 'an index of the parameters' },
      ...PERTURBATION_FIELDS,
    });
  };
  return {
    name,
    observes: base.observes,
    init(cfg: ArsamConfig<BaseCfg>, x0: Float64Array, key?: Key): ArsamState<BaseState> {
      assertKnownKeys(cfg, ARSAM_KEYS, `${name}.init`);
      const r = resolvePerturbation(name, cfg);
      const schedule = cfg.schedule ?? 'adaptive';
      if (schedule !== 'adaptive' && schedule !== 'always' && schedule !== 'never') {
        throw new DescentError('INVALID_CONFIG', name, `schedule must be 'adaptive', 'always' or 'never', got ${String(schedule)}`);
      }
      const isInt = (v: number) => Number.isInteger(v);
      // The window sizes three ring buffers: bounded like every allocation.
      const window = numberParam(name, 'window', cfg.window, 50, (v) => isInt(v) && v >= 2 && v <= 2 ** 28, 'an integer in [2, 2^28]');
      const varianceBlocks = numberParam(name, 'varianceBlocks', cfg.varianceBlocks, 5, (v) => isInt(v) && v >= 1 && Math.floor(window / v) >= 2, `an integer >= 1 with window/varianceBlocks >= 2 (window ${window})`);
      const maxP = numberParam(name, 'maxSampleFraction', cfg.maxSampleFraction, 0.8, (v) => v > 0 && v < 1 && Math.floor(window * v) >= 1, `in (0, 1) with ⌊window·maxSampleFraction⌋ >= 1`);
      const a1 = numberParam(name, 'rateGainRatio', cfg.rateGainRatio, 0.13, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
      const a2 = numberParam(name, 'rateGainVariance', cfg.rateGainVariance, 0.13, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
      if (a1 + a2 >= 1) throw new DescentError('INVALID_CONFIG', name, `rateGainRatio + rateGainVariance must be < 1 (baseSR must stay positive), got ${a1 + a2}`);
      const beta = numberParam(name, 'reuseDecay', cfg.reuseDecay, 0.7, (v) => v >= 0 && v < 1, 'in [0, 1)');
      const maxReuse = numberParam(name, 'maxReuse', cfg.maxReuse, 6, (v) => isInt(v) && v >= 0, 'an integer >= 0');
      const warmup = numberParam(name, 'warmup', cfg.warmup, 3 * window, (v) => isInt(v) && v >= 0, 'an integer >= 0');
      const check = booleanParam(name, 'check', cfg.check, true);
      const b = base.init(cfg.base, x0, key);
      const n = b.x.length;
      let statStart = 0;
      if (cfg.statBlocks !== undefined) {
        if (cfg.layout === undefined) throw new DescentError('INVALID_CONFIG', name, 'statBlocks needs a layout');
        const placed = placeBlocks(cfg.layout);
        const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
        if (total !== n) throw new DescentError('SHAPE_MISMATCH', name, `layout has ${total} entries, the parameters have ${n}`);
        const nb = numberParam(name, 'statBlocks', cfg.statBlocks, 1, (v) => isInt(v) && v >= 1, 'an integer >= 1');
        statStart = nb >= placed.length ? 0 : placed[placed.length - nb]!.offset;
      }
      if (schedule === 'adaptive' && key === undefined) throw new DescentError('INVALID_CONFIG', name, "the 'adaptive' schedule needs a PRNG key");
      return {
        x: b.x,
        query: b.query,
        t: 0,
        base: b,
        phase: 0,
        grad: new Float64Array(n),
        perturbed: new Float64Array(n),
        psf: new Float64Array(n),
        reuseWeight: 1,
        reuseCount: maxReuse,
        batchIdx: 1,
        srNow: 0,
        baseSR: 1,
        pSample: 0.5,
        samSteps: 0,
        gradEvals: 0,
        ringRatio: new Float64Array(window),
        ringPsfNorm: new Float64Array(window),
        ringVariance: new Float64Array(window),
        key: key ?? makeKey(0),
        schedule,
        window,
        varianceBlocks,
        maxSR: Math.floor(window * maxP),
        rateGainRatio: a1,
        rateGainVariance: a2,
        reuseDecay: beta,
        maxReuse,
        warmup,
        statStart,
        ...r,
        check,
      };
    },
    step(s, obs) {
      checkArsamState(`${name}.step`, s);
      const out = structuredClone(s) as Writable<ArsamState<BaseState>>;
      return advance(s, obs, out);
    },
    stepInto(s, obs, out) {
      checkArsamState(`${name}.stepInto`, s);
      checkState(`${name}.stepInto`, out, {});
      if (out === s || out.perturbed === s.perturbed || out.base === s.base || out.psf === s.psf) {
        throw new DescentError('INVALID_CONFIG', name, 'stepInto: out must not be (or share buffers with) state');
      }
      checkInto(`${name}.stepInto`, s, out);
      if (out.psf.length !== s.psf.length || out.ringRatio.length !== s.ringRatio.length) {
        throw new DescentError('SHAPE_MISMATCH', name, "stepInto: out does not have the state's shape");
      }
      return advance(s, obs, out as Writable<ArsamState<BaseState>>);
    },
  };
}
