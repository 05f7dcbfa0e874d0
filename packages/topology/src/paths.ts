import { describeValue, MAX_ELEMENTS, assertKnownKeys, DescentError } from '@descent/linalg';
import { assertAllocation, assertFunction, assertIntIn, assertPoints } from './internal/args.js';

/**
 * A loss along a path: values `loss[i]` at parameters `alpha[i]` ∈ [0, 1] (both ends included).
 *
 * @example
 * ```ts
 * const c: PathLoss = { alpha: new Float64Array([0, 1]), loss: new Float64Array([1, 1]) };
 * barrier(c).height;
 * // 0
 * ```
 */
export interface PathLoss {
  readonly alpha: Float64Array;
  readonly loss: Float64Array;
}

function checkVector(x: Float64Array, where: string, what: string): void {
  if (!(x instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', where, `${what} must be a Float64Array`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${x[i]}`);
}

function evalLoss(loss: (x: Float64Array) => number, x: Float64Array, where: string, at: string): number {
  const v = loss(x);
  if (typeof v !== 'number' || Number.isNaN(v)) throw new DescentError('NON_FINITE', where, `the loss returned ${String(v)} at ${at}`);
  return v;
}

/**
 * The loss along the straight segment θ(α) = (1 − α)·a + α·b on a uniform grid of `points` values of α
 * including both ends (default 31, Frankle et al.'s 30 evenly spaced α plus the end).
 *
 * @example
 * ```ts
 * const r = linearPathLoss((x) => x[0] * x[0], new Float64Array([-1]), new Float64Array([1]), { points: 3 });
 * Array.from(r.loss);
 * // [1, 0, 1]
 * ```
 */
export function linearPathLoss(loss: (x: Float64Array) => number, a: Float64Array, b: Float64Array, o: { points?: number } = {}): PathLoss {
  const where = 'linearPathLoss';
  assertKnownKeys(o, ['points'], where, 'options');
  assertFunction(loss, where, 'loss');
  checkVector(a, where, 'a');
  checkVector(b, where, 'b');
  if (a.length !== b.length) throw new DescentError('SHAPE_MISMATCH', where, `a has ${a.length} entries, b has ${b.length}`);
  const m = o.points ?? 31;
  assertIntIn(m, 2, MAX_ELEMENTS, where, 'points');
  const alpha = new Float64Array(m);
  const out = new Float64Array(m);
  const x = new Float64Array(a.length);
  for (let i = 0; i < m; i++) {
    const t = i / (m - 1);
    alpha[i] = t;
    for (let k = 0; k < a.length; k++) x[k] = a[k]! + t * (b[k]! - a[k]!); // exact when a = b
    out[i] = evalLoss(loss, i === 0 ? a.slice() : i === m - 1 ? b.slice() : x.slice(), where, `α = ${t}`);
  }
  return { alpha, loss: out };
}

/**
 * Barrier conventions (spec §6.1).
 *
 * @example
 * ```ts
 * const r: BarrierReference = 'mean';
 * barrier({ alpha: new Float64Array([0, 0.5, 1]), loss: new Float64Array([0, 1, 1]) }, { reference: r }).height;
 * // 0.5
 * ```
 */
export type BarrierReference = 'linear' | 'mean' | 'max';

/**
 * The barrier of a loss curve along a path, with its argmax index:
 * - `'linear'` (default; Entezari et al. 2022): max_α [ℓ(α) − ((1 − α)ℓ(0) + αℓ(1))];
 * - `'mean'` (Frankle et al. 2020, instability): max ℓ − (ℓ(0) + ℓ(1))/2;
 * - `'max'`: max ℓ − max(ℓ(0), ℓ(1)).
 * All are ≥ 0 (the ends are on the grid) and 0 for a convex loss.
 *
 * @example
 * ```ts
 * barrier({ alpha: new Float64Array([0, 0.5, 1]), loss: new Float64Array([0, 1, 0]) }).height;
 * // 1
 * ```
 */
export function barrier(curve: PathLoss, o: { reference?: BarrierReference } = {}): { height: number; argmax: number } {
  const where = 'barrier';
  assertKnownKeys(o, ['reference'], where, 'options');
  if (curve === null || typeof curve !== 'object') throw new DescentError('INVALID_CONFIG', where, `curve must be a PathLoss { alpha, loss }, got ${describeValue(curve)}`);
  const { alpha, loss } = curve;
  if (!(alpha instanceof Float64Array) || !(loss instanceof Float64Array) || alpha.length !== loss.length || loss.length < 2) {
    throw new DescentError('SHAPE_MISMATCH', where, 'alpha and loss must be Float64Arrays of equal length ≥ 2');
  }
  const ref = o.reference ?? 'linear';
  const m = loss.length;
  const l0 = loss[0]!;
  const l1 = loss[m - 1]!;
  let best = -Infinity;
  let arg = 0;
  for (let i = 0; i < m; i++) {
    let base: number;
    if (ref === 'linear') base = l0 + alpha[i]! * (l1 - l0); // exact when ℓ0 = ℓ1
    else if (ref === 'mean') base = (l0 + l1) / 2;
    else if (ref === 'max') base = Math.max(l0, l1);
    else throw new DescentError('INVALID_CONFIG', where, `reference must be linear, mean or max, got ${String(ref)}`);
    const v = loss[i]! - base;
    if (v > best) {
      best = v;
      arg = i;
    }
  }
  return { height: Math.max(0, best), argmax: arg };
}

/**
 * Linear-mode-connectivity classes [RECON reading of the seed paper's "homotopy classes"]: all
 * N(N−1)/2 pairwise barriers on straight segments (the O(N²) test), an edge where barrier ≤ tol, and
 * the connected components (union–find). The pairwise relation is not transitive; the classes are its
 * transitive closure.
 *
 * @example
 * ```ts
 * const t = [new Float64Array([-1]), new Float64Array([-0.5]), new Float64Array([1])];
 * Array.from(lmcClasses(t, (x) => Math.min((x[0] + 1) ** 2, (x[0] - 1) ** 2), { tol: 0.1 }).labels);
 * // [0, 0, 1]
 * ```
 */
export function lmcClasses(
  thetas: readonly Float64Array[],
  loss: (x: Float64Array) => number,
  o: { tol: number; points?: number; reference?: BarrierReference },
): { labels: Int32Array; barriers: Float64Array; count: number } {
  const where = 'lmcClasses';
  assertKnownKeys(o, ['tol', 'points', 'reference'], where, 'options');
  if (!o || !(o.tol >= 0)) throw new DescentError('INVALID_CONFIG', where, `tol must be ≥ 0, got ${String(o?.tol)}`);
  assertFunction(loss, where, 'loss');
  if (o.points !== undefined) assertIntIn(o.points, 2, MAX_ELEMENTS, where, 'points');
  if (o.reference !== undefined && o.reference !== 'linear' && o.reference !== 'mean' && o.reference !== 'max') {
    throw new DescentError('INVALID_CONFIG', where, `reference must be linear, mean or max, got ${describeValue(o.reference)}`);
  }
  assertPoints(thetas, where, 'thetas', 0);
  const N = thetas.length;
  // N² barriers are stored: the size is checked before the pairs are walked.
  assertAllocation(N * N, where, 'thetas (N² barriers)');
  const barriers = new Float64Array(N * N);
  const parent = Int32Array.from({ length: N }, (_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  const lo: { points?: number } = {};
  if (o.points !== undefined) lo.points = o.points;
  const bo: { reference?: BarrierReference } = {};
  if (o.reference !== undefined) bo.reference = o.reference;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const h = barrier(linearPathLoss(loss, thetas[i]!, thetas[j]!, lo), bo).height;
      barriers[i * N + j] = barriers[j * N + i] = h;
      if (h <= o.tol) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const labels = new Int32Array(N);
  const ids = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const r = find(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    labels[i] = ids.get(r)!;
  }
  return { labels, barriers, count: ids.size };
}
