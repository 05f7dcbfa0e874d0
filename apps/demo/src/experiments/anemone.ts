import type { DebdName } from '@descent/circuits';
import { compareLearners, hcltVersusChowLiu } from './anemone-runs.js';
import { verdictFrom, type Experiment } from '../experiment.js';

/**
 * anemone (Liu, Shao, Van den Broeck): learning curves of full-batch EM, mini-batch EM, anemone and
 * Adam on one HCLT over a DEBD set, and HCLT + anemone against the plain Chow–Liu tree.
 */
export const anemoneExperiment: Experiment = {
  id: 'anemone',
  paper: 'Rethinking PC parameter learning (anemone)',
  claim: 'anemone converges faster and higher than full-batch and mini-batch EM',
  run({ seed, quick }) {
    const datasets: DebdName[] = quick ? ['nltcs'] : ['nltcs', 'plants'];
    const headline = datasets.map((dataset) => hcltVersusChowLiu({ dataset, K: quick ? 8 : 16, epochs: quick ? 2 : 8, seed }));
    const curves = compareLearners({ dataset: 'nltcs', K: quick ? 4 : 16, epochs: quick ? 2 : 6, seed });
    const final = (label: string) => curves.find((c) => c.label.startsWith(label))!.curve.at(-1)!.test ?? NaN;
    const anemoneLL = Math.max(final('anemone (η 0.4, m 0)'), final('anemone (η 0.4, m 0.9)'));
    const miniLL = final('mini-batch EM');
    const fullLL = final('full-batch EM');
    const checks = [...headline.map((h) => h.beatsChowLiu), anemoneLL >= miniLL, anemoneLL >= fullLL];
    const values = curves.flatMap((c) => c.curve.filter((p) => p.test !== undefined).map((p) => ({ learner: c.label, epoch: p.epoch, seconds: p.seconds, test: p.test })));
    return {
      measured: 'test log-likelihood (nats/sample): HCLT+anemone vs Chow–Liu; learners after equal epochs on NLTCS',
      figure:
        headline.map((h) => `${h.dataset}: HCLT ${h.hcltTest.toFixed(2)} vs CLT ${h.chowLiuTest.toFixed(2)} (reported ${h.chowLiuReported})`).join('; ') +
        `; NLTCS final: anemone ${anemoneLL.toFixed(2)}, mini-batch EM ${miniLL.toFixed(2)}, full EM ${fullLL.toFixed(2)}`,
      verdict: verdictFrom(checks),
      criterion: 'HCLT+anemone above the Chow–Liu tree on every set, and anemone’s final test LL ≥ both EM variants’',
      plot: {
        title: 'NLTCS test log-likelihood per epoch',
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          y: { field: 'test', type: 'quantitative', scale: { zero: false }, title: 'test LL (nats/sample)' },
          color: { field: 'learner', type: 'nominal' },
        },
      },
      data: { headline: headline.map((h) => ({ ...h, curve: undefined })), curves },
    };
  },
};
