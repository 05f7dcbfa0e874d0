import { portfolioRateExperiment } from './risk-runs.js';
import { verdictFrom, type Experiment } from '../experiment.js';

/**
 * Distortion risk SA (Jiang, Heidergott, Hu, Peng): DM, QF and hybrid forms on the Gaussian portfolio
 * problem with a closed-form optimum; the log-log slope of the mean squared error against iterations,
 * next to the paper's rates O(k^-4/7) (DM, hybrid) and O(k^-2/3) (QF).
 */
export const riskExperiment: Experiment = {
  id: 'risk',
  paper: 'Stochastic approximation for distortion risk measures',
  claim: 'DM, QF and hybrid converge to the optimum at rates k^-4/7 and k^-2/3',
  run({ seed, quick }) {
    const r = portfolioRateExperiment({ iterations: quick ? 5000 : 30000, replications: quick ? 3 : 8, seed: 2025 + seed, saaSizes: [] });
    // A rate is an upper bound on the error's decay: a measured slope at or below the paper's exponent
    // (+0.1 for the sampling noise of an 8-replication fit) reproduces it; the final error must also be
    // small relative to the first checkpoint's.
    const checks = r.rows.map((row) => row.slope <= row.paperRate + 0.1 && row.mse.at(-1)! < 0.1 * row.mse[0]!);
    // The paper also ranks the forms: QF (k^-2/3) faster than DM (k^-4/7).
    const qf = r.rows.find((row) => row.form === 'qf');
    const dm = r.rows.find((row) => row.form === 'dm');
    if (qf && dm) checks.push(qf.slope <= dm.slope);
    return {
      measured: `log-log slope of E‖w_k − w*‖² over k (K = ${r.iterations}, ${r.replications} replications)`,
      figure: r.rows.map((row) => `${row.method}: slope ${row.slope.toFixed(2)} (paper ≤ ${row.paperRate.toFixed(2)})`).join('; '),
      verdict: verdictFrom(checks),
      criterion: 'each slope ≤ paper exponent + 0.1 (a rate is an upper bound) with final MSE < 10% of the first; QF’s slope ≤ DM’s (the paper’s ranking)',
      plot: {
        title: 'mean squared error of the decision vs iterations',
        data: { values: r.rows.flatMap((row) => row.checkpoints.map((k, i) => ({ method: row.method, k, mse: row.mse[i] }))) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'k', type: 'quantitative', scale: { type: 'log' }, title: 'iteration k' },
          y: { field: 'mse', type: 'quantitative', scale: { type: 'log' }, title: 'E‖w_k − w*‖²' },
          color: { field: 'method', type: 'nominal' },
        },
      },
      data: r as unknown as Record<string, unknown>,
    };
  },
};
