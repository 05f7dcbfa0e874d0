import type { Experiment } from './experiment.js';
import { leastSquaresExperiment } from './experiments/least-squares.js';
import { samArsamExperiment } from './experiments/sam-arsam.js';
import { o2ncOdogExperiment } from './experiments/o2nc-odog.js';
import { mFisherExperiment } from './experiments/mfisher.js';
import { anemoneExperiment } from './experiments/anemone.js';
import { riskExperiment } from './experiments/risk.js';
import { dynamicsExperiment } from './experiments/dynamics.js';
import { topologyExperiment } from './experiments/topology.js';
import { egdExperiment } from './experiments/egd.js';
import { hillAdamExperiment } from './experiments/hill-adam.js';
import { muonRegExperiment } from './experiments/muon-reg.js';

/** Every experiment `npm run demo` knows, in report order (the order of ../shared/papers.md). */
export const experiments: readonly Experiment[] = [
  leastSquaresExperiment,
  mFisherExperiment,
  hillAdamExperiment,
  egdExperiment,
  samArsamExperiment,
  anemoneExperiment,
  riskExperiment,
  topologyExperiment,
  muonRegExperiment,
  o2ncOdogExperiment,
  dynamicsExperiment,
];

/**
 * CPU seconds each experiment took in a default run (5 seeds, 2 workers, load average ~10): only the
 * order matters, so the parallel runner can start the longest experiments first. An id missing here
 * counts as 1 s.
 */
export const expectedCpuSeconds: Readonly<Record<string, number>> = {
  egd: 29.9,
  anemone: 15.4,
  odog: 14.7,
  'muon-reg': 7.7,
  arsam: 6.6,
  risk: 6.3,
  'hill-adam': 4.7,
  topology: 3.1,
  mfisher: 1.0,
  dynamics: 0.6,
  lstsq: 0.3,
};
