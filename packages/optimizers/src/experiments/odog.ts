// Double optimism (ODOG, reconstructed) vs O2NC and GD on the spiral MLP: npx tsx experiments/odog.ts
import { o2nc, odog, sgd } from '../index.js';
import { isMain, standardProblem } from './mlp.js';
import { printStationarity, runDeterministic, type StationarityFigures } from './o2nc.js';

/** Options of {@link runOdogExperiment}. */
export interface OdogExperimentOptions {
  /** Gradient evaluations per method (ODOG spends two per round). Default 3000. */
  readonly budget?: number;
  readonly seed?: number;
  readonly radius?: number;
  readonly lr?: number;
  readonly window?: number;
  readonly epsilon?: number;
}

/**
 * GD, O2NC (midpoint) and ODOG (fixed η, with and without the hint correction, and the adaptive step)
 * on the full-batch spiral MLP loss with the same gradient budget: loss, accuracy and ‖∇F‖ of the
 * window-averaged outputs, and evaluations until ‖∇F(output)‖ ≤ ε. ODOG is the spec's reconstruction.
 */
export function runOdogExperiment(o: OdogExperimentOptions = {}): StationarityFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const budget = o.budget ?? 3000;
  const eps = o.epsilon ?? 0.02;
  const D = o.radius ?? 0.05;
  const eta = o.lr ?? 0.05;
  const T = o.window ?? 5;
  const changed = (a: { windows: number }, b: { windows: number }) => a.windows !== b.windows;
  return [
    runDeterministic('gd (lr 0.5)', sgd, sgd.init({ lr: 0.5 }, p.theta0), p, budget, eps, () => true),
    runDeterministic('o2nc midpoint', o2nc, o2nc.init({ radius: D, lr: eta, window: T, point: 'midpoint' }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog', odog, odog.init({ radius: D, lr: eta, window: T }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog +hint corr.', odog, odog.init({ radius: D, lr: eta, window: T, hintCorrection: true }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog adaptive η', odog, odog.init({ radius: D, lr: 'adaptive', window: T }, p.theta0), p, budget, eps, changed),
  ];
}

if (isMain(import.meta.url)) printStationarity('ODOG [RECON] vs O2NC vs GD, full-batch spiral MLP (D = 0.05, η = 0.05, T = 5; budget 3000 gradients)', runOdogExperiment());
