// SAM vs its base on the spiral MLP: npx tsx experiments/sam.ts
import { sam, sgd } from '../index.js';
import { isMain, printFigures, standardProblem, trainMinibatch, type RunFigures } from './mlp.js';

/** Options of {@link runSamExperiment}. */
export interface SamExperimentOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly rho?: number;
  readonly asamRho?: number;
}

/**
 * Trains the 2 → 32 → 3 spiral MLP with SGD (momentum 0.9), SAM (ρ = 0.05) and ASAM (ρ = 0.5) on the
 * same mini-batches and returns loss, accuracy and gradient evaluations of each: SAM spends two
 * gradient evaluations per step.
 */
export function runSamExperiment(o: SamExperimentOptions = {}): RunFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const steps = o.steps ?? 1500;
  const train = { steps, batch: o.batch ?? 30, seed: (o.seed ?? 0) + 1 };
  const base = { lr: 0.1, momentum: 0.9 };
  const rows: RunFigures[] = [];
  rows.push(trainMinibatch('sgd', sgd, sgd.init(base, p.theta0), p, train).figures);
  const m = sam(sgd);
  rows.push(trainMinibatch('sam(sgd) ρ=0.05', m, m.init({ base, rho: o.rho ?? 0.05 }, p.theta0), p, train).figures);
  rows.push(trainMinibatch('asam(sgd) ρ=0.5', m, m.init({ base, rho: o.asamRho ?? 0.5, adaptive: true }, p.theta0), p, train).figures);
  return rows;
}

if (isMain(import.meta.url)) printFigures('SAM on the spiral MLP (2 → 32 → 3, 300 train / 300 test points)', runSamExperiment());
