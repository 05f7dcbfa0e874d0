import { expect, test } from 'vitest';
import fc from 'fast-check';
import { EntryHeap } from '../src/internal/heap.js';

// The pivot sequence of a column is a function of its multiset of entries: the distinct indices with a
// nonzero coefficient sum mod p, in filtration order (diameter ascending, index descending). Enough
// pushes to pass the heap's compaction size many times over, with heavy duplication so compaction merges
// and cancels entries. Diameters are float32 values, so both storage widths hold them exactly.
test('EntryHeap pops the merged column in filtration order, through compactions', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(2, 3, 7),
      fc.boolean(),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 6 })), { minLength: 1100, maxLength: 5000 }),
      (p, float32, entries) => {
        const h = new EntryHeap(p, float32);
        const sum = new Map<number, number>();
        for (const [x, c] of entries) {
          const coef = c % p === 0 ? 1 : c % p;
          // the diameter is a function of the index, as in a filtration
          h.push(Math.floor(x / 7) / 4, x, coef);
          sum.set(x, ((sum.get(x) ?? 0) + coef) % p);
        }
        const expected = [...sum].filter(([, c]) => c !== 0).sort((a, b) => Math.floor(a[0] / 7) - Math.floor(b[0] / 7) || b[0] - a[0]);
        const got: Array<[number, number]> = [];
        while (h.popPivot(p)) got.push([h.pivIdx, h.pivCoef]);
        expect(got).toEqual(expected);
      },
    ),
    { numRuns: 60 },
  );
});
