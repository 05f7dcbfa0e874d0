// npm run bench: distortion risk measures and the SA optimizers. The sample DRM is sort-bound; its
// reference is NumPy's sort-and-weight (np.sort + distortion weights + dot) measured in the same run.
// Ratios > 1 mean descent is faster.
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { foldIn, key, normal } from '@descent/linalg';
import {
  drm,
  drmSA,
  expectedShortfall,
  gaussianCoefficient,
  gaussianPortfolioProblem,
  gaussianScenarios,
  mixture,
  robustPortfolioProblem,
  sampleAverageObjective,
  drmWeights,
  sampleModel,
  sortFloat64,
  valueAtRisk,
  wangTransform,
  type DrmSaConfig,
  type DrmSaState,
  type DrmModel,
} from '../src/index.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;

const numpy = runPython<Record<string, number>>(`
import json, time, numpy as np
from scipy.stats import norm
def t(f, reps):
    f(); best = []
    for _ in range(reps):
        s = time.perf_counter(); f(); best.append(time.perf_counter() - s)
    best.sort(); return best[len(best) // 2]
x6 = np.random.default_rng(0).standard_normal(1_000_000)
x4 = np.random.default_rng(1).standard_normal(10_000)
def cvar(x, a=0.9):
    n = len(x); u = np.arange(n + 1) / n
    w = np.diff(np.maximum(0.0, (u - a) / (1 - a)))
    return np.dot(np.sort(x), w)
def wang(x, lam=0.5):
    n = len(x); u = np.arange(n + 1) / n
    w = np.diff(norm.cdf(norm.ppf(u) - lam))
    return np.dot(np.sort(x), w)
print(json.dumps({
  'sort6': t(lambda: np.sort(x6), 15),
  'cvar6': t(lambda: cvar(x6), 15), 'wang6': t(lambda: wang(x6), 7),
  'cvar4': t(lambda: cvar(x4), 200),
}))
`);
const numpyLabel = numpy ? 'NumPy sort-and-weight' : 'NumPy (not installed)';
const rows: BenchRow[] = [];

const x6 = normal(key(0), 1_000_000);
const x4 = normal(key(1), 10_000);
{
  const s = measure(() => sortFloat64(x6), { minSeconds });
  rows.push({ operation: 'sortFloat64 (radix)', size: '1e6', seconds: s.seconds, work: 1e6, unit: 'elem', referenceSeconds: numpy?.sort6, reference: numpy ? 'np.sort' : 'NumPy (not installed)' });
}
for (const [name, d, ref, x, size] of [
  ['drm CVaR 0.9', expectedShortfall(0.9), numpy?.cvar6, x6, '1e6'],
  ['drm Wang 0.5', wangTransform(0.5), numpy?.wang6, x6, '1e6'],
  ['drm CVaR 0.9', expectedShortfall(0.9), numpy?.cvar4, x4, '1e4'],
] as const) {
  const m = measure(() => drm(x, d, { check: false }), { minSeconds });
  rows.push({ operation: name, size, seconds: m.seconds, work: x.length, unit: 'sample', referenceSeconds: ref, reference: numpyLabel, note: 'sort + weights + dot' });
}
{
  const m = measure(() => gaussianCoefficient(wangTransform(0.5)), { minSeconds });
  rows.push({ operation: 'gaussianCoefficient (quadrature)', size: 'Wang 0.5', seconds: m.seconds, reference: 'not measured' });
}

