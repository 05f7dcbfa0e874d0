import { key, normal, split, type Key } from '@descent/linalg';
import { describe, expect, test } from 'vitest';
import {
  accuracy,
  addWeightDecay,
  halfSquaredError,
  initMlp,
  mlp,
  mlpForward,
  mlpLossGrad,
  mlpWorkspace,
  softmaxCrossEntropy,
  type Activation,
  type Mlp,
  type MlpInput,
  type OutputLoss,
} from '../src/models/mlp.js';

/** Central finite difference of `f` along coordinate i, step h. */
function fd(f: (x: Float64Array) => number, x: Float64Array, i: number, h: number): number {
  const xp = x.slice();
  const xm = x.slice();
  xp[i]! += h;
  xm[i]! -= h;
  return (f(xp) - f(xm)) / (2 * h);
}

function checkGradient(net: Mlp, params: Float64Array, input: MlpInput, loss: OutputLoss): number {
  const ws = mlpWorkspace(net, input.rows);
  const grad = new Float64Array(net.size);
  mlpLossGrad(net, params, input, loss, grad, ws);
  const f = (x: Float64Array) => loss(mlpForward(net, x, input, mlpWorkspace(net, input.rows)), null);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < net.size; i++) {
    const num = fd(f, params, i, 1e-5);
    scale = Math.max(scale, Math.abs(num));
    worst = Math.max(worst, Math.abs(num - grad[i]!));
  }
  // Relative to the gradient's largest entry: central differences with h = 1e-5 are accurate to
  // ~h²·|f'''| + ε·|f|/h ≈ 1e-10 here, so a wrong term (errors of order the entry itself) stands out.
  return worst / scale;
}

function denseBatch(k: Key, rows: number, cols: number): MlpInput {
  return { kind: 'dense', rows, data: normal(k, rows * cols) };
}

