// Valid calls of every function of @descent/optimizers' main entry and of every method's init, step,
// stepInto and pingPongStates, for the API fuzz (scripts/fuzz-api.ts, run with `members`).
import type { FuzzTable } from '../../../scripts/fuzz-api.js';
import { key, type Matrix } from '@descent/linalg';
import {
  adam, adamw, arsam, chain, egd, fromTransform, hillAdam, muon, naturalGradient, o2nc, odog, optimisticO2nc, reg, resolvePerturbation, sam, scale,
  scaleByAdam, scaleByLearningRate, serializeState, sgd, traceMomentum,
} from '@descent/optimizers';

const v = (...xs: number[]) => Float64Array.from(xs);
const m = (rows: number, cols: number, ...xs: number[]): Matrix => ({ rows, cols, data: Float64Array.from(xs) });
const layout = () => [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }];
const x0 = () => v(0.5, -1, 0.25, 2, 0.1, -0.3);
const g6 = () => v(0.3, -0.2, 0.1, 0.4, -0.5, 0.6);
const quadratic = (x: Float64Array) => ({ value: 0.5 * x.reduce((a, b) => a + b * b, 0), grad: x.slice() });

type AnyMethod = { init(c: never, x: Float64Array, k?: never): unknown; step(s: never, o: never): unknown; stepInto?(s: never, o: never, out: never): unknown };

// A method's rows: init from a config, step and stepInto from its init state and an observation. With
// `made`, the method is not exported by name (a factory made it): its rows carry the call.
function methodRows<C>(name: string, method: AnyMethod, cfg: () => C, obs: () => unknown, opts: { x0?: () => Float64Array; key?: boolean; ping?: boolean; made?: boolean } = {}): FuzzTable {
  const start = opts.x0 ?? x0;
  const m = method as unknown as { init(...a: unknown[]): unknown; step(...a: unknown[]): unknown; stepInto(...a: unknown[]): unknown };
  const s0 = () => (opts.key === true ? m.init(cfg(), start(), key(3)) : m.init(cfg(), start()));
  const made = opts.made === true;
  const rows: Record<string, FuzzTable[string]> = {
    [`${name}.init`]: { args: () => (opts.key === true ? [cfg(), start(), key(3)] : [cfg(), start()]), ...(made ? { call: (...a: never[]) => m.init(...a) } : {}) },
    [`${name}.step`]: { args: () => [s0(), obs()], ...(made ? { call: (...a: never[]) => m.step(...a) } : {}) },
    [`${name}.stepInto`]: { args: () => [s0(), obs(), s0()], writes: [2], overflowWrites: true, ...(made ? { call: (...a: never[]) => m.stepInto(...a) } : {}) },
  };
  if (opts.ping === true) rows[`${name}.pingPongStates`] = { args: () => [s0()] };
  return rows;
}

