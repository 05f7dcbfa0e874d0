// Valid calls of the functions of @descent/risk's main entry and of the SA methods' init, step and
// stepInto (and the models' sampleInto), for the API fuzz (scripts/fuzz-api.ts, run with `members`).
import type { FuzzTable } from '../../../scripts/fuzz-api.js';
import { key } from '@descent/linalg';
import { codeSchedules, drmSA, expectation, expectedShortfall, linearGaussianModel, normalPpf, quantileTracker, robustMixtureModel, serializeState, simplexSet, wangTransform } from '@descent/risk';

const v = (...xs: number[]) => Float64Array.from(xs);
const es = () => expectedShortfall(0.9);
const market = () => ({ mean: v(1, 2), cov: v(1, 0.2, 0.2, 2) });
const law = () => ({ mu: v(-0.5, 0.5), sigma: v(1, 0.5), pi: v(0.3, 0.7) });
const sample = () => ({ x: v(-1.2, -0.8, -1.1, -0.5), psi: v(0.1, -0.2, 0.3, -0.1, 0.2, 0.05, -0.3, 0.1) });
const model = () => linearGaussianModel(v(1, 2), v(1, 0.2, 0.2, 2));
const saConfig = () => ({ form: 'qf' as const, distortion: es(), projection: simplexSet(), M: 8, batchSize: 4 });

// A state after the warm-up (phase 'run'), so step exercises the SA recursion, not only the warm-up.
const warm = (form: 'qf' | 'dm' | 'hybrid') => {
  const cfg = form === 'qf' ? saConfig() : { ...saConfig(), form, distortion: wangTransform(0.5) };
  const s0 = drmSA.init(cfg, v(0.5, 0.5));
  const n = s0.sampleSize;
  const x = Float64Array.from({ length: n }, (_, j) => Math.sin(j + 1));
  const psi = Float64Array.from({ length: 2 * n }, (_, j) => Math.cos(j));
  return drmSA.step(s0, { x, psi });
};
const batch = () => ({ x: v(-0.3, 0.4, 0.1, -0.8), psi: v(0.1, -0.2, 0.3, -0.1, 0.2, 0.05, -0.3, 0.1) });
const tracker = () => quantileTracker.init({ levels: v(0.25, 0.5, 0.9), schedule: { a: 1, b: 50, c: 0.71 }, monotone: true, check: true }, v(-1, 0, 1));
const gaussianModel = model();
// A `call` for a row that names no export: the function, called with the fuzzed arguments.
const via = (f: (...a: never[]) => unknown) => (...a: never[]) => (f as (...b: unknown[]) => unknown)(...a);
const mixtureModel = robustMixtureModel(2);

