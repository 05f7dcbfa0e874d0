import fc from 'fast-check';
import { bottleneck } from '../bottleneck.js';
import type { Diagram } from '../diagram.js';
import { persistenceEntropy, totalPersistence } from '../summaries.js';
import { wasserstein } from '../wasserstein.js';
import { bars, finiteDiagram } from './arbitraries.js';

const EMPTY: Diagram = { dim: 0, birth: new Float64Array(0), death: new Float64Array(0) };

/**
 * L13: the bottleneck distance is a metric on diagrams: d(A, A) = 0 exactly, symmetry bit-for-bit,
 * the triangle inequality (tolerance 1e−12 for rounding of the three values), and d(A, B) = 0 only for
 * equal off-diagonal multisets. Essential bars included.
 *
 * @example
 * ```ts
 * fc.check(bottleneckIsMetric(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function bottleneckIsMetric(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(6, 1)) {
  return fc.property(diagrams, diagrams, diagrams, (a, b, c) => {
    const ab = bottleneck(a, b).distance;
    if (bottleneck(a, a).distance !== 0 || bottleneck(b, a).distance !== ab) return false;
    if (ab > bottleneck(a, c).distance + bottleneck(c, b).distance + 1e-12) return false;
    if (ab === 0 && JSON.stringify(bars(a)) !== JSON.stringify(bars(b))) return false;
    return true;
  });
}

/**
 * L14: the q-Wasserstein distance is a metric for q ≥ 1 (identity, symmetry to 1e−12 relative, triangle
 * inequality to 1e−9); W_q^(∞) ≥ d_B; q ↦ W_q^(p) is non-increasing; W(A, ∅) = ‖distances to the
 * diagonal‖_q; Pers_1(A) = W_1^(p=1)(A, ∅).
 *
 * @example
 * ```ts
 * fc.check(wassersteinLaws(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function wassersteinLaws(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(5)) {
  return fc.property(diagrams, diagrams, diagrams, fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2, Infinity), (a, b, c, q, p) => {
    const w = (x: Diagram, y: Diagram, qq: number = q) => wasserstein(x, y, { q: qq, p }).distance;
    const ab = w(a, b);
    if (w(a, a) > 1e-12) return false;
    if (Math.abs(ab - w(b, a)) > 1e-12 * Math.max(1, ab)) return false;
    if (ab > w(a, c) + w(c, b) + 1e-9) return false;
    if (wasserstein(a, b, { q, p: Infinity }).distance < bottleneck(a, b).distance - 1e-12) return false;
    if (w(a, b, q + 1) > ab + 1e-9) return false;
    const f = p === Infinity ? 0.5 : 2 ** (1 / p - 1);
    let s = 0;
    for (let i = 0; i < a.birth.length; i++) s += ((a.death[i]! - a.birth[i]!) * f) ** q;
    if (Math.abs(w(a, EMPTY) - s ** (1 / q)) > 1e-12 * Math.max(1, s)) return false;
    return Math.abs(totalPersistence(a) - wasserstein(a, EMPTY, { q: 1, p: 1 }).distance) <= 1e-12 * Math.max(1, totalPersistence(a));
  });
}

/**
 * L15: persistence entropy satisfies 0 ≤ E ≤ ln(#bars), with E = ln(#bars) when all lengths are equal,
 * and is invariant under scaling and shifting of the diagram (tolerance 1e−12).
 *
 * @example
 * ```ts
 * fc.check(entropyLaws(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function entropyLaws(diagrams: fc.Arbitrary<Diagram> = finiteDiagram(8)) {
  return fc.property(diagrams, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (a, lambda, shift) => {
    const e = persistenceEntropy(a);
    const m = a.birth.length;
    if (e < 0 || (m > 0 && e > Math.log(m) + 1e-12)) return false;
    const moved = { dim: a.dim, birth: a.birth.map((v) => lambda * v + shift), death: a.death.map((v) => lambda * v + shift) };
    if (Math.abs(persistenceEntropy(moved) - e) > 1e-9) return false;
    const equal = { dim: 0, birth: a.birth, death: a.birth.map((v) => v + 0.5) };
    return m === 0 || Math.abs(persistenceEntropy(equal) - Math.log(m)) <= 1e-12;
  });
}
