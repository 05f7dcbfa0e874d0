import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bottleneck, cubicalPersistence, sublevelPersistence0 } from '@descent/topology';
import { fixture, refDiagram } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

interface CubicalCase {
  shape: number[];
  periodic: boolean[] | null;
  values: number[];
  gudhi: Array<Array<[number, number | null]>>;
}

const cases = fixture<CubicalCase[]>('topology_cubical.json');

describe('cubicalPersistence equals GUDHI 3.7.1 (CubicalComplex / PeriodicCubicalComplex), bar for bar', () => {
  for (const c of cases) {
    test(`shape [${c.shape.join('×')}]${c.periodic ? `, periodic [${c.periodic.join(', ')}]` : ''}`, () => {
      const r = cubicalPersistence(Float64Array.from(c.values), c.shape, c.periodic ? { periodic: c.periodic } : {});
      expect(r.length).toBe(c.gudhi.length);
      for (let k = 0; k < c.gudhi.length; k++) {
        const ref = refDiagram(c.gudhi[k]!, k);
        expect(Array.from(r[k]!.birth), `H${k} births`).toEqual(Array.from(ref.birth));
        expect(Array.from(r[k]!.death), `H${k} deaths`).toEqual(Array.from(ref.death));
      }
    });
  }
  test('the fixtures cover 2-D, 3-D, periodic and mixed axes, and have H2 and H3 bars', () => {
    expect(cases.some((c) => c.shape.length === 3 && c.gudhi[2]!.length > 0)).toBe(true);
    expect(cases.some((c) => c.gudhi.length === 4 && c.gudhi[3]!.length > 0)).toBe(true);
    expect(cases.some((c) => c.periodic?.some((p) => !p) && c.periodic.some((p) => p))).toBe(true);
  });
});

describe('laws', () => {
  test('H0 of a 2-D image equals 8-connectivity sublevel H0; a torus has Betti numbers 1, 2, 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 36, maxLength: 36 }), (h, w, xs) => {
        const f = Float64Array.from(xs.slice(0, h * w));
        const r = cubicalPersistence(f, [h, w]);
        const ref = sublevelPersistence0(f, { kind: 'grid', shape: [h, w], connectivity: 8 });
        if (bottleneck(r[0]!, ref).distance !== 0 || r[0]!.birth.length !== ref.birth.length) return false;
        const t = cubicalPersistence(f, [h, w], { periodic: true });
        const essential = t.map((dg) => dg.death.filter((x) => x === Infinity).length);
        return JSON.stringify(essential) === JSON.stringify([1, 2, 1]);
      }),
      { numRuns: 60 },
    );
  });

  test('stability: d_B(Dgm(f), Dgm(g)) ≤ ‖f − g‖∞ on 3-D volumes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 48, maxLength: 48 }),
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 48, maxLength: 48 }),
        (xs, ds) => {
          const f = Float64Array.from(xs);
          const g = Float64Array.from(xs, (x, i) => x + ds[i]!);
          let sup = 0;
          for (let i = 0; i < 48; i++) sup = Math.max(sup, Math.abs(f[i]! - g[i]!));
          const a = cubicalPersistence(f, [4, 3, 4]);
          const b = cubicalPersistence(g, [4, 3, 4]);
          return a.every((dg, k) => bottleneck(dg, b[k]!).distance <= sup + 1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('bad input', () => {
    expect(thrownCode(() => cubicalPersistence(new Float64Array(6), [2, 2]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => cubicalPersistence(new Float64Array(6), [2, 3.5]))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => cubicalPersistence(new Float64Array([NaN]), [1]))).toBe('NON_FINITE');
    expect(thrownCode(() => cubicalPersistence(new Float64Array(4), [2, 2], { periodic: [true] }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => cubicalPersistence(new Float64Array(1), [1e5, 1e5]))).toBe('SHAPE_MISMATCH');
  });
});
