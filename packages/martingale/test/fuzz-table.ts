// Valid calls of the functions of @descent/martingale's main entry and of the detector method's init,
// step and stepInto, for the API fuzz (scripts/fuzz-api.ts, run with `members`).
import type { FuzzTable } from '../../../scripts/fuzz-api.js';
import { fromRows, key } from '@descent/linalg';
import { buildBucketIndex, cloneDetectorState, detector, initDetector, serializeDetector, step, treeInsert, type DetectorConfig, type DetectorState } from '@descent/martingale';

const v = (...xs: number[]) => Float64Array.from(xs);
const probs = () => ({ rows: 2, cols: 3, data: v(0.2, 0.3, 0.5, 0.6, 0.3, 0.1) });
const power = () => ({ kind: 'power', eps: 0.5 }) as const;
const cfg = (): DetectorConfig => ({ p: { mode: 'given' }, betting: power(), threshold: 100, alarmOn: 'product', onAlarm: 'latch' }) as unknown as DetectorConfig;
const mixtureCfg = (): DetectorConfig => ({ p: { mode: 'given' }, betting: { kind: 'mixture', eps: [0.2, 0.5] }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' }) as unknown as DetectorConfig;
const tree = () => {
  const d = new Float64Array(12);
  let root = treeInsert(d, -1, 0, 2);
  root = treeInsert(d, root, 1, 1);
  return { d, root };
};
// The bettor kernels take a bettor normalized by normalizeBetting (which validates it): their own
// A softmax prompt model: 3 classes over 2 features, an input prompt (dimension 2) and a bias one (3).
const pmodel = () => ({ W: fromRows([[1, 0], [0, 1], [-1, -1]]), b: v(0.1, 0, -0.1), prompt: 'input' as const });
const bmodel = () => ({ W: fromRows([[1, 0], [0, 1], [-1, -1]]), b: v(0.1, 0, -0.1), prompt: 'bias' as const });
const X = () => fromRows([[1, 2], [0.5, -1], [-1, 0.3], [0.2, 0.2]]);
const labels = () => [0, 1, 2, 0];

// Detectors of the other p-value sources and statistics, each a few steps in (online history filled).
const onlineCfg = (): DetectorConfig => ({ p: { mode: 'online', initial: v(0.1, 0.5, 0.9), ties: 'randomized' }, betting: power(), threshold: 50, alarmOn: 'cusum', onAlarm: 'reset' }) as unknown as DetectorConfig;
const splitCfg = (): DetectorConfig => ({ p: { mode: 'split', calib: v(0.1, 0.2, 0.5, 0.7, 0.9), ties: 'conservative' }, betting: power(), threshold: 50, alarmOn: 'sr', onAlarm: 'continue' }) as unknown as DetectorConfig;
const stepped = (c: DetectorConfig): DetectorState => [0.3, 0.8, 0.2].reduce((s, x) => step(s, x), initDetector(c, 7));
const via = (f: (...a: never[]) => unknown) => (...a: never[]) => (f as (...b: unknown[]) => unknown)(...a);

export const fuzzTable: FuzzTable = {
  // The method object: init, step and stepInto (out a distinct state of the same config, or the state itself).
  'detector.init': { args: () => [cfg(), 3] },
  'detector.step': { args: () => [stepped(onlineCfg()), 0.4] },
  'detector.stepInto': { args: () => { const s = stepped(onlineCfg()); return [s, 0.4, cloneDetectorState(s)]; }, writes: [2] },
  'stepInto(split, out a fresh state)': { args: () => [stepped(splitCfg()), 0.6, initDetector(splitCfg(), 1)], writes: [2], call: via(detector.stepInto) },
  'stepInto(online, in place)': { args: () => { const s = stepped(onlineCfg()); return [s, 0.6, s]; }, writes: [0, 2], call: via(detector.stepInto) },
  adaptPrompt: { args: () => [pmodel(), v(0.1, -0.1), X(), { steps: 3, lr: 0.1, damping: 0.1, loss: 'crossEntropy', labels: labels(), kl: 0.1 }] },
  alarmStatistic: { args: () => [initDetector(cfg()), 'product'] },
  arlThreshold: { args: () => [500] },
  averageRunLength: { args: () => [cfg(), { runs: 3, maxSteps: 40, key: key(0) }] },
  betInPlace: { args: () => [{ kind: 'mixture', eps: [0.2, 0.5] }, v(Math.log(0.5), Math.log(0.5)), 0.3, 0], writes: [1] },
  bettingConfidenceSequence: { args: () => [v(0.2, 0.4, 0.6), { alpha: 0.05, breaks: 20 }] },
  bettingDensity: { args: () => [power(), new Float64Array(0), 0.3] },
  bettingLogCapital: { args: () => [v(0.2, 0.4), 0.5, { breaks: 20 }] },
  bettingStateSize: { args: () => [{ kind: 'mixture', eps: [0.2, 0.5] }] },
  bucketPValue: { args: () => [v(1, 2, 3), buildBucketIndex(v(1, 2, 3)), 2.5, 0.5] },
  buildBucketIndex: { args: () => [v(1, 2, 3)] },
  calibrationSet: { args: () => [v(3, 1, 2)] },
  cloneDetectorState: { args: () => [initDetector(cfg())] },
  conformalPValue: { args: () => [v(1, 2, 3), 3, 2.5, 0.5] },
  crossingFrequency: { args: () => [cfg(), { runs: 3, horizon: 40, key: key(0) }] },
  deserializeDetector: { args: () => [serializeDetector(initDetector(cfg()))] },
  detectorStateFromJSON: { args: () => [serializeDetector(initDetector(cfg()))] },
  detectorStateToJSON: { args: () => [initDetector(cfg())] },
  serializeDetector: { args: () => [initDetector(cfg())] },
  entropyScore: { args: () => [probs()] },
  hoeffdingMu0: { args: () => [v(0.2, 0.4, 0.6), 0, 1, 0.05] },
  initDetector: { args: () => [cfg(), 3] },
  insertSorted: { args: () => [v(1, 3, 0), 2, 2], writes: [0] },
  integrateUnitInterval: { args: () => [(p: number) => p, { tol: 1e-8 }], fixed: [0] },
  logAddExp: { args: () => [1, 2] },
  logNormalCdf: { args: () => [-3] },
  logSumExp: { args: () => [v(1, 2, 3)] },
  lowerBound: { args: () => [v(1, 2, 2, 3), 4, 2] },
  mFisherToy: { args: () => [{ seed: 0, length: 40, changeAt: 20, nCal: 30, nTest: 30, threshold: 20, buffer: 10, adaptation: { steps: 2 } }] },
  mahalanobisDistance: { args: () => [probs(), v(0, 0, 0), { rows: 3, cols: 3, data: v(1, 0, 0, 0, 1, 0, 0, 0, 1) }] },
  nearestMeanDistance: { args: () => [probs(), probs()] },
  negLogLabelProbability: { args: () => [probs(), [2, 0]] },
  negLogMaxProbability: { args: () => [probs()] },
  normalCdf: { args: () => [0.5] },
  normalLogMixture: { args: () => [1, 2, { vOpt: 10 }] },
  normalMixtureBound: { args: () => [2, 0.05, { vOpt: 10 }] },
  normalMixtureRho: { args: () => [10, 0.05] },
  normalPdf: { args: () => [0.5] },
  normalQuantile: { args: () => [0.975] },
  normalizeBetting: { args: () => [power()] },
  nullMoments: { args: () => [v(0.2, 0.4, 0.6)] },
  oneMinusMaxProbability: { args: () => [probs()] },
  onlinePValues: { args: () => [v(1, 2), v(0.5, 0.5)] },
  predmixLambdas: { args: () => [v(0.5, 0.2), { alpha: 0.05 }] },
  promptAccuracy: { args: () => [pmodel(), v(0.1, -0.1), X(), labels()] },
  promptDimension: { args: () => [bmodel()] },
  promptFisher: { args: () => [bmodel(), v(0.1, 0, -0.1), X()] },
  promptKl: { args: () => [pmodel(), v(0.1, -0.1), v(0, 0.2), X()] },
  promptLoss: { args: () => [pmodel(), v(0.1, -0.1), X(), 'infomax'] },
  promptProbabilities: { args: () => [bmodel(), v(0.1, 0, -0.1), X()] },
  resetBettingState: { args: () => [{ kind: 'mixture', eps: [0.2, 0.5] }, new Float64Array(2)], writes: [1] },
  resetDetector: { args: () => [initDetector(cfg())] },
  restartedDelayBound: { args: () => [1e-3, 100, 0.5] },
  runMFisher: { args: () => [{ model: pmodel(), score: 'entropy', detector: onlineCfg(), buffer: 3, adaptation: { steps: 2 }, key: key(0) }, X(), labels()] },
  scanDetector: { args: () => [initDetector(cfg()), v(0.5, 0.01, 0.3), { trace: true }] },
  splitPValues: { args: () => [v(0, 1, 2), v(1.5), v(0.5)] },
  step: { args: () => [initDetector(mixtureCfg()), 0.01] },
  stepInto: { args: () => [initDetector(mixtureCfg()), 0.01, initDetector(mixtureCfg())], writes: [2] },
  streamUniform: { args: () => [key(1), 3] },
  treeCountAtMost: { args: () => { const t = tree(); return [t.d, t.root, 2]; } },
  treeCountBelow: { args: () => { const t = tree(); return [t.d, t.root, 2]; } },
  treeInsert: { args: () => { const t = tree(); return [t.d, t.root, 2, 1.5]; }, writes: [0] },
  upperBound: { args: () => [v(1, 2, 2, 3), 4, 2] },
  usesPValues: { args: () => [power()] },
  validityOf: { args: () => [cfg()] },
  villeThreshold: { args: () => [0.05] },
};
