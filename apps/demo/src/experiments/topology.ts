import { paperReproduction } from './topology-runs.js';
import { verdictFrom, type Experiment } from '../experiment.js';

/**
 * Categorical invariants of learning dynamics: training runs of a small MLP (SGD and Adam, several
 * seeds) grouped into classes by linear-mode-connectivity barriers, with the persistence of the minima
 * of a loss slice against test accuracy. The setting is a reconstruction [RECON] of the paper's claims
 * at demo scale (@descent/topology's `paperReproduction`).
 */
export const topologyExperiment: Experiment = {
  id: 'topology',
  paper: 'Categorical invariants of learning dynamics',
  claim: 'same-class runs within 0.5% accuracy, others > 3% apart; persistence predicts accuracy (R² 0.82)',
  run({ seed, quick }) {
    const r = paperReproduction(quick ? { seeds: 3, steps: 200, seed } : { seed });
    const checks = [
      r.lmc.withinMeanAccuracyGap <= 0.005,
      r.lmc.betweenMeanAccuracyGap > 0.03,
      r.regression.totalPersistence.r2 >= 0.5,
    ];
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    return {
      measured: `${r.runs.length} runs in ${r.lmc.classes} LMC classes: mean accuracy gap within vs between; R² of accuracy on total persistence`,
      figure: `within ${pct(r.lmc.withinMeanAccuracyGap)}, between ${pct(r.lmc.betweenMeanAccuracyGap)}; R² ${r.regression.totalPersistence.r2.toFixed(3)} (Spearman ${r.regression.totalPersistence.spearman.toFixed(2)})`,
      verdict: verdictFrom(checks),
      criterion: 'within-class mean gap ≤ 0.5%, between-class mean gap > 3%, R² ≥ 0.5',
      plot: {
        title: 'total persistence of minima vs test accuracy (colour: LMC class)',
        data: { values: r.runs.map((run, i) => ({ optimizer: run.optimizer, seed: run.seed, persistence: run.totalPersistence, accuracy: run.testAccuracy, cls: String(r.lmc.labels[i]) })) },
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'persistence', type: 'quantitative', scale: { zero: false }, title: 'total persistence (H0 of the loss slice)' },
          y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy' },
          color: { field: 'cls', type: 'nominal', title: 'LMC class' },
          shape: { field: 'optimizer', type: 'nominal' },
        },
      },
      data: { lmc: r.lmc, regression: r.regression, homotopy: r.homotopy, representation: r.representation, notes: r.notes, runs: r.runs },
    };
  },
};
