import { describe, expect, test } from 'vitest';
import { key, normal, type Layout } from '@descent/linalg';
import { cloneState, egd, egdDirectionInto, empiricalFisherSolve, muon, naturalGradient, orthogonalizeInto, reg, sgd, type Method, type MethodState } from '@descent/optimizers';

/** Runs `fn` with the global Float64Array constructor wrapped to count `new Float64Array(...)` calls. */
function countAllocations(fn: () => void): number {
  const original = globalThis.Float64Array;
  let count = 0;
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args, newTarget) {
      count++;
      return Reflect.construct(target, args, newTarget);
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float64Array = original;
  }
  return count;
}

/** Ping-pongs `steps` driver steps through stepInto after two warm-up steps; returns the allocations counted. */
function pingPongAllocations<S extends MethodState>(method: Method<unknown, S, Float64Array>, s0: S, grads: Float64Array[], steps: number): number {
  const a = cloneState(s0);
  const b = cloneState(s0);
  method.stepInto!(a, grads[0]!, b);
  method.stepInto!(b, grads[1]!, a);
  return countAllocations(() => {
    for (let t = 0; t < steps; t++) {
      if (t % 2 === 0) method.stepInto!(a, grads[t % grads.length]!, b);
      else method.stepInto!(b, grads[t % grads.length]!, a);
    }
  });
}

const layout: Layout = [{ name: 'W1', shape: [12, 5] }, { name: 'W2', shape: [4, 9] }, { name: 'W3', shape: [6, 6] }];
const d = 12 * 5 + 4 * 9 + 36;
const grads = [0, 1, 2].map((i) => normal(key(100 + i), d));

describe('matrix optimizers allocate nothing per driver step (stepInto ping-pong)', () => {
  test('Muon with Newton–Schulz and with the SVD polar factor', () => {
    for (const orthogonalizer of ['newton-schulz', 'svd'] as const) {
      const s0 = muon.init({ layout, lr: 0.01, orthogonalizer }, normal(key(1), d));
      expect(pingPongAllocations(muon as Method<unknown, typeof s0, Float64Array>, s0, grads, 6)).toBe(0);
    }
  });
  test('EGD (polar factor, clamped singular values, randomized rank-k) over SGD', () => {
    for (const variant of ['pinv', 'clamp', 'rsvd'] as const) {
      const s0 = egd(sgd).init({ base: { lr: 0.1 }, layout, variant, clamp: 0.5, rank: 3 }, normal(key(2), d), key(9));
      const m = egd(sgd) as Method<unknown, typeof s0, Float64Array>;
      expect(pingPongAllocations(m, s0, grads, 6)).toBe(0);
    }
  });
  test('REG with the Sinkhorn, the one-shot and the Gong RACS', () => {
    for (const racs of ['sinkhorn', 'oneshot', 'gong'] as const) {
      const s0 = reg.init({ layout, lr: 0.01, racs }, normal(key(4), d));
      expect(pingPongAllocations(reg as Method<unknown, typeof s0, Float64Array>, s0, grads, 6)).toBe(0);
    }
  });
  test('natural gradient with the diagonal and the dense Fisher', () => {
    const n = 8;
    const fisher = { rows: n, cols: n, data: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) fisher.data[i * n + j] = (i === j ? 2 + i : 0) + 0.1 / (1 + i + j);
    for (const kind of ['diagonal', 'dense'] as const) {
      const s0 = naturalGradient.init({ fisher: kind, lr: 0.1 }, normal(key(3), n));
      const obs = [0, 1].map((i) => (kind === 'dense' ? { grad: normal(key(50 + i), n), fisher } : { grad: normal(key(50 + i), n) }));
      const m = naturalGradient as unknown as Method<unknown, typeof s0, (typeof obs)[number]>;
      const a = cloneState(s0);
      const b = cloneState(s0);
      m.stepInto!(a, obs[0]!, b);
      m.stepInto!(b, obs[1]!, a);
      const count = countAllocations(() => {
        for (let t = 0; t < 6; t++) {
          if (t % 2 === 0) m.stepInto!(a, obs[t % 2]!, b);
          else m.stepInto!(b, obs[t % 2]!, a);
        }
      });
      expect(count).toBe(0);
      // Same result as the allocating step.
      const viaStep = naturalGradient.step(s0, obs[0]!);
      const viaInto = naturalGradient.stepInto!(s0, obs[0]!, cloneState(s0));
      expect(Array.from(viaInto.x)).toEqual(Array.from(viaStep.x));
    }
  });
  test('natural gradient with the empirical Fisher: Woodbury (N < d, identity or diagonal metric) and dense (N ≥ d)', () => {
    const n = 10;
    const cases = [
      { rows: 4, dampingMetric: undefined },
      { rows: 4, dampingMetric: Float64Array.from({ length: n }, (_, i) => 1 + i / 4) },
      { rows: 12, dampingMetric: undefined },
    ];
    for (const { rows, dampingMetric } of cases) {
      const s0 = naturalGradient.init({ fisher: 'empirical', lr: 0.1, damping: 0.5, ...(dampingMetric ? { dampingMetric } : {}) }, normal(key(5), n));
      const obs = [0, 1].map((i) => ({ perSample: { rows, cols: n, data: normal(key(60 + i), rows * n) } }));
      const m = naturalGradient as unknown as Method<unknown, typeof s0, (typeof obs)[number]>;
      const a = cloneState(s0);
      const b = cloneState(s0);
      m.stepInto!(a, obs[0]!, b);
      m.stepInto!(b, obs[1]!, a);
      const count = countAllocations(() => {
        for (let t = 0; t < 6; t++) {
          if (t % 2 === 0) m.stepInto!(a, obs[t % 2]!, b);
          else m.stepInto!(b, obs[t % 2]!, a);
        }
      });
      expect(count).toBe(0);
      // The same direction as the public, allocating solve.
      const viaInto = naturalGradient.stepInto!(s0, obs[0]!, cloneState(s0));
      const g = new Float64Array(n);
      for (let i = 0; i < rows; i++) for (let c = 0; c < n; c++) g[c] += obs[0]!.perSample.data[i * n + c]!;
      for (let c = 0; c < n; c++) g[c] *= 1 / rows; // the default gradient: the mean of the rows
      expect(Array.from(viaInto.direction)).toEqual(Array.from(empiricalFisherSolve(obs[0]!.perSample, g, 0.5, dampingMetric)));
    }
  });
  test('the counter sees allocating steps', () => {
    const s0 = muon.init({ layout, lr: 0.01 }, normal(key(1), d));
    expect(countAllocations(() => muon.step(s0, grads[0]!))).toBeGreaterThan(0);
  });
});

