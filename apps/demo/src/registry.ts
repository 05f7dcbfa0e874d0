import type { Experiment } from './experiment.js';
import { leastSquaresExperiment } from './experiments/least-squares.js';

/** Every experiment `npm run demo` knows, in report order. */
export const experiments: readonly Experiment[] = [leastSquaresExperiment];
