import { assertKnownKeys, configKeys, DescentError, describeValue, foldIn, MAX_ELEMENTS, fromRows, key as makeKey, normalInto, split, uniformInto, type Key, type Matrix } from '@descent/linalg';
import { naturalGradient } from '@descent/optimizers';
import { initDetector, resetDetector, step as detectorStep, type DetectorConfig, type DetectorState } from './detector.js';
import { entropyScore, nearestMeanDistance, negLogMaxProbability, oneMinusMaxProbability } from './scores.js';
import { promptAccuracy, promptDimension, promptFisher, promptLoss, promptProbabilities, type PromptLoss, type SoftmaxPromptModel } from './softmax-prompt.js';

/** Options of the natural-gradient prompt adaptation (spec (e); [RECON]: the paper's values are unknown). */
export interface PromptAdaptationOptions {
  /** Natural-gradient steps on the buffer (default 100). */
  steps?: number;
  /** Step size η (default 0.5). */
  lr?: number;
  /** Damping γ in (F + γI)⁻¹g (default 1e-3). */
  damping?: number;
  /** Loss (default `'infomax'`; plain entropy can collapse to one class). */
  loss?: PromptLoss;
  /** Labels of the buffer, for `'crossEntropy'`. */
  labels?: ArrayLike<number>;
  /** Optional KL trust region κ: each step satisfies ½δᵀ(F+γI)δ ≤ κ. */
  kl?: number;
}

/**
 * Fisher-preconditioned (natural-gradient) prompt adaptation on a buffer X of unlabeled samples:
 * `π ← π − η (F + γI)⁻¹ ∇L(π)` with the model-expectation Fisher of {@link promptFisher}, using
 * `naturalGradient` from `@descent/optimizers` (dense Fisher). [RECON] M-FISHER's loss, Fisher
 * estimator, damping and step sizes are not published; this is the standard instantiation of spec (e).
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'input' as const };
 * const r = adaptPrompt(m, new Float64Array(2), fromRows([[0.5, 0], [-1.5, 0]]), { steps: 50, loss: 'infomax' });
 * r.losses[50] < r.losses[0]; // the information-maximization loss went down
 * // true
 * ```
 */
export function adaptPrompt(model: SoftmaxPromptModel, prompt0: Float64Array, X: Matrix, options: PromptAdaptationOptions = {}): { prompt: Float64Array; losses: Float64Array } {
  assertKnownKeys(options, configKeys<PromptAdaptationOptions>()('steps', 'lr', 'damping', 'loss', 'labels', 'kl'), 'adaptPrompt', 'options');
  const steps = options.steps ?? 100;
  // The loss of every step is kept: steps is bounded like every other allocation.
  if (!(Number.isSafeInteger(steps) && steps >= 0 && steps < MAX_ELEMENTS)) throw new DescentError('INVALID_CONFIG', 'adaptPrompt', `steps must be an integer in [0, ${MAX_ELEMENTS}), got ${describeValue(steps)}`);
  const loss = options.loss ?? 'infomax';
  const cfg = { fisher: 'dense' as const, lr: options.lr ?? 0.5, damping: options.damping ?? 1e-3, ...(options.kl !== undefined ? { kl: options.kl } : {}) };
  let s = naturalGradient.init(cfg, prompt0);
  const losses = new Float64Array(steps + 1);
  for (let i = 0; i < steps; i++) {
    const { value, grad } = promptLoss(model, s.x, X, loss, options.labels);
    losses[i] = value;
    s = naturalGradient.step(s, { grad, fisher: promptFisher(model, s.x, X) });
  }
  losses[steps] = promptLoss(model, s.x, X, loss, options.labels).value;
  return { prompt: new Float64Array(s.x), losses };
}

/**
 * How the M-FISHER loop scores a sample: a built-in non-conformity score of the prompted model, or
 * your own `(model, prompt, X) => scores`. `'nearestMean'` is the squared distance of the prompted
 * features (x + π for an input prompt, x for a bias prompt) to the nearest source class mean.
 */
export type MFisherScore =
  | 'nearestMean'
  | 'oneMinusMaxProbability'
  | 'entropy'
  | 'negLogMaxProbability'
  | ((model: SoftmaxPromptModel, prompt: Float64Array, X: Matrix) => Float64Array);

