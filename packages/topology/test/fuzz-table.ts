// Valid calls of every function of @descent/topology's main entry and of curveFit's init, step and
// stepInto, for the API fuzz (scripts/fuzz-api.ts, run with `members`).
import type { FuzzTable } from '../../../scripts/fuzz-api.js';
import { key } from '@descent/linalg';
import { curveFit, diagram, linearPathLoss, mergeTree, serializeState, type CurveState } from '@descent/topology';

const v = (...xs: number[]) => Float64Array.from(xs);
const dg = () => diagram([[0, 1], [0.5, 2], [0.25, 0.75]], 1);
const dgInf = () => diagram([[0, Infinity], [0.5, 2]], 0);
const pts = () => ({ kind: 'points' as const, n: 4, d: 2, data: v(0, 0, 1, 0, 1, 1, 0, 1), metric: 'euclidean' as const });
const lower = () => ({ kind: 'lower' as const, n: 3, data: v(1, 2, 1) });
const graph = () => ({ kind: 'graph' as const, n: 3, i: new Int32Array([0, 1]), j: new Int32Array([1, 2]), w: v(1, 2), vertexBirth: v(0, 0, 0.5) });
const grid = () => ({ kind: 'grid' as const, shape: [3, 3] as const, connectivity: 8 as const });
const f9 = () => v(1, 1, 1, 1, 5, 1, 1, 1, 1);
const sq = (x: Float64Array) => x.reduce((s, t) => s + t * t, 0);
const ctrl = () => [v(0, 0), v(1, 2), v(2, 0)];
const curve = (): CurveState => curveFit.init({ a: v(0, 0), b: v(1, 1), bends: 4, curve: 'polychain', optimizer: { kind: 'adam', lr: 0.01 } }, new Float64Array(0), key(3));
const layout = () => [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }];
const arc = (sign: number) => Array.from({ length: 5 }, (_, i) => v(Math.cos((Math.PI * i) / 4), sign * Math.sin((Math.PI * i) / 4)));
const annulus = (x: Float64Array) => (Math.hypot(x[0]!, x[1]!) - 1) ** 2;

const sgdCurve = (): CurveState => curveFit.init({ a: v(0, 0), b: v(1, 1), bends: 3, curve: 'bezier', optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.5 } }, v(0.5, 0.4), key(4));
const via = (f: (...a: never[]) => unknown) => (...a: never[]) => (f as (...b: unknown[]) => unknown)(...a);

