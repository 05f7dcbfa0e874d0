import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import { adam, egd, egdDirectionInto, minimize, sgd } from '@descent/optimizers';
import {
  egdClampSemantics,
  egdInvariances,
  egdNullDirections,
  egdPolarFactor,
  egdRandomizedSvd,
  egdSameSingularVectors,
  egdUnitSpectrum,
} from '@descent/optimizers/laws';

describe('EGD laws (spec §2(d))', () => {
  test('1. unit spectrum', () => fc.assert(egdUnitSpectrum(), { numRuns: 150 }));
  test('2. polar factor: ⟨G, EGD(G)⟩ = ‖G‖_*', () => fc.assert(egdPolarFactor(), { numRuns: 150 }));
  test('3. same singular vectors', () => fc.assert(egdSameSingularVectors(), { numRuns: 150 }));
  test('4. invariances (scale, sign, transpose, orthogonal)', () => fc.assert(egdInvariances(), { numRuns: 150 }));
  test('5. clamp semantics: σ = 1e-8 → 1e-2', () => fc.assert(egdClampSemantics(), { numRuns: 100 }));
  test('6. randomized SVD: min(k, rank) unit values; exact when k ≥ rank', () => fc.assert(egdRandomizedSvd(), { numRuns: 100 }));
  test('7. rank deficiency: null directions map to 0', () => fc.assert(egdNullDirections(), { numRuns: 100 }));
});

describe('EGD mechanics', () => {
  test('spec §2(d)1 example: a rank-2 6×9 gradient gives ‖EGD(G)‖_F² = 2', () => {
    // A rank-2 6×9 built as a·bᵀ + c·dᵀ.
    const a = [1, 2, 0, -1, 3, 1], b = [1, 0, 2, -1, 0, 1, 1, 2, 0], c = [0, 1, 1, 1, -2, 0], d = [2, 1, 0, 0, 1, -1, 0, 1, 3];
    const g = { rows: 6, cols: 9, data: new Float64Array(54) };
    for (let i = 0; i < 6; i++) for (let j = 0; j < 9; j++) g.data[i * 9 + j] = a[i]! * b[j]! + c[i]! * d[j]!;
    const e = egdDirectionInto(g, { rows: 6, cols: 9, data: new Float64Array(54) });
    let fro = 0;
    for (const v of e.data) fro += v * v;
    expect(fro).toBeCloseTo(2, 12); // ‖EGD(G)‖_F² = rank
  });
  test('column normalisation divides each column by max(‖col‖, 0.01)', () => {
    const g = { rows: 2, cols: 3, data: new Float64Array([3, 0, 0.001, 4, 0, 0]) };
    const e = egdDirectionInto(g, { rows: 2, cols: 3, data: new Float64Array(6) }, { variant: 'colnorm' });
    [3 / 5, 0, 0.001 / 0.01, 4 / 5, 0, 0].forEach((v, i) => expect(e.data[i]).toBeCloseTo(v, 15));
  });
  test('egd(sgd) only preconditions the matrix blocks; others get the base step unchanged', () => {
    const layout = [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }];
    const m = egd(sgd);
    const s = m.step(m.init({ base: { lr: 0.1 }, layout }, new Float64Array(6)), new Float64Array([4, 0, 0, 1, 5, -7]));
    expect(Array.from(s.x, (v) => +v.toFixed(14))).toEqual([-0.1, 0, 0, -0.1, -0.5, 0.7]);
  });
  test('rsvd is deterministic in the key', () => {
    const layout = [{ name: 'W', shape: [4, 3] }];
    const m = egd(adam);
    const g = new Float64Array([1, 2, 0, -1, 0.5, 3, 2, 2, 1, 0, -1, 1]);
    const s1 = m.step(m.init({ base: { lr: 0.1 }, layout, variant: 'rsvd', rank: 3 }, new Float64Array(12), key(1)), g);
    const s2 = m.step(m.init({ base: { lr: 0.1 }, layout, variant: 'rsvd', rank: 3 }, new Float64Array(12), key(1)), g);
    expect(Array.from(s1.x)).toEqual(Array.from(s2.x));
  });
  test('EGD on a least-squares matrix problem converges (SGD base, pinv)', () => {
    // f(W) = ½‖W − T‖_F²: the polar step moves every singular direction at the same speed.
    const T = new Float64Array([1, 0.5, -0.3, 2, 0, 1]);
    const layout = [{ name: 'W', shape: [2, 3] }];
    const r = minimize(egd(sgd), (w) => {
      const g = new Float64Array(6);
      let v = 0;
      for (let i = 0; i < 6; i++) {
        g[i] = w[i]! - T[i]!;
        v += 0.5 * g[i]! * g[i]!;
      }
      return { value: v, grad: g };
    }, { config: { base: { lr: 0.05 }, layout }, x0: new Float64Array(6), maxSteps: 400, trace: true });
    const tr = r.trace!.value;
    expect(tr[tr.length - 1]!).toBeLessThan(1e-2);
  });
});
