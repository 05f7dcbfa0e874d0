import fc from 'fast-check';
import { bottleneck } from '../bottleneck.js';
import { diagram, type Diagram } from '../diagram.js';
import { persistenceImage } from '../persistence-image.js';
import { persistenceLandscape } from '../persistence-landscape.js';
import { silhouette } from '../silhouette.js';
import { finiteDiagram } from './arbitraries.js';

const RANGE: readonly [number, number] = [-0.5, 2.5];

/**
 * L22: persistence landscapes (Bubenik 2015) on a common grid: λ_j ≥ 0, λ_j ≥ λ_{j+1} (exact), each
 * λ_j is 1-Lipschitz along the grid (1e−12 slack), and stability ‖λ_j(D) − λ_j(D′)‖∞ ≤ d_B(D, D′) for
 * every j (1e−12 slack for rounding).
 *
 * @example
 * ```ts
 * fc.check(landscapeLaws(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function landscapeLaws(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(8)) {
  return fc.property(diagrams, diagrams, (a, b) => {
    const k = 4;
    const res = 61;
    const la = persistenceLandscape(a, { k, resolution: res, range: RANGE });
    const lb = persistenceLandscape(b, { k, resolution: res, range: RANGE });
    const g = la.grid;
    const db = bottleneck(a, b).distance;
    for (let j = 0; j < k; j++) {
      let sup = 0;
      for (let i = 0; i < res; i++) {
        const v = la.values[j * res + i]!;
        if (!(v >= 0)) return false;
        if (j + 1 < k && la.values[(j + 1) * res + i]! > v) return false;
        if (i > 0 && Math.abs(v - la.values[j * res + i - 1]!) > g[i]! - g[i - 1]! + 1e-12) return false;
        sup = Math.max(sup, Math.abs(v - lb.values[j * res + i]!));
      }
      if (sup > db + 1e-12) return false;
    }
    return true;
  });
}

/**
 * L23: silhouette stability for constant weights: moving every point of a diagram by at most ε in
 * sup norm (birth and death, keeping death ≥ birth) moves the silhouette by at most ε in sup norm
 * (1e−12 slack); the silhouette is ≤ λ_1 and ≥ 0.
 *
 * @example
 * ```ts
 * fc.check(silhouetteStability(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function silhouetteStability(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(8)) {
  const moved = diagrams
    .filter((d) => d.birth.length > 0)
    .chain((d) =>
      fc.tuple(
        fc.constant(d),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: d.birth.length, maxLength: d.birth.length }),
      ),
    );
  return fc.property(moved, ([d, eps, shifts]) => {
    const e = diagram(
      shifts.map(([sb, sd], q) => {
        const b = d.birth[q]! + eps * sb;
        return [b, Math.max(b, d.death[q]! + eps * sd)] as const;
      }),
    );
    // the real shift of each point (death clamped to birth moves by no more than eps)
    let shift = 0;
    for (let q = 0; q < d.birth.length; q++) shift = Math.max(shift, Math.abs(e.birth[q]! - d.birth[q]!), Math.abs(e.death[q]! - d.death[q]!));
    const o = { resolution: 61, range: RANGE };
    const sd = silhouette(d, o);
    const se = silhouette(e, o);
    const l1 = persistenceLandscape(d, { ...o, k: 1 });
    for (let i = 0; i < 61; i++) {
      if (Math.abs(sd.values[i]! - se.values[i]!) > shift + 1e-12) return false;
      if (sd.values[i]! < 0 || sd.values[i]! > l1.values[i]! + 1e-12) return false;
    }
    return true;
  });
}

/**
 * L24: persistence images are additive and non-negative: on a fixed range, the image of the union of two
 * diagrams is the sum of their images (1e−12 relative) and every pixel is ≥ 0 (persistence weights).
 *
 * @example
 * ```ts
 * fc.check(imageAdditivity(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function imageAdditivity(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(6)) {
  return fc.property(diagrams, diagrams, (a, b) => {
    const o = { bandwidth: 0.2, resolution: [9, 7] as const, range: [0, 1, 0, 1] as const, weight: (_b: number, p: number) => p };
    const u = diagram([...a.birth].map((x, q) => [x, a.death[q]!] as const).concat([...b.birth].map((x, q) => [x, b.death[q]!] as const)));
    const ia = persistenceImage(a, o).values;
    const ib = persistenceImage(b, o).values;
    const iu = persistenceImage(u, o).values;
    for (let i = 0; i < iu.length; i++) {
      if (!(ia[i]! >= 0) || Math.abs(iu[i]! - (ia[i]! + ib[i]!)) > 1e-12 * Math.max(1, iu[i]!)) return false;
    }
    return true;
  });
}
