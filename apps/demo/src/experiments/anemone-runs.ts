import { chowLiuCircuit, compile, hclt, loadDebd, meanLogLikelihood, train, type CurvePoint, type DebdName, type OptimizerSpec } from '@descent/circuits';
import { key as makeKey, type Matrix } from '@descent/linalg';

/**
 * Test log-likelihood of a plain Chow–Liu tree reported for the DEBD sets (spec (f): a student
 * report, unverified; our own Chow–Liu tree reproduces both to two decimals).
 */
export const CHOW_LIU_REPORTED: Readonly<Record<DebdName, number>> = { nltcs: -6.76, plants: -16.52 };

/** Options of {@link hcltVersusChowLiu}. */
export interface HcltExperimentOptions {
  readonly dataset: DebdName;
  /** Latent states of the HCLT; default 16. */
  readonly K?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  /** anemone's step size and momentum; defaults 0.4 and 0.9 (pyjuice). */
  readonly stepSize?: number;
  readonly momentum?: number;
  readonly seed?: number;
  /** Use only the first `trainRows` training rows (a quicker run); default all. */
  readonly trainRows?: number;
}

/** Figures of {@link hcltVersusChowLiu}: mean log-likelihoods per sample, nats. */
export interface HcltExperimentResult {
  readonly dataset: DebdName;
  readonly K: number;
  readonly numVars: number;
  readonly trainRows: number;
  /** Our Chow–Liu tree (α = 0.1 smoothed MLE) on the test split. */
  readonly chowLiuTest: number;
  readonly chowLiuReported: number;
  /** HCLT + anemone: test LL at the epoch of best validation LL. */
  readonly hcltTest: number;
  readonly hcltBestEpoch: number;
  readonly curve: CurvePoint[];
  readonly trainSeconds: number;
  /** hcltTest > max(chowLiuTest, chowLiuReported). */
  readonly beatsChowLiu: boolean;
}

/**
 * Spec (f)'s headline check on a DEBD set: an HCLT trained with anemone against the plain Chow–Liu
 * tree (ours and the reported figure), early-stopped on the validation split. apps/demo calls this.
 */
export function hcltVersusChowLiu(options: HcltExperimentOptions): HcltExperimentResult {
  const K = options.K ?? 16;
  let trainSet = loadDebd(options.dataset, 'train');
  if (options.trainRows !== undefined && options.trainRows < trainSet.rows) {
    trainSet = { rows: options.trainRows, cols: trainSet.cols, data: trainSet.data.slice(0, options.trainRows * trainSet.cols) };
  }
  const valid = loadDebd(options.dataset, 'valid');
  const test = loadDebd(options.dataset, 'test');
  const clt = compile(chowLiuCircuit(trainSet, { alpha: 0.1 }));
  const chowLiuTest = meanLogLikelihood(clt, clt.params, test);
  const seed = options.seed ?? 0;
  const cc = compile(hclt(trainSet, { K, key: makeKey(seed) }));
  const r = train(cc, cc.params, trainSet, {
    optimizer: { kind: 'anemone', stepSize: options.stepSize ?? 0.4, momentum: options.momentum ?? 0.9 },
    epochs: options.epochs ?? 10,
    batchSize: options.batchSize ?? 512,
    key: makeKey(seed + 1),
    valid,
    test,
    evalTrain: false,
  });
  const best = r.best!;
  const reported = CHOW_LIU_REPORTED[options.dataset];
  return {
    dataset: options.dataset, K, numVars: cc.numVars, trainRows: trainSet.rows,
    chowLiuTest, chowLiuReported: reported,
    hcltTest: best.test!, hcltBestEpoch: best.epoch, curve: r.curve,
    trainSeconds: r.curve[r.curve.length - 1]!.seconds,
    beatsChowLiu: best.test! > Math.max(chowLiuTest, reported),
  };
}

/** One learner's curve in {@link compareLearners}. */
export interface LearnerCurve {
  readonly label: string;
  readonly optimizer: OptimizerSpec;
  readonly curve: CurvePoint[];
}

/**
 * Learning curves of full-batch EM, mini-batch EM, anemone (with and without momentum) and Adam on
 * one HCLT and one DEBD set, from the same initial parameters and shuffling key (spec (f) protocol:
 * batch 512; full EM α 0.1; mini-batch EM η 0.1, α 0.1; anemone η 0.4, α 1e-6; Adam lr 1e-2).
 */
export function compareLearners(options: { dataset: DebdName; K?: number; epochs?: number; batchSize?: number; seed?: number; learners?: { label: string; optimizer: OptimizerSpec }[] }): LearnerCurve[] {
  const trainSet: Matrix = loadDebd(options.dataset, 'train');
  const test = loadDebd(options.dataset, 'test');
  const valid = loadDebd(options.dataset, 'valid');
  const seed = options.seed ?? 0;
  const cc = compile(hclt(trainSet, { K: options.K ?? 16, key: makeKey(seed) }));
  const learners = options.learners ?? [
    { label: 'full-batch EM (α 0.1)', optimizer: { kind: 'fullBatchEm', pseudocount: 0.1 } },
    { label: 'mini-batch EM (η 0.1, α 0.1)', optimizer: { kind: 'miniBatchEm', stepSize: 0.1, pseudocount: 0.1 } },
    { label: 'anemone (η 0.4, m 0)', optimizer: { kind: 'anemone', stepSize: 0.4, momentum: 0 } },
    { label: 'anemone (η 0.4, m 0.9)', optimizer: { kind: 'anemone', stepSize: 0.4, momentum: 0.9 } },
    { label: 'Adam (lr 1e-2)', optimizer: { kind: 'adam', lr: 1e-2 } },
  ];
  return learners.map(({ label, optimizer }) => ({
    label,
    optimizer,
    curve: train(cc, cc.params, trainSet, { optimizer, epochs: options.epochs ?? 10, batchSize: options.batchSize ?? 512, key: makeKey(seed + 1), valid, test }).curve,
  }));
}
