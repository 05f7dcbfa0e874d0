import { describe, expect, test } from 'vitest';
import { bettiAt, bettiCurve, bottleneck, diagram, persistenceEntropy, totalPersistence, wasserstein, type Diagram } from '@descent/topology';
import { fixture } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

type Pts = Array<[number, number]>;
interface Small {
  a: Pts;
  b: Pts;
  brute: number;
  hera: number;
  gudhiExact: number;
  wasserstein: Record<string, number>;
}
const D = (p: Pts): Diagram => diagram(p.map(([b, d]) => [b, d] as const));
const fx = fixture<{ small: Small[]; large: Array<{ a: Pts; b: Pts; hera: number; w1inf: number; w2_2: number }>; regression: Small }>('topology_distances.json');

describe('bottleneck (exact) against brute force and hera', () => {
  test('120 random pairs with ≤ 6 points: equal to brute force bit-for-bit, to hera within its δ', () => {
    let gudhiWrong = 0;
    for (const c of fx.small) {
      const ours = bottleneck(D(c.a), D(c.b)).distance;
      expect(ours).toBe(c.brute);
      expect(bottleneck(D(c.b), D(c.a)).distance).toBe(ours);
      // hera with δ = 1e−10 is a (1+δ)-approximation
      expect(Math.abs(ours - c.hera)).toBeLessThanOrEqual(1e-10 * Math.max(1, ours) + 1e-15);
      if (Math.abs(c.gudhiExact - c.brute) > 1e-9) gudhiWrong++;
    }
    // documents GUDHI 3.7.1's exact-mode bug: it does not agree everywhere
    expect(gudhiWrong).toBeGreaterThan(0);
  });
  test('G9: the GUDHI 3.7.1 regression case is 0.2275, not 0.251', () => {
    const r = fx.regression;
    const ours = bottleneck(D(r.a), D(r.b)).distance;
    expect(ours).toBeCloseTo(0.2275, 12);
    expect(ours).toBe(r.brute);
    expect(r.gudhiExact).toBeCloseTo(0.251, 12);
  });
  test('larger diagrams (75–150 points) against hera', () => {
    for (const c of fx.large) {
      const ours = bottleneck(D(c.a), D(c.b)).distance;
      expect(Math.abs(ours - c.hera)).toBeLessThanOrEqual(1e-10 * Math.max(1, ours));
    }
  });
  test('the matching realises the distance', () => {
    for (const c of fx.small.slice(0, 40)) {
      const a = D(c.a);
      const b = D(c.b);
      const r = bottleneck(a, b, { matching: true });
      const m = r.matching!;
      let worst = 0;
      const seenA = new Set<number>();
      const seenB = new Set<number>();
      for (let k = 0; k < m.length; k += 2) {
        const i = m[k]!;
        const j = m[k + 1]!;
        if (i >= 0) seenA.add(i);
        if (j >= 0) seenB.add(j);
        const cost =
          i >= 0 && j >= 0
            ? Math.max(Math.abs(a.birth[i]! - b.birth[j]!), Math.abs(a.death[i]! - b.death[j]!))
            : i >= 0
              ? (a.death[i]! - a.birth[i]!) / 2
              : (b.death[j]! - b.birth[j]!) / 2;
        worst = Math.max(worst, cost);
      }
      expect(seenA.size).toBe(a.birth.length);
      expect(seenB.size).toBe(b.birth.length);
      expect(worst).toBe(r.distance);
    }
  });
});

