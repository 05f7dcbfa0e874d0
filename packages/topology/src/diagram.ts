import { describeValue, DescentError } from '@descent/linalg';
import { assertAllocation } from './internal/args.js';

/**
 * A persistence diagram: bars [birth, death) of homology in dimension `dim`, as parallel arrays.
 * `death` may be `+Infinity` (an essential class, or one still alive at the threshold).
 *
 * @example
 * ```ts
 * const d: Diagram = { dim: 1, birth: new Float64Array([0.5]), death: new Float64Array([Infinity]) };
 * d.death;
 * // Float64Array [Infinity]
 * ```
 */
export interface Diagram {
  readonly dim: number;
  readonly birth: Float64Array;
  readonly death: Float64Array;
}

/**
 * Builds a diagram from `[birth, death]` pairs (death may be `Infinity`), validating them.
 *
 * @example
 * ```ts
 * diagram([[0, 1], [0.5, Infinity]]).death;
 * // Float64Array [1, Infinity]
 * ```
 */
export function diagram(pairs: ReadonlyArray<readonly [number, number]>, dim = 0): Diagram {
  if (!Array.isArray(pairs)) throw new DescentError('INVALID_CONFIG', 'diagram', `pairs must be an array of [birth, death] pairs, got ${describeValue(pairs)}`);
  if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) throw new DescentError('INVALID_CONFIG', 'diagram', `dim must be a non-negative integer, got ${describeValue(dim)}`);
  assertAllocation(pairs.length, 'diagram', 'pairs');
  const birth = new Float64Array(pairs.length);
  const death = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const p: unknown = pairs[i];
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      throw new DescentError('INVALID_CONFIG', 'diagram', `pairs[${i}] must be a [birth, death] pair of numbers, got ${describeValue(p)}`);
    }
    birth[i] = p[0];
    death[i] = p[1];
  }
  const out = { dim, birth, death };
  assertDiagram(out, 'diagram', 'pairs');
  return out;
}

/**
 * Throws unless `d` is a well-formed diagram: equal lengths, no NaN, birth ≤ death, birth < +∞,
 * death > −∞.
 *
 * @example
 * ```ts
 * assertDiagram(diagram([[0, 1]]), 'f', 'a');
 * // undefined
 * ```
 */
export function assertDiagram(d: Diagram, where: string, what: string): void {
  if (!d || !(d.birth instanceof Float64Array) || !(d.death instanceof Float64Array)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must have Float64Array birth and death`);
  }
  if (d.birth.length !== d.death.length) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}: ${d.birth.length} births but ${d.death.length} deaths`);
  }
  for (let i = 0; i < d.birth.length; i++) {
    const b = d.birth[i]!;
    const e = d.death[i]!;
    if (Number.isNaN(b) || Number.isNaN(e)) throw new DescentError('NON_FINITE', where, `${what}: bar ${i} is NaN`);
    if (b === Infinity || e === -Infinity) throw new DescentError('DOMAIN', where, `${what}: bar ${i} is [${b}, ${e})`);
    if (e < b) throw new DescentError('DOMAIN', where, `${what}: bar ${i} dies (${e}) before it is born (${b})`);
  }
}

/**
 * The diagram's bars sorted by (birth, death) ascending: the canonical order used for comparisons.
 *
 * @example
 * ```ts
 * sortDiagram(diagram([[1, 2], [0, 3]])).birth[0];
 * // 0
 * ```
 */
export function sortDiagram(d: Diagram): Diagram {
  assertDiagram(d, 'sortDiagram', 'd');
  const perm = canonicalOrder(d.birth, d.death);
  return { dim: d.dim, birth: permute(d.birth, perm), death: permute(d.death, perm) };
}

/** Permutation sorting bars by (birth, death) ascending. @internal */
export function canonicalOrder(birth: Float64Array, death: Float64Array): Uint32Array {
  const perm = new Uint32Array(birth.length);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  perm.sort((a, b) => birth[a]! - birth[b]! || (death[a] === death[b] ? 0 : death[a]! < death[b]! ? -1 : 1));
  return perm;
}

/** @internal */
export function permute(x: Float64Array, perm: Uint32Array): Float64Array {
  const out = new Float64Array(perm.length);
  for (let i = 0; i < perm.length; i++) out[i] = x[perm[i]!]!;
  return out;
}

/**
 * Keeps the bars with persistence (death − birth) strictly greater than `minPersistence`.
 *
 * @example
 * ```ts
 * filterDiagram(diagram([[0, 1], [0, 0.1]]), 0.5).birth.length;
 * // 1
 * ```
 */
export function filterDiagram(d: Diagram, minPersistence: number): Diagram {
  assertDiagram(d, 'filterDiagram', 'd');
  if (typeof minPersistence !== 'number' || Number.isNaN(minPersistence)) {
    throw new DescentError('INVALID_CONFIG', 'filterDiagram', `minPersistence must be a number, got ${describeValue(minPersistence)}`);
  }
  const keep: number[] = [];
  for (let i = 0; i < d.birth.length; i++) if (d.death[i]! - d.birth[i]! > minPersistence) keep.push(i);
  return {
    dim: d.dim,
    birth: Float64Array.from(keep, (i) => d.birth[i]!),
    death: Float64Array.from(keep, (i) => d.death[i]!),
  };
}

/**
 * Persistence (death − birth) of every bar, `Infinity` for essential bars.
 *
 * @example
 * ```ts
 * persistence(diagram([[1, 3]]))[0];
 * // 2
 * ```
 */
export function persistence(d: Diagram): Float64Array {
  assertDiagram(d, 'persistence', 'd');
  const out = new Float64Array(d.birth.length);
  for (let i = 0; i < out.length; i++) out[i] = d.death[i]! - d.birth[i]!;
  return out;
}