/** Configuration of {@link runMFisher}. */
export interface MFisherConfig {
  model: SoftmaxPromptModel;
  /** Initial prompt (default zeros). */
  prompt?: Float64Array;
  score: MFisherScore;
  /** Source class means (K×d), for the `'nearestMean'` score. */
  classMeans?: Matrix;
  /** The detector (use `onAlarm: 'reset'` or `'latch'`; the loop resets it after each adaptation). */
  detector: DetectorConfig;
  /** Samples collected after an alarm before adapting (default 200). */
  buffer?: number;
  adaptation?: PromptAdaptationOptions;
  /** New calibration scores after an adaptation (spec (e): re-calibrate if the score depends on the model). */
  recalibrate?: (model: SoftmaxPromptModel, prompt: Float64Array) => ArrayLike<number>;
  /** Key of the detector's tie uniforms. */
  key?: Key;
}

/** What {@link runMFisher} records. */
export interface MFisherRun {
  /** Steps (0-based sample index) at which the detector alarmed. */
  alarms: number[];
  /** One entry per adaptation: the alarm it answered, the index of the last buffered sample, the new prompt. */
  adaptations: { alarmAt: number; adaptedAt: number; prompt: Float64Array; lossBefore: number; lossAfter: number }[];
  /** The final prompt. */
  prompt: Float64Array;
  /** log of the alarmed statistic after each sample (NaN while collecting the buffer). */
  statistic: Float64Array;
  /** p-value of each sample (NaN while collecting). */
  pValues: Float64Array;
  /** 1 if the prompted model classified sample t correctly (needs labels), else 0; NaN without labels. */
  correct: Float64Array;
  /** The detector's final state. */
  detector: DetectorState;
}

/**
 * The M-FISHER detect-then-adapt loop over a stream (rows of X): score each sample with the current
 * prompt, feed the detector; on an alarm, collect the next `buffer` samples, adapt the prompt by
 * natural-gradient steps on them ({@link adaptPrompt}), then reset the detector (optionally with a new
 * calibration set) and keep monitoring. [RECON] The paper's loop details are not published: buffer,
 * loss, steps and the reset are this library's choices (spec (e)). With split p-values its alarms are
 * monitoring signals (see README).
 *
 * @example
 * ```ts
 * const toy = mFisherToy({ seed: 0 });
 * toy.detectionDelay !== null && toy.detectionDelay < 50;
 * // true
 * ```
 */