describe('SVD-based directions need no rescaling of the gradient (linalg works at unit scale)', () => {
  // These magnitudes are why optimizers used to normalise gradients before the SVD.
  const shapes = [[7, 4], [4, 7], [5, 5]] as const;
  test('subnormal, huge and graded gradients give the unit-scale polar factor', () => {
    for (const [m, n] of shapes) {
      const base = normal(key(m * 10 + n), m * n);
      const unit = { rows: m, cols: n, data: base };
      const ref = orthogonalizeInto(unit, { rows: m, cols: n, data: new Float64Array(m * n) }, { orthogonalizer: 'svd' });
      for (const e of [-1060, -1000, -600, 600, 1000]) {
        const g = { rows: m, cols: n, data: base.map((v) => v * 2 ** e) };
        const o = orthogonalizeInto(g, { rows: m, cols: n, data: new Float64Array(m * n) }, { orthogonalizer: 'svd' });
        const p = egdDirectionInto(g, { rows: m, cols: n, data: new Float64Array(m * n) });
        // Power-of-two scaling is exact while entries stay normal (|e| ≤ 1000 here); at 2^-1060 the
        // smallest entries are subnormal and carry ~1e-3 relative rounding.
        const tol = e < -1000 ? 1e-2 : 0;
        for (let i = 0; i < m * n; i++) {
          expect(Math.abs(o.data[i]! - ref.data[i]!)).toBeLessThanOrEqual(tol);
          expect(Math.abs(p.data[i]! - ref.data[i]!)).toBeLessThanOrEqual(tol);
        }
      }
      // Graded: columns spanning 270 orders of magnitude (2^0 … 2^-900), and the same scaled by 2^±100
      // (exact): finite, and the same partial isometry at every scale.
      const graded = { rows: m, cols: n, data: base.map((v, i) => v * 2 ** (-150 * (i % n))) };
      const o = orthogonalizeInto(graded, { rows: m, cols: n, data: new Float64Array(m * n) }, { orthogonalizer: 'svd' });
      expect(o.data.every(Number.isFinite)).toBe(true);
      for (const e of [-100, 100]) {
        const g = { rows: m, cols: n, data: graded.data.map((v) => v * 2 ** e) };
        expect(Array.from(orthogonalizeInto(g, { rows: m, cols: n, data: new Float64Array(m * n) }, { orthogonalizer: 'svd' }).data)).toEqual(Array.from(o.data));
      }
    }
  });
});