export const fuzzTable: FuzzTable = {
  ...methodRows('sgd', sgd, () => ({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, decoupled: false, maximize: false, check: true }), g6),
  ...methodRows('adam', adam, () => ({ lr: 0.1, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0.01, amsgrad: true, check: true }), g6, { ping: true }),
  ...methodRows('adamw', adamw, () => ({ lr: 0.1, weightDecay: 0.01 }), g6, { ping: true }),
  ...methodRows('hillAdam', hillAdam, () => ({ lr: 0.1 }), () => ({ value: 2, grad: g6() })),
  ...methodRows('muon', muon, () => ({ layout: layout(), lr: 0.1, orthogonalizer: 'svd' as const, nesterov: false }), g6),
  ...methodRows('reg', reg, () => ({ layout: layout(), lr: 0.1, rms: 1 }), g6),
  ...methodRows('naturalGradient', naturalGradient, () => ({ fisher: 'dense' as const, lr: 1, damping: 0.1 }), () => ({ grad: v(4, 2), fisher: m(2, 2, 4, 0, 0, 1) }), { x0: () => v(1, 2) }),
  ...methodRows('o2nc', o2nc, () => ({ radius: 0.1, lr: 0.05, window: 5, point: 'midpoint' as const }), g6, { key: true }),
  ...methodRows('odog', odog, () => ({ radius: 0.1, lr: 0.05, window: 5 }), g6),
  ...methodRows('optimisticO2nc', optimisticO2nc, () => ({ radius: 0.1, lr: 0.05, window: 5, iterations: 3, tolerance: 1e-6 }), g6),
  // Methods made by the exported factories.
  ...methodRows('sam(sgd)', sam(sgd), () => ({ base: { lr: 0.1 }, rho: 0.05 }), g6, { made: true }),
  ...methodRows('arsam(sgd)', arsam(sgd), () => ({ base: { lr: 0.1 }, window: 10, warmup: 10 }), g6, { made: true, key: true }),
  ...methodRows('egd(sgd)', egd(sgd), () => ({ base: { lr: 0.5 }, layout: layout() }), g6, { made: true }),
  ...methodRows('fromTransform(chain)', fromTransform(chain(scaleByAdam(), scaleByLearningRate(0.1)), 'adam-chain'), () => ({ check: true }), g6, { made: true }),
  addDecayedWeights: { args: () => [0.1] },
  applyTransform: { args: () => [scale(2), v(1, 2), {}, v(0, 0)] },
  arsam: { args: () => [sgd] },
  chain: { args: () => [scale(2), scale(3)] },
  clip: { args: () => [1] },
  clipByGlobalNorm: { args: () => [1] },
  cloneState: { args: () => [sgd.init({ lr: 0.1 }, v(1, 2))] },
  cosineDecaySchedule: { args: () => [{ init: 2, steps: 100, alpha: 0.1 }] },
  dampedFisherSolve: { args: () => [m(2, 2, 4, 0, 0, 1), v(4, 2), 0.1, v(1, 1)] },
  deserializeState: { args: () => [sgd, serializeState(sgd, sgd.init({ lr: 0.1 }, v(1, 2))), { like: sgd.init({ lr: 0.1 }, v(1, 2)) }] },
  diagonalFisherEmaInto: { args: () => [v(1, 2), v(2, 1), 0.5, new Float64Array(2)], writes: [3] },
  egd: { args: () => [sgd] },
  egdDirectionInto: { args: () => [m(1, 2, 3, 4), m(1, 2, 0, 0), { variant: 'colnorm' }, key(1)], writes: [1] },
  emaMomentum: { args: () => [{ beta: 0.5, nesterov: true }] },
  empiricalFisher: { args: () => [m(2, 2, 1, 0, 0, 2)] },
  empiricalFisherSolve: { args: () => [m(1, 2, 1, 0), v(2, 1), 1, v(1, 1)] },
  fromTransform: { args: () => [chain(traceMomentum({ momentum: 0.9 }), scaleByLearningRate(0.1)), 'heavy-ball'] },
  // The oracle (argument 1) is a callback: the fuzz replaces the method and the options.
  iterate: { args: () => [sgd, quadratic, { config: { lr: 0.5 }, x0: v(1, -1), steps: 3 }], fixed: [1] },
  klTrustRegionScale: { args: () => [v(1, 0), v(2, 0), 1] },
  linearSchedule: { args: () => [{ init: 0, end: 1, steps: 10, begin: 2 }] },
  logitFisher: { args: () => [m(1, 2, 0.5, 0.5), m(2, 1, 1, 0)] },
  matrixLabels: { args: () => ['muon', 'adamw'] },
  minimize: { args: () => [sgd, quadratic, { config: { lr: 0.5 }, x0: v(1, -1), maxSteps: 100, gradTol: 1e-6, trace: true }], fixed: [1] },
  muonShapeScale: { args: () => ['original', 8, 2] },
  naturalDirection: { args: () => ['dense', { grad: v(4, 2), fisher: m(2, 2, 4, 0, 0, 1) }, 0.1, v(1, 1)] },
  orthogonalizeInto: { args: () => [m(2, 2, 2, 0, 0, 0.5), m(2, 2, 0, 0, 0, 0), { orthogonalizer: 'svd' }], writes: [1] },
  projectBallInto: { args: () => [v(3, 4), 2.5, new Float64Array(2)], writes: [2] },
  pullbackMetric: { args: () => [m(2, 2, 2, 0, 0, 1), v(1, 1)] },
  racsDirectionInto: { args: () => [m(2, 2, 6, 2, 3, 4), m(2, 2, 0, 0, 0, 0), { racs: 'sinkhorn' }], writes: [1] },
  resolvePerturbation: { args: () => ['sam', { rho: 0.05, adaptive: true, p: 2 }] },
  route: { args: () => [[{ name: 'W', shape: [1, 2] }, { name: 'b', shape: [1] }], { W: 'double', b: 'keep' }, { double: scale(2), keep: scale(1) }] },
  sam: { args: () => [sgd] },
  samPerturbInto: { args: () => [v(0, 0), v(3, 4), resolvePerturbation('sam', { rho: 10 }), new Float64Array(2)], writes: [3] },
  sampleLabels: { args: () => [key(0), m(2, 3, 0, 1, 0, 1, 0, 0)] },
  scale: { args: () => [2] },
  scaleByAdam: { args: () => [{ betas: [0.9, 0.999], eps: 1e-8 }] },
  scaleByEgd: { args: () => [{ variant: 'colnorm' }] },
  scaleByLearningRate: { args: () => [0.1] },
  scaleByMuon: { args: () => [{ orthogonalizer: 'svd', nesterov: false, momentum: 0 }] },
  scaleByReg: { args: () => [{ momentum: 0, nesterov: false, rms: 1 }] },
  scan: { args: () => [sgd, [v(1, 2), v(2, 1)], { config: { lr: 0.1 }, x0: v(0, 0) }] },
  serializeState: { args: () => [sgd, sgd.init({ lr: 0.1 }, v(1, 2))] },
  softmax: { args: () => [v(0, 1, -1)] },
  softmaxFisher: { args: () => [v(0.5, 0.5)] },
  softmaxFisherDampedSolve: { args: () => [v(0.5, 0.5), v(1, -1), 0.5] },
  softmaxFisherPinvCrossEntropy: { args: () => [v(0.5, 0.5), 0] },
  traceMomentum: { args: () => [{ momentum: 0.5, nesterov: true }] },
  warmupCosineDecaySchedule: { args: () => [{ init: 0, peak: 1, warmupSteps: 10, decaySteps: 110, end: 0 }] },
  woodburyFisherSolve: { args: () => [m(1, 2, 1, 0), v(2, 1), 1] },
};