describe('mlp', () => {
  test('layout names W1, b1, … and sizes add up; no output bias when asked', () => {
    const a = mlp({ sizes: [3, 4, 2], activation: 'relu' });
    expect(a.layout.map((b) => b.name)).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(a.size).toBe(3 * 4 + 4 + 4 * 2 + 2);
    const b = mlp({ sizes: [3, 4, 2], activation: 'relu', outputBias: false });
    expect(b.layout.map((x) => x.name)).toEqual(['W1', 'b1', 'W2']);
    expect(b.layers[1]!.bOffset).toBe(-1);
    expect(() => mlp({ sizes: [3], activation: 'relu' })).toThrow(/at least/);
    expect(() => mlp({ sizes: [3, 0], activation: 'relu' })).toThrow(/positive/);
  });

  const cases: [Activation, boolean][] = [
    ['relu', true],
    ['relu', false],
    ['sigmoid', true],
    ['tanh', true],
  ];
  for (const [activation, outputBias] of cases) {
    test(`gradient matches finite differences: ${activation}, output bias ${outputBias}, CE and squared error`, () => {
      const net = mlp({ sizes: [5, 7, 6, 4], activation, outputBias });
      const [k1, k2, k3] = split(key(11), 3) as [Key, Key, Key];
      // 'torch' init gives non-zero biases, so the bias gradients are exercised away from zero.
      const params = initMlp(net, k1, 'torch');
      const input = denseBatch(k2, 9, 5);
      const labels = new Int32Array([0, 1, 2, 3, 0, 1, 2, 3, 1]);
      expect(checkGradient(net, params, input, softmaxCrossEntropy(labels))).toBeLessThan(1e-8);
      expect(checkGradient(net, params, input, halfSquaredError(normal(k3, 9 * 4)))).toBeLessThan(1e-8);
    });
  }

  test('one-hot input equals the dense one-hot matrix, in value and gradient', () => {
    const net = mlp({ sizes: [6, 5, 3], activation: 'relu', outputBias: false });
    const params = initMlp(net, key(3), 'he');
    const indices = new Int32Array([0, 3, 2, 5, 1, 4, 0, 4]);
    const dense = new Float64Array(4 * 6);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) dense[i * 6 + indices[2 * i + j]!] = 1;
    const labels = new Int32Array([0, 1, 2, 1]);
    const ws = mlpWorkspace(net, 4);
    const gOne = new Float64Array(net.size);
    const gDense = new Float64Array(net.size);
    const vOne = mlpLossGrad(net, params, { kind: 'onehot', rows: 4, perRow: 2, indices }, softmaxCrossEntropy(labels), gOne, ws);
    const vDense = mlpLossGrad(net, params, { kind: 'dense', rows: 4, data: dense }, softmaxCrossEntropy(labels), gDense, ws);
    expect(vOne).toBeCloseTo(vDense, 14);
    for (let i = 0; i < net.size; i++) expect(gOne[i]).toBeCloseTo(gDense[i]!, 14);
    expect(checkGradient(net, params, { kind: 'onehot', rows: 4, perRow: 2, indices }, softmaxCrossEntropy(labels))).toBeLessThan(1e-8);
  });

  test('forward of a hand-computed network', () => {
    // One hidden ReLU unit: h = relu(2x − 1), y = 3h + 0.5.
    const net = mlp({ sizes: [1, 1, 1], activation: 'relu' });
    const params = new Float64Array([2, -1, 3, 0.5]);
    const out = mlpForward(net, params, { kind: 'dense', rows: 2, data: new Float64Array([1, 0]) }, mlpWorkspace(net, 2));
    expect(Array.from(out.data)).toEqual([3.5, 0.5]);
  });

  test('cross-entropy, accuracy and weight decay on known values', () => {
    const out = { rows: 2, cols: 3, data: new Float64Array([0, 0, 0, 5, 1, 1]) };
    const d = new Float64Array(6);
    const v = softmaxCrossEntropy(new Int32Array([0, 0]))(out, d);
    const p = Math.exp(5) / (Math.exp(5) + 2 * Math.E);
    expect(v).toBeCloseTo((Math.log(3) - Math.log(p)) / 2, 14);
    // Each row of ∂/∂logits sums to zero.
    expect(d[0]! + d[1]! + d[2]!).toBeCloseTo(0, 15);
    expect(accuracy(out, new Int32Array([0, 0]))).toBe(1);
    expect(accuracy(out, new Int32Array([1, 0]))).toBe(0.5);
    const net = mlp({ sizes: [1, 1], activation: 'relu' });
    const g = new Float64Array([1, 1]);
    expect(addWeightDecay(net, new Float64Array([2, 5]), g, 0.5)).toBe(1);
    expect(Array.from(g)).toEqual([2, 1]);
  });

  test('bad shapes are rejected at the boundary', () => {
    const net = mlp({ sizes: [2, 2], activation: 'relu' });
    const ws = mlpWorkspace(net, 2);
    expect(() => mlpForward(net, new Float64Array(5), { kind: 'dense', rows: 1, data: new Float64Array(2) }, ws)).toThrow(/length 5/);
    expect(() => mlpForward(net, new Float64Array(6), { kind: 'dense', rows: 3, data: new Float64Array(6) }, ws)).toThrow(/workspace/);
    expect(() => mlpForward(net, new Float64Array(6), { kind: 'dense', rows: 2, data: new Float64Array(3) }, ws)).toThrow(/entries/);
  });

  test('initialisation: He variance and torch bounds', () => {
    const net = mlp({ sizes: [50, 200, 3], activation: 'relu' });
    const he = initMlp(net, key(0), 'he');
    const L = net.layers[0]!;
    let s = 0;
    for (let i = L.wOffset; i < L.wOffset + 50 * 200; i++) s += he[i]! * he[i]!;
    // Sample variance of 10⁴ normals: relative sd √(2/10⁴) ≈ 1.4%; 6% is four of those.
    expect(s / (50 * 200) / (2 / 50)).toBeGreaterThan(0.94);
    expect(s / (50 * 200) / (2 / 50)).toBeLessThan(1.06);
    const torch = initMlp(net, key(0), 'torch');
    const bound = 1 / Math.sqrt(50);
    let max = 0;
    for (let i = 0; i < L.fanOut * L.fanIn; i++) max = Math.max(max, Math.abs(torch[L.wOffset + i]!));
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(0.99 * bound);
  });
});