export const fuzzTable: FuzzTable = {
  'drmSA.init': { args: () => [{ ...saConfig(), gridPow: 1, atomNodes: 'cell', tailRule: 'cvar', sense: 'min', schedules: codeSchedules(), bandwidth: 'relative', warmupSize: 11, check: true }, v(0.5, 0.5)] },
  'drmSA.step': { args: () => [warm('qf'), batch()] },
  'drmSA.stepInto': { args: () => [warm('dm'), batch(), warm('dm')], writes: [2], overflowWrites: true },
  // The warm-up step of a fresh state (its batch holds M + 3 draws).
  'drmSA.step(warm-up)': { args: () => [drmSA.init(saConfig(), v(0.5, 0.5)), { x: v(0.1, -0.2, 0.3, 0.5, -0.7, 1.1, 0.2, -0.1, 0.4, 0.9, -0.3), psi: new Float64Array(22).fill(0.1) }], call: via(drmSA.step) },
  'quantileTracker.init': { args: () => [{ levels: v(0.25, 0.5, 0.9), schedule: { a: 1, b: 50, c: 0.71 }, monotone: true, check: true }, v(-1, 0, 1)] },
  'quantileTracker.step': { args: () => [tracker(), v(0.3, -0.5, 1.2, 0.1)] },
  'quantileTracker.stepInto': { args: () => [tracker(), v(0.3, -0.5, 1.2, 0.1), tracker()], writes: [2], overflowWrites: true },
  // Methods of the models the package's factories return.
  'linearGaussianModel(…).sampleInto': { args: () => [v(0.5, 0.5), key(2), new Float64Array(3), new Float64Array(6)], writes: [2, 3], overflowWrites: true, call: via(gaussianModel.sampleInto) },
  'robustMixtureModel(2).sampleInto': { args: () => [v(0.1, -0.2, 0, 0.3, 0.2, -0.1), key(2), new Float64Array(3), new Float64Array(18)], writes: [2, 3], overflowWrites: true, call: via(mixtureModel.sampleInto) },
  atomIndex: { args: () => [10, 0.35] },
  boxSet: { args: () => [0, 1, 3] },
  budgetBoxSet: { args: () => [0, 1, 3, 1] },
  choleskyLower: { args: () => [v(4, 1, 1, 3), 2] },
  codeSchedules: { args: () => [] },
  conditionalValueAtRisk: { args: () => [0.9] },
  customDistortion: { args: () => [{ g: (x: number) => Math.sqrt(x) }] },
  discontinuousDistortion: { args: () => [[0.3, 0.5, 0.7], 0.2, 5] },
  dmQuantileGradient: { args: () => [sample(), 0.5, -1, 0.1, 2] },
  drm: { args: () => [v(3, 1, 2, 5), es()] },
  drmOfGaussian: { args: () => [0, 1, es()] },
  drmOfLinearGaussian: { args: () => [v(0.5, 0.5), market(), es()] },
  drmOfLinearGaussianGradient: { args: () => [v(0.5, 0.5), market(), es()] },
  drmOfQuantileFunction: { args: () => [(u: number) => u, es()], fixed: [0] },
  drmSorted: { args: () => [v(1, 2, 3, 5), es()] },
  drmWeights: { args: () => [4, es()] },
  dualPower: { args: () => [2] },
  empiricalQuantile: { args: () => [v(1, 2, 3), 0.5] },
  expectation: { args: () => [] },
  expectedShortfall: { args: () => [0.9] },
  gaussLegendre20: { args: () => [] },
  gaussianCoefficient: { args: () => [es()] },
  gaussianPortfolioOptimum: { args: () => [market(), wangTransform(0.5), simplexSet()] },
  gaussianPortfolioProblem: { args: () => [wangTransform(0.5), market()] },
  gaussianScenarios: { args: () => [market(), 4, key(0)] },
  gini: { args: () => [0.5] },
  integrate: { args: () => [(x: number) => x * x, 0, 3, [1], 0.5], fixed: [0] },
  isConcaveOnGrid: { args: () => [(s: number) => Math.sqrt(s), 100], fixed: [0] },
  linearGaussianModel: { args: () => [v(0.1, 0.2), v(1, 0.1, 0.1, 1)] },
  lookback: { args: () => [0.5] },
  mixture: { args: () => [[es(), wangTransform(0.5)], [0.5, 0.5]] },
  mixtureCdf: { args: () => [law(), 0.3] },
  mixtureLogPdf: { args: () => [v(0, 0, 0), 0] },
  mixturePdf: { args: () => [law(), 0.3] },
  mixturePpf: { args: () => [law(), 0.9] },
  normalCdf: { args: () => [0.5] },
  normalPdf: { args: () => [0.5] },
  normalPpf: { args: () => [0.975] },
  normalSf: { args: () => [0.5] },
  normalizedMixture: { args: () => [v(-1, 1, 0, 0, 0, 0)] },
  probitKinks: { args: () => [es()] },
  probitRange: { args: () => [es()] },
  project: { args: () => [simplexSet(1), v(0.5, 0.7, -0.1)] },
  projectInto: { args: () => [simplexSet(1), v(0.5, 0.7, -0.1), new Float64Array(3)], writes: [2] },
  proportionalHazard: { args: () => [0.5] },
  prospectWeighting: { args: () => [0.7] },
  quantileDistance: { args: () => [law(), (u: number) => normalPpf(u), 50] },
  quantileGrid: { args: () => [es(), 'qf', { M: 8, gridPow: 1, atomNodes: 'cell' }] },
  qfGradient: { args: () => [es(), sample(), (u: number) => -1 + normalPpf(u), 2, { M: 8, gridPow: 1, tailRule: 'cvar' }] },
  rangeValueAtRisk: { args: () => [0.1, 0.9] },
  rateSchedules: { args: () => ['qf', codeSchedules()] },
  robustMixtureModel: { args: () => [3] },
  robustPortfolioProblem: { args: () => ['cvar', key(0)] },
  runDrmSA: { args: () => [saConfig(), v(0.5, 0.5), model(), key(1), { iterations: 3, checkpoints: [1, 3] }] },
  sShape: { args: () => [2] },
  sampleAverageObjective: { args: () => [expectation(), v(1, 2, 3, 4), 2, v(0.5, 0.5)] },
  sampleAverageOptimize: { args: () => [v(0.5, 0.5), { distortion: expectation(), scenarios: v(1, 0, 0, 1, 2, -1, -1, 2), projection: simplexSet() }] },
  sampleModel: { args: () => [model(), v(0.5, 0.5), key(0), 5] },
  simplexSet: { args: () => [1] },
  serializeState: { args: () => [quantileTracker, quantileTracker.init({ levels: v(0.5) }, v(0))] },
  deserializeState: { args: () => [quantileTracker, serializeState(quantileTracker, quantileTracker.init({ levels: v(0.5) }, v(0)))] },
  sortFloat64: { args: () => [v(3, 1, 2), new Float64Array(3)], writes: [1] },
  stepSize: { args: () => [{ a: 1, b: 50, c: 1 }, 50] },
  validateSchedules: { args: () => [codeSchedules(), 'dm'] },
  valueAtRisk: { args: () => [0.9] },
  wangTransform: { args: () => [0.5] },
  worstCaseDrm: { args: () => [es(), 2000] },
};
