// Online-to-nonconvex conversion on the spiral MLP (full batch): npx tsx experiments/o2nc.ts
import { key } from '@descent/linalg';
import { o2nc, sgd } from '../index.js';
import { isMain, mlpAccuracy, mlpLossGrad, printFigures, standardProblem, type RunFigures } from './mlp.js';

/** Figures of a deterministic (full-batch) run, with the stationarity of the output. */
export interface StationarityFigures extends RunFigures {
  /** ‖∇F‖ at the output (GD: the iterate; O2NC/ODOG: the last window average). */
  readonly outputGradNorm: number;
  /** Gradient evaluations until an output first had ‖∇F‖ ≤ epsilon (NaN if never). */
  readonly evalsToEpsilon: number;
}

/** Options of {@link runO2ncExperiment}. */
export interface O2ncExperimentOptions {
  /** Gradient evaluations per method. Default 3000. */
  readonly budget?: number;
  readonly seed?: number;
  /** Ball radius D. Default 0.05. */
  readonly radius?: number;
  /** OGD step η. Default 0.05. */
  readonly lr?: number;
  /** Window T. Default 5. */
  readonly window?: number;
  /** Stationarity target on the output. Default 0.02. */
  readonly epsilon?: number;
}

function norm(g: Float64Array): number {
  let s = 0;
  for (const v of g) s += v * v;
  return Math.sqrt(s);
}

/** Runs an ask/tell method for `budget` oracle calls on the full training loss. */
export function runDeterministic<S extends { x: Float64Array; query: Float64Array; t: number }>(
  name: string,
  method: { step(s: S, g: Float64Array): S },
  state: S,
  p: ReturnType<typeof standardProblem>,
  budget: number,
  epsilon: number,
  outputChanged: (prev: S, next: S) => boolean,
): StationarityFigures {
  const t0 = performance.now();
  let s = state;
  let evalsToEpsilon = NaN;
  for (let e = 1; e <= budget; e++) {
    const prev = s;
    s = method.step(s, mlpLossGrad(s.query, p.shape, p.train).grad);
    if (Number.isNaN(evalsToEpsilon) && outputChanged(prev, s) && norm(mlpLossGrad(s.x, p.shape, p.train).grad) <= epsilon) evalsToEpsilon = e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const out = mlpLossGrad(s.x, p.shape, p.train);
  return {
    method: name,
    steps: s.t,
    gradEvals: budget,
    trainLoss: out.value,
    trainAccuracy: mlpAccuracy(s.x, p.shape, p.train),
    testAccuracy: mlpAccuracy(s.x, p.shape, p.test),
    seconds,
    outputGradNorm: norm(out.grad),
    evalsToEpsilon,
  };
}

/**
 * Gradient descent vs O2NC (OGD learner, uniform and midpoint s_n) on the full-batch spiral MLP loss,
 * for the same budget of gradient evaluations: loss, accuracy and ‖∇F‖ of each method's output (O2NC
 * outputs window averages), and the evaluations until the output first reaches ‖∇F‖ ≤ ε.
 */
export function runO2ncExperiment(o: O2ncExperimentOptions = {}): StationarityFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const budget = o.budget ?? 3000;
  const eps = o.epsilon ?? 0.02;
  const cfg = { radius: o.radius ?? 0.05, lr: o.lr ?? 0.05, window: o.window ?? 5 };
  const rows: StationarityFigures[] = [];
  rows.push(runDeterministic('gd (lr 0.5)', sgd, sgd.init({ lr: 0.5 }, p.theta0), p, budget, eps, () => true));
  const changed = (a: { windows: number }, b: { windows: number }) => a.windows !== b.windows;
  rows.push(runDeterministic('o2nc uniform', o2nc, o2nc.init({ ...cfg, point: 'uniform' }, p.theta0, key((o.seed ?? 0) + 3)), p, budget, eps, changed));
  rows.push(runDeterministic('o2nc midpoint', o2nc, o2nc.init({ ...cfg, point: 'midpoint' }, p.theta0), p, budget, eps, changed));
  return rows;
}

/** Prints stationarity figures. */
export function printStationarity(title: string, rows: readonly StationarityFigures[]): void {
  printFigures(title, rows);
  for (const r of rows) console.log(`${r.method}: ‖∇F(output)‖ = ${r.outputGradNorm.toExponential(3)}, evaluations to ‖∇F‖ ≤ ε: ${Number.isNaN(r.evalsToEpsilon) ? 'not reached' : r.evalsToEpsilon}`);
}

if (isMain(import.meta.url)) printStationarity('O2NC on the full-batch spiral MLP (D = 0.05, η = 0.05, T = 5; budget 3000 gradients)', runO2ncExperiment());
