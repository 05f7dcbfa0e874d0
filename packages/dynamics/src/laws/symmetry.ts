import fc from 'fast-check';
import { squareGrid } from '../grid.js';
import { scalarVectorRegion } from '../region.js';

/**
 * The region's symmetries [exact]: GD on ½(uv − y)² + (λ/2)(u² + v²) commutes bit for bit with
 * (u, v) ↦ (v, u) and (u, v) ↦ (−u, −v), and the grid axes of a symmetric window are exact mirrors, so
 * on a square window [-r, r]² the status map is invariant under transposition and under the 180°
 * rotation, the final states map exactly ((x, z) ↦ (z, x), resp. ↦ (−x, −z)), and the sign label
 * flips under the rotation (1 ↔ 2 for `'sign'`, ℓ ↦ ℓ ± 2 for `'signAndBalance'`). No tolerance.
 *
 * @example
 * ```ts
 * fc.check(regionSymmetryLaw(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function regionSymmetryLaw(): fc.IProperty<[number, number, number, number, number]> {
  return fc.property(
    fc.double({ min: -2, max: 2, noNaN: true }).filter((y) => Math.abs(y) > 0.05),
    fc.double({ min: 0, max: 0.6, noNaN: true }),
    fc.double({ min: 0.05, max: 2.5, noNaN: true }),
    fc.double({ min: 0.5, max: 5, noNaN: true }),
    fc.integer({ min: 5, max: 40 }),
    (y, lambda, c, r, n) => {
      const reg = scalarVectorRegion({ y, lambda, eta: c / Math.abs(y), grid: squareGrid(r, n), maxSteps: 300 });
      const sign = reg.labelMode === 'sign';
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const p = j * n + i;
          const tr = i * n + j;
          const rot = (n - 1 - j) * n + (n - 1 - i);
          if (reg.status[p] !== reg.status[tr] || reg.status[p] !== reg.status[rot]) return false;
          if (reg.x[p] !== reg.z[tr] || reg.z[p] !== reg.x[tr]) return false;
          if (reg.x[p] !== -reg.x[rot] || reg.z[p] !== -reg.z[rot]) return false;
          if (reg.status[p] === 1) {
            const l = reg.label[p]!;
            const lr = reg.label[rot]!;
            // Exactly-zero u has no sign to flip (a point on an invariant axis).
            if (reg.x[p] === 0) continue;
            const flipped = sign ? 3 - l : l <= 2 ? l + 2 : l - 2;
            if (lr !== flipped) return false;
          }
        }
      }
      return true;
    },
  );
}
