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
