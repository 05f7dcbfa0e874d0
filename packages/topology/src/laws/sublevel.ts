import fc from 'fast-check';
import { bottleneck } from '../bottleneck.js';
import { lowerStarPersistence, mergeHeight, mergeTree, sublevelPersistence0 } from '../sublevel.js';
import { bars } from './arbitraries.js';

/**
 * Arbitrary rows × cols grids of values in [−1, 1] (half of them from a coarse set, with ties; all
 * multiples of 1/8 when `dyadic`).
 *
 * @example
 * ```ts
 * fc.sample(gridValues(3), 1)[0].f.length <= 9;
 * // true
 * ```
 */
export function gridValues(maxSide = 9, dyadic = false): fc.Arbitrary<{ rows: number; cols: number; f: Float64Array }> {
  return fc.tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide }), fc.boolean()).chain(([rows, cols, coarse]) =>
    fc
      .array(
        dyadic
          ? fc.integer({ min: -8, max: 8 }).map((v) => v / 8)
          : coarse
            ? fc.integer({ min: -3, max: 3 }).map((v) => v / 3)
            : fc.double({ min: -1, max: 1, noNaN: true }),
        { minLength: rows * cols, maxLength: rows * cols },
      )
      .map((xs) => ({ rows, cols, f: Float64Array.from(xs) })),
  );
}

/**
 * L16: sublevel stability (Cohen-Steiner–Edelsbrunner–Harer): on one grid,
 * d_B(Dgm(f), Dgm(g)) ≤ ‖f − g‖∞ for H0 (union–find) and H1 (8-connectivity flag lower-star).
 *
 * @example
 * ```ts
 * fc.check(sublevelStability(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function sublevelStability() {
  return fc.property(
    gridValues().chain((g) => fc.tuple(fc.constant(g), fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: g.f.length, maxLength: g.f.length }))),
    ([g, noise]) => {
      const h = g.f.map((v, i) => v + noise[i]!);
      let sup = 0;
      for (let i = 0; i < h.length; i++) sup = Math.max(sup, Math.abs(h[i]! - g.f[i]!));
      const dom = { kind: 'grid' as const, shape: [g.rows, g.cols] as const, connectivity: 8 as const };
      if (bottleneck(sublevelPersistence0(g.f, dom), sublevelPersistence0(h, dom)).distance > sup) return false;
      const a = lowerStarPersistence(g.f, dom);
      const b = lowerStarPersistence(h, dom);
      return bottleneck(a.diagrams[1]!, b.diagrams[1]!).distance <= sup;
    },
  );
}

/**
 * L17: Dgm(f + c) = Dgm(f) + c and Dgm(λf) = λ·Dgm(f) for λ > 0, exactly when the arithmetic is exact
 * (c and λ powers of two, values multiples of 1/8: no rounding, no underflow).
 *
 * @example
 * ```ts
 * fc.check(sublevelShiftScale(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function sublevelShiftScale() {
  return fc.property(gridValues(9, true), fc.integer({ min: -4, max: 4 }), fc.integer({ min: -3, max: 3 }), (g, ce, le) => {
    const c = ce === 0 ? 0 : Math.sign(ce) * 2 ** Math.abs(ce);
    const lambda = 2 ** le;
    const dom = { kind: 'grid' as const, shape: [g.rows, g.cols] as const, connectivity: 4 as const };
    const base = bars(sublevelPersistence0(g.f, dom));
    const shifted = bars(sublevelPersistence0(g.f.map((v) => v + c), dom));
    const scaled = bars(sublevelPersistence0(g.f.map((v) => v * lambda), dom));
    return (
      JSON.stringify(base.map(([b, d]) => [b! + c, d! + c])) === JSON.stringify(shifted) &&
      JSON.stringify(base.map(([b, d]) => [b! * lambda, d! * lambda])) === JSON.stringify(scaled)
    );
  });
}

/**
 * L18: merge heights form an ultrametric: mh(a, c) ≤ max(mh(a, b), mh(b, c)); mh(a, a) = f(a); and a,
 * b share a component of {f ≤ c} iff mh(a, b) ≤ c (checked by flood fill). Exact.
 *
 * @example
 * ```ts
 * fc.check(mergeHeightUltrametric(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function mergeHeightUltrametric() {
  return fc.property(gridValues(7), fc.nat(), fc.nat(), fc.nat(), (g, x, y, z) => {
    const n = g.f.length;
    const [a, b, c] = [x % n, y % n, z % n];
    const dom = { kind: 'grid' as const, shape: [g.rows, g.cols] as const, connectivity: 4 as const };
    const t = mergeTree(g.f, dom);
    const mh = (u: number, v: number) => mergeHeight(t, u, v);
    if (mh(a, a) !== g.f[a]) return false;
    if (mh(a, c) > Math.max(mh(a, b), mh(b, c))) return false;
    // flood fill of {f ≤ level} from a
    const level = g.f[c]!;
    const seen = new Uint8Array(n);
    const stack = g.f[a]! <= level ? [a] : [];
    for (const s of stack) seen[s] = 1;
    while (stack.length) {
      const v = stack.pop()!;
      const r = Math.floor(v / g.cols);
      const q = v % g.cols;
      for (const [dr, dq] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        const r2 = r + dr;
        const q2 = q + dq;
        if (r2 < 0 || q2 < 0 || r2 >= g.rows || q2 >= g.cols) continue;
        const w = r2 * g.cols + q2;
        if (!seen[w] && g.f[w]! <= level) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    return (seen[b] === 1) === (mh(a, b) <= level);
  });
}
