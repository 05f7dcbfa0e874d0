import fc from 'fast-check';
import { projectInto, type Projection } from '../projection.js';

function inSet(set: Projection, w: Float64Array, tol: number): boolean {
  const p = w.length;
  let s = 0;
  for (let i = 0; i < p; i++) s += w[i]!;
  switch (set.kind) {
    case 'none':
      return true;
    case 'simplex':
      return w.every((v) => v >= 0) && Math.abs(s - set.budget) <= tol * Math.max(1, set.budget);
    case 'box':
      return w.every((v, i) => v >= set.lower[i]! && v <= set.upper[i]!);
    case 'budgetBox':
      return w.every((v, i) => v >= set.lower[i]! && v <= set.upper[i]!) && Math.abs(s - set.budget) <= tol * Math.max(1, Math.abs(set.budget));
  }
}

/**
 * Euclidean projection onto a closed convex set: Π v lies in the set (sums to 1e−9·scale), is
 * idempotent (Π Π v = Π v to 1e−9), and satisfies the variational inequality ⟨v − Πv, y − Πv⟩ ≤ 1e−9·scale
 * for points y of the set (y = Π of another random vector).
 *
 * @example
 * ```ts
 * fc.check(projectionLaw(simplexSet(), 4)).failed;
 * // false
 * ```
 */
export function projectionLaw(set: Projection, p: number) {
  const vec = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: p, maxLength: p }).map((a) => Float64Array.from(a));
  return fc.property(vec, vec, (v, other) => {
    const w = projectInto(set, v, new Float64Array(p));
    const scale = Math.max(1, ...Array.from(v, Math.abs));
    if (!inSet(set, w, 1e-9 * scale)) return false;
    const ww = projectInto(set, w, new Float64Array(p));
    if (!ww.every((x, i) => Math.abs(x - w[i]!) <= 1e-9 * scale)) return false;
    const y = projectInto(set, other, new Float64Array(p));
    let ip = 0;
    for (let i = 0; i < p; i++) ip += (v[i]! - w[i]!) * (y[i]! - w[i]!);
    return ip <= 1e-9 * scale * scale;
  });
}