describe('Wasserstein (exact) against POT via gudhi.wasserstein', () => {
  test('120 pairs × 6 (q, p) combinations', () => {
    for (const c of fx.small) {
      for (const [key, ref] of Object.entries(c.wasserstein)) {
        const [q, p] = key.split(',');
        const ours = wasserstein(D(c.a), D(c.b), { q: Number(q), p: p === 'inf' ? Infinity : Number(p) }).distance;
        // both are exact optimal assignments; the sums differ only by rounding (≤ 1e−12 relative)
        expect(Math.abs(ours - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
      }
    }
  });
  test('larger diagrams', () => {
    for (const c of fx.large.slice(0, 4)) {
      expect(wasserstein(D(c.a), D(c.b)).distance).toBeCloseTo(c.w1inf, 10);
      expect(wasserstein(D(c.a), D(c.b), { q: 2, p: 2 }).distance).toBeCloseTo(c.w2_2, 10);
    }
  });
});

describe('golden values G8', () => {
  const A = diagram([[2.7, 3.7], [9.6, 14], [34.2, 34.974], [3, Infinity]]);
  const B = diagram([[2.8, 4.45], [9.5, 14.1], [3.2, Infinity]]);
  test('d_B and W', () => {
    expect(bottleneck(A, B).distance).toBeCloseTo(0.75, 12);
    expect(wasserstein(A, B).distance).toBeCloseTo(1.437, 12);
    expect(wasserstein(A, B, { q: 2, p: 2 }).distance).toBeCloseTo(0.965421151622, 11);
    expect(wasserstein(A, B, { q: 2, p: Infinity }).distance).toBeCloseTo(0.873080179594, 11);
    expect(wasserstein(A, B, { q: 1, p: 2 }).distance).toBeCloseTo(1.645359302397, 11);
    const one = diagram([[0, 13]]);
    const empty = diagram([]);
    expect(bottleneck(one, empty).distance).toBe(6.5);
    expect(wasserstein(one, empty).distance).toBe(6.5);
    expect(wasserstein(one, empty, { q: 1, p: 2 }).distance).toBeCloseTo(13 / Math.SQRT2, 12);
  });
  test('essential bars: counts must match, births are matched in sorted order', () => {
    expect(bottleneck(diagram([[0, Infinity]]), diagram([])).distance).toBe(Infinity);
    expect(bottleneck(diagram([[0, Infinity], [1, Infinity]]), diagram([[1.5, Infinity], [0.2, Infinity]])).distance).toBeCloseTo(0.5, 12);
    expect(wasserstein(diagram([[-Infinity, 2]]), diagram([[-Infinity, 3]])).distance).toBe(1);
  });
});

describe('summaries', () => {
  const d = diagram([[0, 1], [1, 3], [0, Infinity]]);
  test('total persistence, entropy, Betti numbers', () => {
    expect(totalPersistence(d)).toBe(3);
    expect(totalPersistence(d, { power: 2 })).toBe(5);
    expect(totalPersistence(d, { infinite: 10 })).toBe(13);
    const p1 = 1 / 3;
    expect(persistenceEntropy(d)).toBeCloseTo(-(p1 * Math.log(p1) + (2 / 3) * Math.log(2 / 3)), 14);
    expect(persistenceEntropy(diagram([[0, 2], [1, 3], [5, 7]]), { normalize: true })).toBeCloseTo(1, 14);
    expect(persistenceEntropy(diagram([]))).toBe(0);
    expect(bettiAt(d, 1)).toBe(2);
    expect(Array.from(bettiCurve(d, new Float64Array([-1, 0, 2, 3, 100])))).toEqual([0, 2, 2, 1, 1]);
  });
  test('bad diagrams and options', () => {
    const bad = [
      () => diagram([[1, 0]]),
      () => diagram([[NaN, 1]]),
      () => wasserstein(d, d, { q: 0.5 }),
      () => totalPersistence(d, { power: -1 }),
      () => totalPersistence(d, { infinite: -5 }),
      () => bottleneck({ dim: 0, birth: new Float64Array(2), death: new Float64Array(1) }, d),
    ];
    for (const f of bad) expect(() => f()).toThrow(expect.objectContaining({ name: 'DescentError' }));
    expect(thrownCode(() => diagram([[NaN, 1]]))).toBe('NON_FINITE');
  });
});