export const fuzzTable: FuzzTable = {
  // The curve-fitting method: init, step and stepInto (an Adam polychain and, by `call`, an SGD Bézier).
  'curveFit.init': { args: () => [{ a: v(0, 0), b: v(1, 1), bends: 4, curve: 'polychain', optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }, new Float64Array(0), key(3)] },
  'curveFit.step': { args: () => [curve(), { value: 1, grad: v(0.3, -0.2) }] },
  'curveFit.stepInto': { args: () => [curve(), { grad: v(0.3, -0.2) }, curve()], writes: [2], overflowWrites: true },
  'curveFit.stepInto(sgd)': { args: () => [sgdCurve(), { grad: v(0.3, -0.2) }, sgdCurve()], writes: [2], overflowWrites: true, call: via(curveFit.stepInto!) },
  assertDiagram: { args: () => [dg(), 'f', 'd'] },
  barrier: { args: () => [linearPathLoss(sq, v(0, 1), v(1, 0), { points: 5 }), { reference: 'linear' }] },
  bettiAt: { args: () => [dg(), 0.6] },
  bettiCurve: { args: () => [dg(), v(0, 0.6, 1.5)] },
  bezier: { args: () => [ctrl(), 0.3, new Float64Array(2)], writes: [2] },
  bottleneck: { args: () => [dg(), diagram([[0, 1.1], [0.4, 2]], 1), { matching: true }] },
  cubicalPersistence: { args: () => [v(0, 0, 0, 0, 5, 0, 0, 0, 0), [3, 3], { periodic: [false, true] }] },
  curveControlPoints: { args: () => [curve()] },
  deserializeState: { args: () => [curveFit, serializeState(curveFit, curve()), { like: curve() }] },
  diagram: { args: () => [[[0, 1], [0.5, 2]], 1] },
  enclosingRadius: { args: () => [graph()] },
  estimateRipsSize: { args: () => [lower(), { threshold: 1.2, maxDim: 1 }] },
  filterDiagram: { args: () => [dg(), 0.6] },
  filterNormalizedDirection: { args: () => [v(1, 2, 3, 4, 5, 6), layout(), key(0), { ignore: 'none' }] },
  greedySubsample: { args: () => [pts(), 2, { start: 1 }] },
  homotopyTest: { args: () => [arc(1), arc(-1), annulus, { level: 0.5, tol: 0, points: 7, steps: 4, epsilon: 0.6, tubeSamples: 3, tubeRadius: 0.2, key: key(0), lipschitz: 4 }] },
  initRipsWasm: { args: () => [] },
  linearPathLoss: { args: () => [sq, v(0, 1), v(1, 0), { points: 5 }] },
  lmcClasses: { args: () => [[v(0, 1), v(1, 0), v(0, 1.1)], sq, { tol: 0.1, points: 5, reference: 'max' }] },
  lossSlice: { args: () => [sq, v(0, 0), v(1, 0), v(0, 1), { points: 4, range: [-1, 2] }] },
  lowerStarPersistence: { args: () => [f9(), grid(), { maxDim: 2, modulus: 3 }] },
  mergeHeight: { args: () => [mergeTree(v(0, 3, 1), { kind: 'grid', shape: [1, 3], connectivity: 4 }), 0, 2] },
  mergeTree: { args: () => [f9(), grid()] },
  parseRipserArgs: { args: () => [['--format', 'point', '--dim', '2', '--threshold', '1.5', '--ratio', '1', '--modulus', '3', 'cloud.txt']] },
  parseRipserInput: { args: () => ['0,0\n1,0\n1,1\n0,1\n', 'point-cloud'] },
  persistence: { args: () => [dg()] },
  persistenceEntropy: { args: () => [dgInf(), { normalize: true, infinite: 3 }] },
  persistenceImage: { args: () => [dg(), { bandwidth: 0.5, resolution: [4, 3], range: [0, 1, 0, 2], weight: (_b: number, p: number) => p }] },
  persistenceLandscape: { args: () => [dg(), { k: 2, resolution: 8, range: [0, 2], keepEndpoints: true, scale: 1 }] },
  polychain: { args: () => [ctrl(), 0.7, new Float64Array(2)], writes: [2] },
  ripsPersistence: {
    args: () => [pts(), { maxDim: 2, threshold: 2, modulus: 3, ratio: 1, keepZero: false, cocycles: true, generators: true, float32: false, sparse: false, check: true, onProgress: () => undefined }],
  },
  ripserOutput: { args: () => ['0\n1 0\n1 2 0\n', { format: 'distance', dim: 1, threshold: 2, ratio: 1, modulus: 2 }] },
  serializeState: { args: () => [curveFit, curve()] },
  silhouette: { args: () => [dg(), { power: 1, resolution: 8, range: [0, 2], keepEndpoints: false, scale: 2 }] },
  sortDiagram: { args: () => [dg()] },
  sublevelPersistence0: { args: () => [v(0, 2, 1, 3), { kind: 'graph', n: 4, i: new Int32Array([0, 1, 2]), j: new Int32Array([1, 2, 3]) }, { keepZero: true }] },
  totalPersistence: { args: () => [dgInf(), { power: 2, infinite: 3 }] },
  linearAssignment: { args: () => [v(4, 1, 3, 2, 0, 5, 3, 2, 2), 3] },
  wasserstein: { args: () => [dg(), diagram([[0, 1.1], [0.4, 2]], 1), { q: 2, p: 2, matching: true }] },
};
