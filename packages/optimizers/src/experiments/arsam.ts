// ARSAM vs SAM on the spiral MLP: npx tsx experiments/arsam.ts
import { key } from '@descent/linalg';
import { arsam, sam, sgd } from '../index.js';
import { isMain, printFigures, standardProblem, trainMinibatch, type RunFigures } from './mlp.js';

/** Options of {@link runArsamExperiment}. */
export interface ArsamExperimentOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
  /** ARSAM window K. Default 50 (vSAM). */
  readonly window?: number;
  /** ARSAM warm-up steps. Default 3·K (vSAM's 3 epochs at ~K steps per epoch). */
  readonly warmup?: number;
}

/** ARSAM's figures with its sampling statistics. */
export interface ArsamFigures extends RunFigures {
  /** SAM steps taken (ARSAM) or all steps (SAM). */
  readonly samSteps: number;
  /** ARSAM's final per-window quota ⌊baseSR⌋ (NaN for the others). */
  readonly quota: number;
}

/**
 * SGD, SAM and ARSAM (vSAM rule, seeded) on the same batches of the spiral MLP: ARSAM should match
 * SAM's accuracy with fewer gradient evaluations (K + ⌊baseSR⌋ per window instead of 2K).
 */
export function runArsamExperiment(o: ArsamExperimentOptions = {}): ArsamFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const steps = o.steps ?? 1500;
  const train = { steps, batch: o.batch ?? 30, seed: (o.seed ?? 0) + 1 };
  const base = { lr: 0.1, momentum: 0.9 };
  const window = o.window ?? 50;
  const rows: ArsamFigures[] = [];
  const g = trainMinibatch('sgd', sgd, sgd.init(base, p.theta0), p, train).figures;
  rows.push({ ...g, samSteps: 0, quota: NaN });
  const ms = sam(sgd);
  const s = trainMinibatch('sam(sgd)', ms, ms.init({ base, rho: 0.05 }, p.theta0), p, train);
  rows.push({ ...s.figures, samSteps: s.state.t, quota: NaN });
  const ma = arsam(sgd);
  const a = trainMinibatch('arsam(sgd)', ma, ma.init({ base, rho: 0.05, window, warmup: o.warmup ?? 3 * window }, p.theta0, key((o.seed ?? 0) + 2)), p, train);
  rows.push({ ...a.figures, samSteps: a.state.samSteps, quota: Math.floor(a.state.baseSR) });
  return rows;
}

if (isMain(import.meta.url)) {
  const rows = runArsamExperiment();
  printFigures('ARSAM vs SAM on the spiral MLP (window K = 50, warm-up 150 steps)', rows);
  for (const r of rows) if (r.samSteps > 0) console.log(`${r.method}: ${r.samSteps} SAM steps of ${r.steps}${Number.isNaN(r.quota) ? '' : `, final quota ${r.quota} per window`}`);
}