export function runMFisher(config: MFisherConfig, X: Matrix, labels?: ArrayLike<number>): MFisherRun {
  const where = 'runMFisher';
  assertKnownKeys(config, configKeys<MFisherConfig>()('model', 'prompt', 'score', 'classMeans', 'detector', 'buffer', 'adaptation', 'recalibrate', 'key'), where);
  const model = config.model;
  const dim = promptDimension(model);
  if (X === null || typeof X !== 'object' || !(X.data instanceof Float64Array) || !Number.isSafeInteger(X.rows) || !Number.isSafeInteger(X.cols) || X.data.length !== X.rows * X.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `X must be a Matrix (rows, cols, a Float64Array data of rows·cols entries), got ${describeValue(X)}`);
  }
  let prompt: Float64Array = config.prompt ? new Float64Array(config.prompt) : new Float64Array(dim);
  if (prompt.length !== dim) throw new DescentError('SHAPE_MISMATCH', where, `prompt has length ${prompt.length}, expected ${dim}`);
  if (X.cols !== model.W.cols) throw new DescentError('SHAPE_MISMATCH', where, `X must be N×${model.W.cols}`);
  if (labels !== undefined && (labels === null || typeof labels !== 'object' || typeof (labels as { length?: unknown }).length !== 'number')) {
    throw new DescentError('SHAPE_MISMATCH', where, `labels must be an array of class indices, got ${describeValue(labels)}`);
  }
  if (labels !== undefined && labels.length !== X.rows) throw new DescentError('SHAPE_MISMATCH', where, `labels has length ${labels.length}, expected ${X.rows}`);
  const bufferSize = config.buffer ?? 200;
  if (!(Number.isSafeInteger(bufferSize) && bufferSize >= 1 && bufferSize <= MAX_ELEMENTS)) throw new DescentError('INVALID_CONFIG', where, `buffer must be an integer in [1, ${MAX_ELEMENTS}], got ${describeValue(bufferSize)}`);
  const scoreFn = scoreFunction(config);
  let det = initDetector(config.detector, config.key ?? makeKey(0));
  const N = X.rows;
  const d = X.cols;
  const out: MFisherRun = {
    alarms: [],
    adaptations: [],
    prompt,
    statistic: new Float64Array(N).fill(NaN),
    pValues: new Float64Array(N).fill(NaN),
    correct: new Float64Array(N).fill(NaN),
    detector: det,
  };
  let collecting = -1; // alarm index while collecting, else -1
  const buf = new Float64Array(bufferSize * d);
  const bufLabels = new Int32Array(bufferSize);
  let filled = 0;
  const row: Matrix = { rows: 1, cols: d, data: new Float64Array(d) };
  for (let t = 0; t < N; t++) {
    row.data.set(X.data.subarray(t * d, t * d + d));
    if (labels !== undefined) out.correct[t] = promptAccuracy(model, prompt, row, [labels[t]!]);
    if (collecting >= 0) {
      buf.set(row.data, filled * d);
      if (labels !== undefined) bufLabels[filled] = labels[t]!;
      filled++;
      if (filled === bufferSize) {
        const B: Matrix = { rows: bufferSize, cols: d, data: buf.slice() };
        const adaptation = { ...(config.adaptation ?? {}) };
        if ((adaptation.loss ?? 'infomax') === 'crossEntropy') adaptation.labels = bufLabels.slice();
        const r = adaptPrompt(model, prompt, B, adaptation);
        prompt = r.prompt;
        out.adaptations.push({ alarmAt: collecting, adaptedAt: t, prompt: new Float64Array(prompt), lossBefore: r.losses[0]!, lossAfter: r.losses[r.losses.length - 1]! });
        det = resetDetector(det, config.recalibrate ? config.recalibrate(model, prompt) : undefined);
        collecting = -1;
        filled = 0;
      }
      continue;
    }
    const s = scoreFn(model, prompt, row)[0]!;
    det = detectorStep(det, s);
    out.statistic[t] = det.config.alarmOn === 'product' ? det.logM : det.config.alarmOn === 'restarted' ? det.logRestarted : det.config.alarmOn === 'cusum' ? det.logCusum : det.logSR;
    out.pValues[t] = det.p;
    if (det.alarmTimes.length > 0 && det.alarmTimes[det.alarmTimes.length - 1] === det.t && det.alarm) {
      out.alarms.push(t);
      collecting = t;
      filled = 0;
    }
  }
  out.prompt = prompt;
  out.detector = det;
  return out;
}

function scoreFunction(config: MFisherConfig): (model: SoftmaxPromptModel, prompt: Float64Array, X: Matrix) => Float64Array {
  const s = config.score;
  if (typeof s === 'function') return s;
  switch (s) {
    case 'nearestMean': {
      const means = config.classMeans;
      if (!means) throw new DescentError('INVALID_CONFIG', 'runMFisher', "the 'nearestMean' score needs classMeans");
      const d = means.cols;
      const feat: Matrix = { rows: 1, cols: d, data: new Float64Array(d) };
      return (model, prompt, X) => {
        const f: Matrix = X.rows === 1 ? feat : { rows: X.rows, cols: d, data: new Float64Array(X.rows * d) };
        for (let i = 0; i < X.rows; i++) for (let c = 0; c < d; c++) f.data[i * d + c] = X.data[i * d + c]! + (model.prompt === 'input' ? prompt[c]! : 0);
        return nearestMeanDistance(f, means);
      };
    }
    case 'oneMinusMaxProbability':
      return (model, prompt, X) => oneMinusMaxProbability(promptProbabilities(model, prompt, X));
    case 'entropy':
      return (model, prompt, X) => entropyScore(promptProbabilities(model, prompt, X));
    case 'negLogMaxProbability':
      return (model, prompt, X) => negLogMaxProbability(promptProbabilities(model, prompt, X));
    default:
      throw new DescentError('INVALID_CONFIG', 'runMFisher', `unknown score ${String(s)}`);
  }
}

/** Options of {@link mFisherToy}; defaults reproduce spec (e). */
export interface MFisherToyOptions {
  seed?: number;
  /** Covariate shift added to x after `changeAt` (default (-2.5, 1)). */
  shift?: [number, number];
  /** Index of the first shifted sample (default 1000). */
  changeAt?: number;
  /** Stream length (default 2000). */
  length?: number;
  /** Non-conformity score (default 'nearestMean'; 'oneMinusMaxProbability' is blind to this shift). */
  score?: 'nearestMean' | 'oneMinusMaxProbability' | 'entropy' | 'negLogMaxProbability';
  /** Calibration scores drawn from the source (default 500). */
  nCal?: number;
  /** Fresh test samples for the accuracy figures (default 4000). */
  nTest?: number;
  /** Detector threshold (default 1e4, CUSUM). */
  threshold?: number;
  lambda?: number;
  buffer?: number;
  adaptation?: PromptAdaptationOptions;
}

