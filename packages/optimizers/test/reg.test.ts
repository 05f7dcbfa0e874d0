import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gemm } from '@descent/linalg';
import { minimize, orthogonalizeInto, racsDirectionInto, reg } from '@descent/optimizers';
import { racsBalanced, racsDiagonalInvariance, racsEquivariance, racsRankOne, racsSignPattern, regGongNormGrowth } from '@descent/optimizers/laws';

const mat = (rows: number, cols: number, d: number[]) => ({ rows, cols, data: Float64Array.from(d) });
const empty = (rows: number, cols: number) => ({ rows, cols, data: new Float64Array(rows * cols) });

describe('REG / RACS laws (spec §4.2(d))', () => {
  test('1. R1 balances: row norms √B, column norms √A', () => fc.assert(racsBalanced(), { numRuns: 150 }));
  test('2. sign and zero pattern preserved', () => fc.assert(racsSignPattern(), { numRuns: 150 }));
  test('3. diagonal (and scale) invariance', () => fc.assert(racsDiagonalInvariance(), { numRuns: 150 }));
  test('4/6. signed-permutation and transpose equivariance (R1, R2)', () => fc.assert(racsEquivariance(), { numRuns: 150 }));
  test('5. rank one: RACS(abᵀ) = sign(a)sign(b)ᵀ', () => fc.assert(racsRankOne(), { numRuns: 150 }));
  test('7. R3 (gong): update norm grows by at most γ per step', () => fc.assert(regGongNormGrowth(), { numRuns: 150 }));
});

describe('REG / RACS distinctions', () => {
  const m = mat(3, 4, [1, -2, 0.5, 3, 4, 1, -1, 2, 0.3, 0.7, 5, -1]);
  test('4 (negative): RACS is not orthogonally equivariant, unlike Muon', () => {
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const p = mat(3, 3, [c, -s, 0, s, c, 0, 0, 0, 1]);
    const lhs = racsDirectionInto(gemm(p, m), empty(3, 4)).data;
    const rhs = gemm(p, racsDirectionInto(m, empty(3, 4))).data;
    let d = 0;
    for (let i = 0; i < 12; i++) d = Math.max(d, Math.abs(lhs[i]! - rhs[i]!));
    expect(d).toBeGreaterThan(0.1);
    const ol = orthogonalizeInto(gemm(p, m), empty(3, 4), { orthogonalizer: 'svd' }).data;
    const or = gemm(p, orthogonalizeInto(m, empty(3, 4), { orthogonalizer: 'svd' })).data;
    for (let i = 0; i < 12; i++) expect(ol[i]).toBeCloseTo(or[i]!, 12);
  });
  test('5 (contrast): on a rank-one input Muon gives abᵀ/(‖a‖‖b‖), RACS the sign pattern', () => {
    const a = [1, -2, 3], b = [2, 1];
    const r1 = mat(3, 2, a.flatMap((x) => b.map((y) => x * y)));
    const o = orthogonalizeInto(r1, empty(3, 2), { orthogonalizer: 'svd' }).data;
    const na = Math.hypot(...a), nb = Math.hypot(...b);
    a.forEach((x, i) => b.forEach((y, j) => expect(o[i * 2 + j]).toBeCloseTo((x * y) / (na * nb), 12)));
    expect(Array.from(racsDirectionInto(r1, empty(3, 2)).data, (v) => +v.toFixed(12))).toEqual([1, 1, -1, -1, 1, 1]);
  });
  test('6. R2 (oneshot) keeps signs but does not balance rows and columns exactly', () => {
    const r = racsDirectionInto(m, empty(3, 4), { racs: 'oneshot' });
    const rowNorms = [0, 1, 2].map((i) => Math.hypot(...r.data.subarray(i * 4, i * 4 + 4)));
    expect(Math.max(...rowNorms) - Math.min(...rowNorms)).toBeGreaterThan(1e-3);
  });
  test('zero rows and columns stay zero; the rest is balanced as its own submatrix', () => {
    const z = mat(3, 3, [1, 0, 2, 0, 0, 0, 3, 0, -4]);
    const r = racsDirectionInto(z, empty(3, 3));
    expect([r.data[1], r.data[3], r.data[4], r.data[5], r.data[7]]).toEqual([0, 0, 0, 0, 0]);
    expect(Math.hypot(r.data[0]!, r.data[2]!)).toBeCloseTo(Math.SQRT2, 8);
    expect(Array.from(racsDirectionInto(empty(2, 2), empty(2, 2)).data)).toEqual([0, 0, 0, 0]);
  });
  test('REG update has RMS 0.2 (RMS normalisation) on its matrix blocks', () => {
    const layout = [{ name: 'W', shape: [3, 4] }];
    const s = reg.step(reg.init({ layout, lr: 1, momentum: 0, nesterov: false }, new Float64Array(12)), m.data.slice());
    const rms = Math.hypot(...s.x) / Math.sqrt(12);
    expect(rms).toBeCloseTo(0.2, 14);
  });
  test('REG trains a matrix least-squares problem (sinkhorn, oneshot, gong)', () => {
    const T = new Float64Array([1, -0.5, 0.25, 2, 0.5, -1]);
    const layout = [{ name: 'W', shape: [2, 3] }];
    // 'gong' is not RMS-normalised: its step is lr·ρ·Ĝ with entries O(1), so a smaller lr.
    for (const [racs, lr] of [['sinkhorn', 0.02], ['oneshot', 0.02], ['gong', 0.005]] as const) {
      const r = minimize(
        reg,
        (w) => {
          const g = new Float64Array(6);
          let v = 0;
          for (let i = 0; i < 6; i++) {
            g[i] = w[i]! - T[i]!;
            v += 0.5 * g[i]! ** 2;
          }
          return { value: v, grad: g };
        },
        { config: { layout, lr, racs }, x0: new Float64Array(6), maxSteps: 1000, trace: true },
      );
      expect(r.trace!.value[999]!).toBeLessThan(0.05 * r.trace!.value[0]!);
    }
  });
});
