import { runArsamExperiment } from './spirals.js';
import { verdictFrom, type Experiment } from '../experiment.js';

/**
 * ARSAM (Deng, Pang): SGD, SAM and ARSAM on the same mini-batches of a 2→32→3 MLP classifying
 * 3-class spirals (@descent/optimizers' experiment). Claim: ARSAM matches SAM's accuracy with about
 * 40% fewer gradient evaluations.
 */
export const samArsamExperiment: Experiment = {
  id: 'arsam',
  paper: 'ARSAM (adaptive sample/reuse/mix SAM)',
  claim: 'ARSAM matches SAM accuracy with ~40% less compute',
  run({ seed, quick }) {
    const rows = runArsamExperiment({ seed, steps: quick ? 400 : 1500 });
    const get = (m: string) => rows.find((r) => r.method === m)!;
    const sgdRow = get('sgd');
    const samRow = get('sam(sgd)');
    const arsamRow = get('arsam(sgd)');
    const saving = 1 - arsamRow.gradEvals / samRow.gradEvals;
    const gap = arsamRow.testAccuracy - samRow.testAccuracy;
    // Test accuracy over 300 points has a binomial SE of ≈ √(0.95·0.05/300) ≈ 1.3 pp: a 3 pp gap is
    // ≈ 2.3 SE, the tolerance for "matches".
    const checks = [gap >= -0.03, saving >= 0.25];
    return {
      measured: 'test accuracy and gradient evaluations, SGD / SAM / ARSAM on spirals',
      figure: `acc SGD ${sgdRow.testAccuracy.toFixed(3)}, SAM ${samRow.testAccuracy.toFixed(3)}, ARSAM ${arsamRow.testAccuracy.toFixed(3)}; ARSAM saves ${(100 * saving).toFixed(0)}% of SAM's ${samRow.gradEvals} gradients`,
      verdict: verdictFrom(checks),
      criterion: 'ARSAM accuracy ≥ SAM − 3 pp (≈ 2.3 binomial SE) and ≥ 25% fewer gradient evaluations than SAM',
      plot: {
        title: 'gradient evaluations vs test accuracy',
        data: { values: rows.map((r) => ({ method: r.method, gradEvals: r.gradEvals, testAccuracy: r.testAccuracy })) },
        mark: { type: 'point', filled: true, size: 120 },
        encoding: {
          x: { field: 'gradEvals', type: 'quantitative', title: 'gradient evaluations' },
          y: { field: 'testAccuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy' },
          color: { field: 'method', type: 'nominal' },
        },
      },
      data: { rows, saving },
    };
  },
};