/** The figures of the M-FISHER toy (spec (e)), for tests, the README and apps/demo. */
export interface MFisherToyResult {
  /** Class means (3×2, radius 2 at 0°, 120°, 240°). */
  classMeans: number[][];
  /** Accuracy of the source model on source data (≈ 0.93). */
  sourceAccuracy: number;
  /** Accuracy on shifted data before adaptation (π = 0; ≈ 0.63). */
  shiftedAccuracy: number;
  /** Accuracy on shifted data with the adapted prompt (≈ 0.92), or the unadapted one if no alarm. */
  adaptedAccuracy: number;
  /** Accuracy with the ideal prompt π* = -shift (the Bayes classifier again). */
  idealAccuracy: number;
  /** Alarms (sample indices). */
  alarms: number[];
  /** First alarm at or after the change minus the change index (+1: samples needed), or null. */
  detectionDelay: number | null;
  /** Alarms before the change (false alarms). */
  falseAlarms: number;
  learnedPrompt: number[];
  idealPrompt: number[];
  /** Mean p-value of the detector over the shifted samples before any adaptation (0.5 = no evidence). */
  meanPostShiftPValue: number;
  /** log CUSUM (or the alarmed statistic) after each sample, NaN while buffering. */
  statistic: number[];
  /** Moving accuracy of the stream (window 100) in the stream's own predictions. */
  streamAccuracy: number[];
  /** The validity label of the detector ('monitoring': split p-values). */
  validity: string;
}

/**
 * The M-FISHER toy of spec (e), end to end: a 3-class, 2-D Gaussian source (unit covariance, means on
 * a circle of radius 2), its Bayes softmax classifier with an input prompt π; a stream that shifts by
 * (-2.5, 1) at t = 1000; split conformal p-values of the nearest-class-mean distance of x + π
 * (n_cal = 500), Gaussianized exponential bettor λ = 1, CUSUM threshold 1e4; on alarm 200 buffered
 * samples and 100 natural-gradient steps (η = 0.5, γ = 1e-3) on the information-maximization loss;
 * then the detector is reset. Returns the figures; `score: 'oneMinusMaxProbability'` shows the blind
 * spot of confidence scores. Data, model and loop are a reconstruction [RECON] of the paper's setting.
 *
 * @example
 * ```ts
 * const r = mFisherToy({ seed: 0 });
 * r.adaptedAccuracy > 0.88 && r.shiftedAccuracy < 0.68;
 * // true
 * ```
 */
