// Valid calls of every function of @descent/circuits' main entry and of the learners' init, step and
// stepInto, for the API fuzz (scripts/fuzz-api.ts, run with `members`).
import type { FuzzTable } from '../../../scripts/fuzz-api.js';
import { fromRows, key } from '@descent/linalg';
import {
  adamCircuit, anemone, batchStatistics, fullBatchEm, miniBatchEm, bernoulliNode, bootstrapTrees, categoricalNode, chowLiuTree, compile, emptyStatistics, gaussianNode, indicatorNode, mixtureOfBernoullis,
  productNode, saveCircuit, serializeState, sumNode, type Circuit,
} from '@descent/circuits';

const data = () => fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0], [1, 1, 1]]);
const mixture = (): Circuit => mixtureOfBernoullis(3, 2, { key: key(1), perturbation: 0.5 });
const cc = () => compile(mixture());
const params = () => cc().params;
const missing = () => Uint8Array.from([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
const tree = () => chowLiuTree(data());
const state = () => anemone.init({ circuit: cc(), stepSize: 0.5 }, params());

const shared = cc();
// The learners' rows: init from a config, step and stepInto from a state and a batch's statistics
// (out a second state of the same config).
const stats = () => batchStatistics(shared, shared.params, data());
type Learner = { init(c: never, x: Float64Array, k?: never): unknown; step(s: never, o: never): unknown; stepInto(s: never, o: never, out: never): unknown };
function learnerRows(name: string, learner: Learner, cfg: () => Record<string, unknown>): FuzzTable {
  const l = learner as unknown as { init(...a: unknown[]): unknown };
  const s0 = () => l.init(cfg(), shared.params);
  return {
    [`${name}.init`]: { args: () => [cfg(), shared.params.slice()] },
    [`${name}.step`]: { args: () => [s0(), stats()] },
    [`${name}.stepInto`]: { args: () => [s0(), stats(), s0()], writes: [2], overflowWrites: true },
  };
}
// The compiled circuit is shared by the states and statistics of one call (a state only steps with
// statistics of its own circuit, and re-checking a copy costs a re-compilation).
const sharedCc = () => shared;

export const fuzzTable: FuzzTable = {
  ...learnerRows('fullBatchEm', fullBatchEm, () => ({ circuit: sharedCc(), stepSize: 1, pseudocount: 0.1, entropy: 0, check: true })),
  ...learnerRows('miniBatchEm', miniBatchEm, () => ({ circuit: sharedCc(), stepSize: 0.3, pseudocount: 0.1, entropy: 0.05, check: true })),
  ...learnerRows('adamCircuit', adamCircuit, () => ({ circuit: sharedCc(), lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, entropy: 0.01, check: true })),
  ...learnerRows('anemone', anemone, () => ({ circuit: sharedCc(), stepSize: 0.5, momentum: 0.9, pseudocount: 1e-6, entropy: 0.01, check: true })),
  addStatistics: { args: () => [batchStatistics(cc(), params(), data()), batchStatistics(cc(), params(), fromRows([[1, 1, 1]]))] },
  batchStatistics: { args: () => [cc(), params(), data(), { missing: missing(), weights: Float64Array.from([1, 2, 1, 1, 0.5]), rows: Int32Array.from([4, 0, 2, 1, 3]), softening: 0.1, threads: 1, check: true }] },
  batchStatisticsInto: {
    args: () => {
      const c = cc();
      return [c, c.params, data(), emptyStatistics(c), { softening: 0 }];
    },
    writes: [3],
  },
  bernoulliNode: { args: () => [0, 0.3] },
  bootstrapTrees: { args: () => [data(), 2, key(0), 0.1] },
  categoricalData: { args: () => [[[0, 2], [1, 0], [2, 1]], [3, 3]] },
  categoricalNode: { args: () => [1, [0.2, 0.5, 0.3]] },
  checkData: { args: () => [cc(), data(), missing(), 'f'] },
  checkParams: { args: () => [cc(), params(), 'f'] },
  chowLiuCircuit: { args: () => [data(), { alpha: 0.1 }] },
  chowLiuTree: { args: () => [data(), { alpha: 0.2 }] },
  compile: { args: () => [{ numVars: 2, nodes: [bernoulliNode(0, 0.2), gaussianNode(1, 0.5, 1, 0.01), indicatorNode(0, 1), productNode([0, 1]), productNode([2, 1]), sumNode([3, 4], [0.4, 0.6])] }] },
  deserializeState: { args: () => [anemone, serializeState(anemone, state()), { like: state() }] },
  emptyStatistics: { args: () => [cc()] },
  epochBatches: { args: () => [7, 3, key(0), { dropLast: true }] },
  gatherRows: { args: () => [data(), Int32Array.from([4, 0, 2])] },
  gaussianNode: { args: () => [0, 0.5, 2, 0.01] },
  hclt: { args: () => [data(), { K: 2, miAlpha: 0.1, key: key(0), init: 'juice', perturbation: 0.3, cardinalities: [2, 2, 2] }] },
  hcltFromTree: { args: () => [tree(), { K: 2, key: key(0), init: 'pyjuice', perturbation: 1 }] },
  hcltMixture: { args: () => [data(), { K: 2, trees: 2, key: key(0) }] },
  hcltMixtureFromTrees: { args: () => [bootstrapTrees(data(), 2, key(0)), { K: 2 }] },
  indicatorNode: { args: () => [0, 1] },
  isInput: { args: () => [bernoulliNode(0, 0.3)] },
  loadCircuit: { args: () => [saveCircuit(cc(), params())] },
  loadDebd: { args: () => ['nltcs', 'valid'] },
  logConditional: { args: () => [cc(), params(), data(), Uint8Array.from([0, 1, 0]), { missing: missing(), check: true }] },
  logLikelihood: { args: () => [cc(), params(), data(), { missing: missing(), check: true, threads: 1 }] },
  mapQuery: { args: () => [cc(), params(), data(), { missing: missing(), check: true }] },
  meanLogLikelihood: { args: () => [cc(), params(), data(), { missing: missing(), check: true, threads: 1 }] },
  mixtureOfBernoullis: { args: () => [3, 2, { key: key(1), perturbation: 0.5 }] },
  mutualInformation: { args: () => [data(), 0.1] },
  nodeFlows: { args: () => [cc(), params(), data(), { missing: missing(), check: true }] },
  nodeParams: { args: () => [cc(), params(), 6] },
  parseDebd: { args: () => ['0,1,1\n1,0,1\n'] },
  posteriors: { args: () => [cc(), params(), data(), { missing: missing(), check: true }] },
  productNode: { args: () => [[0, 1]] },
  ratSpn: { args: () => [4, { K: 2, depth: 1, repetitions: 2, productMode: 'outer', numPieces: 2, key: key(0), perturbation: 1 }] },
  sample: { args: () => [cc(), params(), key(2), 4, { check: true }] },
  sampleConditional: { args: () => [cc(), params(), key(2), data(), missing(), { check: true }] },
  saveCircuit: { args: () => [cc(), params()] },
  serializeState: { args: () => [anemone, state()] },
  sumNode: { args: () => [[0, 1], [0.25, 0.75]] },
  topDownProbabilities: { args: () => [cc(), params(), { check: true }] },
  train: {
    args: () => [cc(), params(), data(), {
      optimizer: { kind: 'anemone', stepSize: 0.5 }, epochs: 2, batchSize: 2, itersPerUpdate: 1, key: key(0), valid: data(), test: data(), evalTrain: true,
      softening: 0, threads: 1, earlyStopping: { patience: 1 },
    }],
  },
};
