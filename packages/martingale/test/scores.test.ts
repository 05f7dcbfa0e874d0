import { describe, expect, test } from 'vitest';
import { fromRows } from '@descent/linalg';
import { entropyScore, mahalanobisDistance, nearestMeanDistance, negLogLabelProbability, negLogMaxProbability, oneMinusMaxProbability } from '@descent/martingale';

describe('non-conformity scores', () => {
  const P = fromRows([
    [0.7, 0.2, 0.1],
    [1 / 3, 1 / 3, 1 / 3],
    [1, 0, 0],
  ]);
  test('1 − max p, −log max p, entropy, −log p_y', () => {
    expect(Array.from(oneMinusMaxProbability(P))).toEqual([1 - 0.7, 1 - 1 / 3, 0]);
    expect(negLogMaxProbability(P)[0]).toBeCloseTo(-Math.log(0.7), 15);
    const h = entropyScore(P);
    expect(h[0]).toBeCloseTo(-(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)), 15);
    expect(h[1]).toBeCloseTo(Math.log(3), 15);
    expect(h[2]).toBe(0);
    expect(negLogLabelProbability(P, [1, 2, 0])[0]).toBeCloseTo(-Math.log(0.2), 15);
  });
  test('feature-space: nearest class mean and Mahalanobis', () => {
    const X = fromRows([[1, 1], [3, -1]]);
    const mu = fromRows([[0, 0], [1, 2], [3, 0]]);
    expect(Array.from(nearestMeanDistance(X, mu))).toEqual([1, 1]);
    const m = mahalanobisDistance(X, Float64Array.from([1, 0]), fromRows([[2, 0.5], [0.5, 1]]));
    expect(m[0]).toBeCloseTo(1, 15);
    expect(m[1]).toBeCloseTo(2 * 4 + 2 * 0.5 * 2 * -1 + 1, 15);
  });
  test('bad input → DescentError', () => {
    expect(() => negLogLabelProbability(P, [1, 1, 1])).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => negLogLabelProbability(P, [0])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => entropyScore({ rows: 1, cols: 2, data: new Float64Array([NaN, 1]) })).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => entropyScore(fromRows([[1.5, -0.5]]))).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => nearestMeanDistance(fromRows([[1, 2]]), fromRows([[1, 2, 3]]))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });
});
