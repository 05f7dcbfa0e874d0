import { describe, expect, test } from 'vitest';
import { ripserOutput, ripsPersistence } from '@descent/topology';
import { fixture, refDiagram } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

interface HighCase {
  name: string;
  n: number;
  dim: number;
  lower: number[];
  text: string;
  ripser: string;
  gudhi: Array<Array<[number, number | null]>>;
}

const cases = fixture<HighCase[]>('topology_rips_high.json');

describe('Rips persistence above dimension 2 (H3, H4)', () => {
  for (const c of cases) {
    test(`${c.name}: equal to GUDHI bar for bar, ripser's output byte for byte`, () => {
      const r = ripsPersistence({ kind: 'lower', n: c.n, data: Float64Array.from(c.lower) }, { maxDim: c.dim });
      expect(r.diagrams.length).toBe(c.dim + 1);
      for (let k = 0; k <= c.dim; k++) {
        const ref = refDiagram(c.gudhi[k]!, k);
        expect(Array.from(r.diagrams[k]!.birth), `H${k} births`).toEqual(Array.from(ref.birth));
        expect(Array.from(r.diagrams[k]!.death), `H${k} deaths`).toEqual(Array.from(ref.death));
      }
      expect(ripserOutput(c.text, { format: 'lower-distance', dim: c.dim })).toBe(c.ripser);
    });
  }

  test('the fixtures exercise H3 and H4', () => {
    expect(cases.some((c) => c.gudhi[3]!.length > 0)).toBe(true);
    expect(cases.some((c) => c.dim === 4 && c.gudhi[4]!.length > 0)).toBe(true);
  });

  test('the 16-cell boundary is a 3-sphere from √2 to 2', () => {
    const pts = new Float64Array(32);
    for (let i = 0; i < 4; i++) {
      pts[4 * i + i] = 1;
      pts[4 * (i + 4) + i] = -1;
    }
    const r = ripsPersistence({ kind: 'points', n: 8, d: 4, data: pts }, { maxDim: 3 });
    expect([r.diagrams[1]!.birth.length, r.diagrams[2]!.birth.length]).toEqual([0, 0]);
    expect([r.diagrams[3]!.birth[0], r.diagrams[3]!.death[0]]).toEqual([Math.SQRT2, 2]);
  });

  test('the index bound is C(n, k) ≤ 2^53 for every k ≤ maxDim + 2, checked before allocating', () => {
    const graph = (n: number) => ({ kind: 'graph' as const, n, i: new Int32Array([0, 1]), j: new Int32Array([1, 2]), w: new Float64Array([1, 1]) });
    // C(100000, 5) ≈ 8e22
    expect(thrownCode(() => ripsPersistence(graph(100_000), { maxDim: 3 }))).toBe('INVALID_CONFIG');
    // C(60, 60) = 1, but the 30-vertex simplices need C(60, 30) ≈ 1.2e17 indices
    expect(thrownCode(() => ripsPersistence(graph(60), { maxDim: 58 }))).toBe('INVALID_CONFIG');
    // C(40, 20) ≈ 1.4e11 fits: every dimension up to n − 2 runs
    const r = ripsPersistence(graph(40), { maxDim: 38 });
    expect(r.diagrams.length).toBe(39);
    expect(r.diagrams[0]!.birth.length).toBe(40); // two finite bars, 38 components
    // C(8000, 4) ≈ 1.7e14 fits (H2 on a large graph); C(8000, 5) ≈ 2.7e17 does not
    expect(thrownCode(() => ripsPersistence(graph(8000), { maxDim: 2 }))).toBe('none');
    expect(thrownCode(() => ripsPersistence(graph(8000), { maxDim: 3 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => ripsPersistence(graph(10), { maxDim: 2 ** 60 }))).toBe('INVALID_CONFIG');
  });
});