export function mFisherToy(options: MFisherToyOptions = {}): MFisherToyResult {
  assertKnownKeys(
    options,
    configKeys<MFisherToyOptions>()('seed', 'shift', 'changeAt', 'length', 'score', 'nCal', 'nTest', 'threshold', 'lambda', 'buffer', 'adaptation'),
    'mFisherToy',
    'options',
  );
  const seed = options.seed ?? 0;
  const shift = options.shift ?? [-2.5, 1];
  const changeAt = options.changeAt ?? 1000;
  const length = options.length ?? 2000;
  const nCal = options.nCal ?? 500;
  const nTest = options.nTest ?? 4000;
  if (!(Number.isSafeInteger(changeAt) && changeAt >= 0 && Number.isSafeInteger(length) && length > changeAt && length <= MAX_ELEMENTS)) {
    throw new DescentError('INVALID_CONFIG', 'mFisherToy', `need integers 0 <= changeAt < length <= ${MAX_ELEMENTS}, got ${describeValue(changeAt)}, ${describeValue(length)}`);
  }
  for (const [name, n] of [['nCal', nCal], ['nTest', nTest]] as const) {
    // Two coordinates per sample are drawn.
    if (!(Number.isSafeInteger(n) && n >= 1 && 2 * n <= MAX_ELEMENTS)) throw new DescentError('INVALID_CONFIG', 'mFisherToy', `${name} must be an integer in [1, ${MAX_ELEMENTS / 2}], got ${describeValue(n)}`);
  }
  const r = 2;
  const means = [0, 120, 240].map((deg) => [r * Math.cos((deg * Math.PI) / 180), r * Math.sin((deg * Math.PI) / 180)]);
  const meanMatrix = fromRows(means);
  const model: SoftmaxPromptModel = {
    W: meanMatrix,
    b: Float64Array.from(means, (m) => -0.5 * (m[0]! * m[0]! + m[1]! * m[1]!)),
    prompt: 'input',
  };
  const [kCal, kStream, kTest, kDet] = split(makeKey(seed), 4) as [Key, Key, Key, Key];
  const sample = (k: Key, n: number, sx: number, sy: number) => {
    const [ky, kx] = split(k, 2) as [Key, Key];
    const u = uniformInto(ky, new Float64Array(n));
    const e = normalInto(kx, new Float64Array(2 * n));
    const X = new Float64Array(2 * n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.min(2, Math.floor(u[i]! * 3));
      y[i] = c;
      X[2 * i] = means[c]![0]! + e[2 * i]! + sx;
      X[2 * i + 1] = means[c]![1]! + e[2 * i + 1]! + sy;
    }
    return { X: { rows: n, cols: 2, data: X } as Matrix, y };
  };
  const zero = new Float64Array(2);
  const score = options.score ?? 'nearestMean';
  const cfgBase = { model, score, classMeans: meanMatrix } as const;
  const scoreOf = scoreFunction(cfgBase as MFisherConfig);
  const cal = sample(kCal, nCal, 0, 0);
  const calib = scoreOf(model, zero, cal.X);
  // The stream: source up to changeAt, shifted after.
  const pre = sample(foldIn(kStream, 0), changeAt, 0, 0);
  const post = sample(foldIn(kStream, 1), length - changeAt, shift[0], shift[1]);
  const X: Matrix = { rows: length, cols: 2, data: new Float64Array(2 * length) };
  X.data.set(pre.X.data);
  X.data.set(post.X.data, 2 * changeAt);
  const y = new Int32Array(length);
  y.set(pre.y);
  y.set(post.y, changeAt);
  const detector: DetectorConfig = {
    p: { mode: 'split', calib },
    betting: { kind: 'gaussExp', lambda: options.lambda ?? 1 },
    threshold: options.threshold ?? 1e4,
    alarmOn: 'cusum',
    onAlarm: 'reset',
  };
  const run = runMFisher(
    { ...cfgBase, detector, buffer: options.buffer ?? 200, adaptation: { steps: 100, lr: 0.5, damping: 1e-3, loss: 'infomax', ...(options.adaptation ?? {}) }, key: kDet },
    X,
    y,
  );
  const srcTest = sample(foldIn(kTest, 0), nTest, 0, 0);
  const shTest = sample(foldIn(kTest, 1), nTest, shift[0], shift[1]);
  const ideal = Float64Array.from([-shift[0], -shift[1]]);
  const firstAfter = run.alarms.find((a) => a >= changeAt);
  let pSum = 0;
  let pCount = 0;
  const end = run.adaptations.length > 0 ? run.adaptations[0]!.alarmAt : length;
  for (let t = changeAt; t < Math.max(changeAt, Math.min(end + 1, length)); t++) {
    if (!Number.isNaN(run.pValues[t]!)) {
      pSum += run.pValues[t]!;
      pCount++;
    }
  }
  const win = 100;
  const streamAccuracy: number[] = [];
  let acc = 0;
  for (let t = 0; t < length; t++) {
    acc += run.correct[t]!;
    if (t >= win) acc -= run.correct[t - win]!;
    streamAccuracy.push(acc / Math.min(t + 1, win));
  }
  return {
    classMeans: means,
    sourceAccuracy: promptAccuracy(model, zero, srcTest.X, srcTest.y),
    shiftedAccuracy: promptAccuracy(model, zero, shTest.X, shTest.y),
    adaptedAccuracy: promptAccuracy(model, run.prompt, shTest.X, shTest.y),
    idealAccuracy: promptAccuracy(model, ideal, shTest.X, shTest.y),
    alarms: run.alarms,
    detectionDelay: firstAfter === undefined ? null : firstAfter - changeAt + 1,
    falseAlarms: run.alarms.filter((a) => a < changeAt).length,
    learnedPrompt: Array.from(run.prompt),
    idealPrompt: Array.from(ideal),
    meanPostShiftPValue: pCount > 0 ? pSum / pCount : NaN,
    statistic: Array.from(run.statistic),
    streamAccuracy,
    validity: run.detector.validity,
  };
}
