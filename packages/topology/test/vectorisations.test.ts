import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { diagram, persistenceImage, persistenceLandscape, silhouette } from '@descent/topology';
import { imageAdditivity, landscapeLaws, silhouetteStability } from '@descent/topology/laws';
import { fixture } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

interface VecCase {
  diagram: Array<[number, number]>;
  landscape: Array<{ k: number; resolution: number; range: [number, number] | null; keepEndpoints: boolean; values: number[]; grid: number[] }>;
  silhouette: Array<{ power: number | null; resolution: number; range: [number, number] | null; values: number[] }>;
  image: Array<{ bandwidth: number; resolution: [number, number]; range: [number, number, number, number] | null; persistenceWeight: boolean; values: number[] }>;
}

const cases = fixture<VecCase[]>('topology_vectorisations.json');

/** |ours − GUDHI| ≤ 1e−12 · max(1, |GUDHI|), entry by entry. */
function expectClose(ours: Float64Array, ref: number[], what: string): void {
  expect(ours.length, what).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
  expect(worst, what).toBeLessThanOrEqual(1e-12);
}

describe('GUDHI 3.7.1 gudhi.representations, to 1e−12', () => {
  cases.forEach((c, i) => {
    const d = diagram(c.diagram);
    test(`diagram ${i} (${c.diagram.length} bars): Landscape, Silhouette, PersistenceImage`, () => {
      for (const l of c.landscape) {
        const o = { k: l.k, resolution: l.resolution, keepEndpoints: l.keepEndpoints, scale: Math.SQRT2, ...(l.range ? { range: l.range } : {}) };
        const r = persistenceLandscape(d, o);
        expectClose(r.grid, l.grid, `landscape grid ${JSON.stringify(o)}`);
        expectClose(r.values, l.values, `landscape ${JSON.stringify(o)}`);
      }
      for (const s of c.silhouette) {
        const o = { resolution: s.resolution, scale: Math.SQRT2, ...(s.range ? { range: s.range } : {}), ...(s.power !== null ? { power: s.power } : {}) };
        expectClose(silhouette(d, o).values, s.values, `silhouette ${JSON.stringify(o)}`);
      }
      for (const m of c.image) {
        const o = {
          bandwidth: m.bandwidth,
          resolution: m.resolution,
          ...(m.range ? { range: m.range } : {}),
          ...(m.persistenceWeight ? { weight: (_b: number, p: number) => p } : {}),
        };
        expectClose(persistenceImage(d, o).values, m.values, `image ${JSON.stringify(o)}`);
      }
    });
  });
});

describe('laws', () => {
  test('L22 landscapes: non-negative, ordered, 1-Lipschitz, stable in bottleneck distance', () => fc.assert(landscapeLaws(), { numRuns: 100 }));
  test('L23 silhouette stability under ε-moves', () => fc.assert(silhouetteStability(), { numRuns: 100 }));
  test('L24 persistence images: additive over unions, non-negative', () => fc.assert(imageAdditivity(), { numRuns: 50 }));
});

describe('bad input', () => {
  test('essential bars, empty diagrams without a range, bad options', () => {
    const ess = diagram([[0, 1], [0, Infinity]]);
    expect(thrownCode(() => persistenceLandscape(ess))).toBe('DOMAIN');
    expect(thrownCode(() => silhouette(ess))).toBe('DOMAIN');
    expect(thrownCode(() => persistenceImage(ess))).toBe('DOMAIN');
    const empty = diagram([]);
    expect(thrownCode(() => persistenceLandscape(empty))).toBe('INVALID_CONFIG');
    expect(Array.from(persistenceLandscape(empty, { k: 1, resolution: 3, range: [0, 1] }).values)).toEqual([0, 0, 0]);
    expect(thrownCode(() => silhouette(empty, { range: [0, 1] }))).toBe('DOMAIN');
    const d = diagram([[0, 1]]);
    expect(thrownCode(() => persistenceLandscape(d, { k: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => persistenceLandscape(d, { range: [1, 0] }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => silhouette(d, { power: 1, weight: () => 1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => silhouette(d, { weight: () => -1 }))).toBe('DOMAIN');
    expect(thrownCode(() => persistenceImage(d, { bandwidth: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => persistenceImage(d, { resolution: [0, 3] }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => persistenceImage(d, { range: [0, 1, 0, NaN] }))).toBe('INVALID_CONFIG');
  });
});
