import { describe, expect, test } from 'vitest';
import { key, uniform } from '@descent/linalg';
import { diagram, estimateRipsSize, greedySubsample, ripsPersistence, wasserstein } from '@descent/topology';
import { bars } from '../src/laws/arbitraries.js';

const n = 30;
const pts = uniform(key(11), 3 * n);

function lowerBy(metric: (a: Float64Array, b: Float64Array) => number): Float64Array {
  const out = new Float64Array((n * (n - 1)) / 2);
  for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) out[k] = metric(pts.subarray(3 * i, 3 * i + 3), pts.subarray(3 * j, 3 * j + 3));
  return out;
}

describe('Rips options', () => {
  test('metrics: manhattan, chebyshev, cosine equal the explicit distance matrices', () => {
    const metrics = {
      manhattan: (a: Float64Array, b: Float64Array) => Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!),
      chebyshev: (a: Float64Array, b: Float64Array) => Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!)),
      cosine: (a: Float64Array, b: Float64Array) =>
        Math.max(0, 1 - (a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / (Math.sqrt(a[0]! ** 2 + a[1]! ** 2 + a[2]! ** 2) * Math.sqrt(b[0]! ** 2 + b[1]! ** 2 + b[2]! ** 2))),
    } as const;
    for (const [name, f] of Object.entries(metrics)) {
      const a = ripsPersistence({ kind: 'points', n, d: 3, data: pts, metric: name as 'manhattan' }, { maxDim: 1 });
      const b = ripsPersistence({ kind: 'lower', n, data: lowerBy(f) }, { maxDim: 1 });
      for (let k = 0; k < 2; k++) {
        const x = bars(a.diagrams[k]!);
        const y = bars(b.diagrams[k]!);
        expect(x.length).toBe(y.length);
        x.forEach((p, i) => {
          expect(p[0]).toBeCloseTo(y[i]![0]!, 12);
          if (p[1] !== Infinity) expect(p[1]).toBeCloseTo(y[i]![1]!, 12);
        });
      }
    }
  });
  test('float32 storage equals a lower matrix of Math.fround distances; full equals lower', () => {
    const lower = lowerBy((a, b) => Math.sqrt((a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2));
    const a = ripsPersistence({ kind: 'points', n, d: 3, data: pts }, { maxDim: 2, float32: true });
    const b = ripsPersistence({ kind: 'lower', n, data: lower.map(Math.fround) }, { maxDim: 2 });
    const full = new Float64Array(n * n);
    for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) full[i * n + j] = full[j * n + i] = lower[k]!;
    const c = ripsPersistence({ kind: 'full', n, data: full }, { maxDim: 2 });
    const d = ripsPersistence({ kind: 'lower', n, data: lower }, { maxDim: 2, check: false });
    for (let k = 0; k <= 2; k++) {
      expect(bars(a.diagrams[k]!)).toEqual(bars(b.diagrams[k]!));
      expect(bars(c.diagrams[k]!)).toEqual(bars(d.diagrams[k]!));
      for (const v of a.diagrams[k]!.death) if (Number.isFinite(v)) expect(Math.fround(v)).toBe(v);
    }
  });
  test('ratio keeps exactly the pairs with death > ratio·birth in dimensions ≥ 1', () => {
    const all = ripsPersistence({ kind: 'points', n, d: 3, data: pts }, { maxDim: 2 });
    const cut = ripsPersistence({ kind: 'points', n, d: 3, data: pts }, { maxDim: 2, ratio: 1.3 });
    expect(bars(cut.diagrams[0]!)).toEqual(bars(all.diagrams[0]!));
    for (let k = 1; k <= 2; k++) expect(bars(cut.diagrams[k]!)).toEqual(bars(all.diagrams[k]!).filter(([b, d]) => d! > 1.3 * b!));
  });
  test('greedy subsample: k = n covers with radius 0; indices are distinct', () => {
    const s = greedySubsample({ kind: 'points', n, d: 3, data: pts }, n);
    expect(s.coveringRadius).toBe(0);
    expect(new Set(s.indices).size).toBe(n);
    const t = greedySubsample({ kind: 'points', n, d: 3, data: pts }, 5, { start: 3 });
    expect(t.indices[0]).toBe(3);
    expect(t.coveringRadius).toBeGreaterThan(0);
  });
});

describe('size estimate', () => {
  test('edge count and engine choice match the computation', () => {
    for (const t of [0.2, 0.5, Infinity]) {
      const x = { kind: 'points' as const, n, d: 3, data: pts };
      const e = estimateRipsSize(x, { threshold: t });
      const r = ripsPersistence(x, { threshold: t });
      expect(e.numEdges).toBe(r.stats.numEdges);
      expect(e.sparse).toBe(r.stats.sparse);
      expect(e.threshold).toBe(r.stats.threshold);
    }
    // complete graph: the estimate is exact, C(n, 3) triangles
    const all = estimateRipsSize({ kind: 'lower', n: 10, data: new Float64Array(45).fill(1) });
    expect(all.topSimplices).toBeCloseTo(120, 9);
  });
});

describe('Wasserstein matching', () => {
  test('the matching realises the distance', () => {
    const a = diagram([[0, 1], [0.2, 0.9], [0.5, 0.55], [0.1, Infinity]]);
    const b = diagram([[0.05, 1.1], [0.6, 0.7], [0.3, Infinity]]);
    for (const [q, p] of [[1, Infinity], [2, 2], [1, 1]] as const) {
      const r = wasserstein(a, b, { q, p, matching: true });
      const m = r.matching!;
      const g = (x: number, y: number) => (p === Infinity ? Math.max(x, y) : (x ** p + y ** p) ** (1 / p));
      const diag = (i: number, d: typeof a) => (d.death[i]! - d.birth[i]!) * (p === Infinity ? 0.5 : 2 ** (1 / p - 1));
      let total = 0;
      for (let k = 0; k < m.length; k += 2) {
        const i = m[k]!;
        const j = m[k + 1]!;
        let c: number;
        if (i >= 0 && j >= 0) c = a.death[i] === Infinity ? Math.abs(a.birth[i]! - b.birth[j]!) : g(Math.abs(a.birth[i]! - b.birth[j]!), Math.abs(a.death[i]! - b.death[j]!));
        else if (i >= 0) c = diag(i, a);
        else c = diag(j, b);
        total += c ** q;
      }
      expect(total ** (1 / q)).toBeCloseTo(r.distance, 12);
    }
  });
});