// SA iterations: step only (pre-drawn batches), ping-ponging two states with stepInto.
function stepRate(cfg: DrmSaConfig, x0: Float64Array, model: DrmModel, n: number): number {
  let s = drmSA.init(cfg, x0);
  s = drmSA.step(s, sampleModel(model, s.query, key(1), s.sampleSize));
  const batches = Array.from({ length: 64 }, (_, i) => sampleModel(model, x0, key(100 + i), n));
  let spare: DrmSaState = drmSA.step(s, batches[0]!);
  let i = 0;
  const m = measure(() => {
    const next = drmSA.stepInto(s, batches[i++ & 63]!, spare);
    spare = s;
    s = next;
  }, { minSeconds });
  return m.seconds;
}
// Full loop: draw the batch at θ (GLR weights) and step.
function loopRate(cfg: DrmSaConfig, x0: Float64Array, model: DrmModel, n: number): number {
  let s = drmSA.init(cfg, x0);
  s = drmSA.step(s, sampleModel(model, s.query, key(1), s.sampleSize));
  const batch = { x: new Float64Array(n), psi: new Float64Array(n * x0.length) };
  let spare: DrmSaState = drmSA.step(s, sampleModel(model, s.query, key(2), n));
  const k = key(3);
  const m = measure(() => {
    model.sampleInto(s.query, foldIn(k, s.t), batch.x, batch.psi);
    const next = drmSA.stepInto(s, batch, spare);
    spare = s;
    s = next;
  }, { minSeconds });
  return m.seconds;
}
const sched = {
  theta: { a: 0.04, b: 50, c: 1 },
  quantile: { a: 1, b: 50, c: 0.71 },
  gradient: { a: 1, b: 50, c: 0.7 },
  bandwidth: { a: 0.5, b: 50, c: 0.14 },
};
{
  const gp = gaussianPortfolioProblem(expectedShortfall(0.9));
  for (const [label, cfg] of [
    ['QF-form', { form: 'qf', distortion: expectedShortfall(0.9) }],
    ['DM-form', { form: 'dm', distortion: expectedShortfall(0.9) }],
    ['hybrid', { form: 'hybrid', distortion: mixture([expectedShortfall(0.9), valueAtRisk(0.9)], [0.5, 0.5]) }],
  ] as const) {
    const full: DrmSaConfig = { ...cfg, M: 100, projection: gp.projection, schedules: sched, batchSize: 10 };
    const st = stepRate(full, gp.x0, gp.model, 10);
    rows.push({ operation: `SA step ${label}`, size: 'p=3 M=100 n=10', seconds: st, work: 1, unit: 'it', reference: 'not measured', note: 'stepInto only' });
    const lp = loopRate(full, gp.x0, gp.model, 10);
    rows.push({ operation: `SA iteration ${label}`, size: 'p=3 M=100 n=10', seconds: lp, work: 1, unit: 'it', reference: 'not measured', note: 'draw + GLR + stepInto' });
  }
  const rp = robustPortfolioProblem('cvar', key(0));
  const cfg: DrmSaConfig = { form: 'qf', distortion: rp.distortion, M: rp.M, schedules: rp.schedules, projection: rp.projection, sense: 'max', bandwidth: 'absolute', batchSize: 4 };
  rows.push({ operation: 'SA iteration QF-form, robust portfolio', size: 'p=30 M=100 n=4', seconds: loopRate(cfg, rp.x0, rp.model, 4), work: 1, unit: 'it', reference: 'not measured', note: 'mixture score' });
  const dmCfg: DrmSaConfig = { ...cfg, form: 'dm' };
  rows.push({ operation: 'SA iteration DM-form, robust portfolio', size: 'p=30 M=100 n=4', seconds: loopRate(dmCfg, rp.x0, rp.model, 4), work: 1, unit: 'it', reference: 'not measured', note: 'mixture score' });
  const sc = gaussianScenarios(gp.returns, 100000, key(5));
  const w = drmWeights(100000, gp.distortion);
  const m = measure(() => sampleAverageObjective(gp.distortion, sc, 3, gp.x0, w), { minSeconds });
  rows.push({ operation: 'sample-average objective + subgradient', size: 'N=1e5 p=3', seconds: m.seconds, work: 1e5, unit: 'scenario', reference: 'not measured', note: 'radix argsort' });
}

printTable('@descent/risk', rows);
