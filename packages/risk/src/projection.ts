import { DescentError, assertArrayLike, assertSize, assertVector, describeValue } from '@descent/linalg';

/**
 * A constraint set Θ as plain data (so optimizer states stay serialisable):
 * - `none`: R^p;
 * - `simplex`: {w ≥ 0, Σw = budget} (budget > 0; 1 = probability simplex);
 * - `box`: {lower ≤ w ≤ upper} coordinatewise;
 * - `budgetBox`: {lower ≤ w ≤ upper, Σw = budget}.
 */
export type Projection =
  | { readonly kind: 'none' }
  | { readonly kind: 'simplex'; readonly budget: number }
  | { readonly kind: 'box'; readonly lower: Float64Array; readonly upper: Float64Array }
  | { readonly kind: 'budgetBox'; readonly lower: Float64Array; readonly upper: Float64Array; readonly budget: number };

function bounds(lower: number | ArrayLike<number>, upper: number | ArrayLike<number>, p: number, where: string) {
  assertSize(p, where, 'p');
  if (typeof lower !== 'number') assertArrayLike(lower, where, 'lower');
  if (typeof upper !== 'number') assertArrayLike(upper, where, 'upper');
  const l = typeof lower === 'number' ? new Float64Array(p).fill(lower) : Float64Array.from(lower);
  const u = typeof upper === 'number' ? new Float64Array(p).fill(upper) : Float64Array.from(upper);
  if (l.length !== p || u.length !== p) throw new DescentError('SHAPE_MISMATCH', where, `bounds must have length ${p}`);
  for (let i = 0; i < p; i++) {
    if (Number.isNaN(l[i]!) || Number.isNaN(u[i]!) || l[i]! > u[i]!) {
      throw new DescentError('INVALID_CONFIG', where, `infeasible: lower[${i}] = ${l[i]} > upper[${i}] = ${u[i]}`);
    }
  }
  return { l, u };
}

/**
 * The probability simplex (or {w ≥ 0, Σw = budget}).
 *
 * @example
 * ```ts
 * simplexSet().kind;
 * // 'simplex'
 * ```
 */
export function simplexSet(budget = 1): Projection {
  if (!(budget > 0) || !Number.isFinite(budget)) throw new DescentError('INVALID_CONFIG', 'simplexSet', `infeasible: budget must be > 0, got ${budget}`);
  return { kind: 'simplex', budget };
}

/**
 * A box [lower, upper]^p (scalars broadcast to p coordinates).
 *
 * @example
 * ```ts
 * boxSet(-1, 1, 3).upper.length;
 * // 3
 * ```
 */
export function boxSet(lower: number | ArrayLike<number>, upper: number | ArrayLike<number>, p: number): Projection {
  const { l, u } = bounds(lower, upper, p, 'boxSet');
  return { kind: 'box', lower: l, upper: u };
}

/**
 * The budget hyperplane intersected with a box: {lower ≤ w ≤ upper, Σw = budget}; infeasible when
 * Σlower > budget or Σupper < budget.
 *
 * @example
 * ```ts
 * budgetBoxSet(0, 0.5, 3, 1).kind;
 * // 'budgetBox'
 * ```
 */
export function budgetBoxSet(lower: number | ArrayLike<number>, upper: number | ArrayLike<number>, p: number, budget: number): Projection {
  const { l, u } = bounds(lower, upper, p, 'budgetBoxSet');
  let sl = 0;
  let su = 0;
  for (let i = 0; i < p; i++) {
    sl += l[i]!;
    su += u[i]!;
  }
  if (!Number.isFinite(budget) || sl > budget || su < budget) {
    throw new DescentError('INVALID_CONFIG', 'budgetBoxSet', `infeasible: need Σlower = ${sl} <= budget = ${budget} <= Σupper = ${su}`);
  }
  return { kind: 'budgetBox', lower: l, upper: u, budget };
}

/**
 * Euclidean projection of v onto the set, written into `out` (may alias v). Simplex: the sort-based
 * rule of Held–Wolfe–Crowder / Duchi et al. (2008), O(p log p); box: clamp; budget+box: bisection on
 * the shift τ in Σ clamp(v − τ, l, u) = budget (100 halvings or |Σ − budget| < 1e−12).
 *
 * @example
 * ```ts
 * Array.from(projectInto(simplexSet(), new Float64Array([2, 0]), new Float64Array(2)));
 * // [1, 0]
 * ```
 */
export function projectInto(set: Projection, v: Float64Array, out: Float64Array): Float64Array {
  if (set === null || typeof set !== 'object' || typeof set.kind !== 'string') {
    throw new DescentError('INVALID_CONFIG', 'project', `set must be a Projection (from boxSet, simplexSet, …), got ${describeValue(set)}`);
  }
  assertVector(v, 'project', 'v');
  assertVector(out, 'project', 'out');
  const p = v.length;
  if (out.length !== p) throw new DescentError('SHAPE_MISMATCH', 'project', `out has length ${out.length}, expected ${p}`);
  switch (set.kind) {
    case 'none':
      if (out !== v) out.set(v);
      return out;
    case 'box':
      checkDim(set.lower, p);
      for (let i = 0; i < p; i++) out[i] = Math.min(set.upper[i]!, Math.max(set.lower[i]!, v[i]!));
      return out;
    case 'simplex': {
      const u = Float64Array.from(v).sort().reverse();
      let css = 0;
      let tau = 0;
      for (let j = 0; j < p; j++) {
        css += u[j]!;
        const t = (css - set.budget) / (j + 1);
        if (u[j]! - t > 0) tau = t;
      }
      for (let i = 0; i < p; i++) out[i] = Math.max(v[i]! - tau, 0);
      return out;
    }
    case 'budgetBox': {
      checkDim(set.lower, p);
      const { lower: l, upper: up, budget } = set;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < p; i++) {
        lo = Math.min(lo, v[i]! - up[i]!);
        hi = Math.max(hi, v[i]! - l[i]!);
      }
      // Σ clamp(v − τ, l, u) is non-increasing in τ: Σu at τ = lo, Σl at τ = hi.
      let tau = 0.5 * (lo + hi);
      for (let it = 0; it < 200; it++) {
        tau = 0.5 * (lo + hi);
        let s = 0;
        for (let i = 0; i < p; i++) s += Math.min(up[i]!, Math.max(l[i]!, v[i]! - tau));
        if (Math.abs(s - budget) < 1e-13 || hi - lo <= 1e-16 * Math.max(1, Math.abs(tau))) break;
        if (s > budget) lo = tau;
        else hi = tau;
      }
      for (let i = 0; i < p; i++) out[i] = Math.min(up[i]!, Math.max(l[i]!, v[i]! - tau));
      return out;
    }
  }
}

/**
 * Euclidean projection onto the set (a fresh array; v is not modified).
 *
 * @example
 * ```ts
 * Array.from(project(boxSet(0, 1, 2), new Float64Array([-1, 0.5])));
 * // [0, 0.5]
 * ```
 */
export function project(set: Projection, v: Float64Array): Float64Array {
  assertVector(v, 'project', 'v');
  return projectInto(set, v, new Float64Array(v.length));
}

/**
 * `INVALID_CONFIG` unless `set` is a {@link Projection} for points of dimension `p` (box bounds of
 * length p, finite budgets, a feasible budget box), reported under `where`. O(p).
 */
export function assertProjection(set: Projection, p: number, where: string, what = 'projection'): void {
  const bad = (msg: string): never => {
    throw new DescentError('INVALID_CONFIG', where, `${what} ${msg}`);
  };
  if (set === null || typeof set !== 'object') bad(`must be a Projection (from boxSet, simplexSet, …), got ${describeValue(set)}`);
  const budget = (b: unknown) => {
    if (typeof b !== 'number' || !Number.isFinite(b)) bad(`.budget must be a finite number, got ${describeValue(b)}`);
  };
  const box = (s: { lower?: unknown; upper?: unknown }) => {
    const l = s.lower, u = s.upper;
    if (!(l instanceof Float64Array) || !(u instanceof Float64Array)) bad('.lower and .upper must be Float64Arrays');
    const lo = l as Float64Array, up = u as Float64Array;
    if (lo.length !== p || up.length !== p) throw new DescentError('SHAPE_MISMATCH', where, `${what} has dimension ${lo.length} (lower) and ${up.length} (upper), the point ${p}`);
    for (let i = 0; i < p; i++) if (!(lo[i]! <= up[i]!)) bad(`is infeasible: lower[${i}] = ${lo[i]} > upper[${i}] = ${up[i]}`);
  };
  switch ((set as { kind?: unknown }).kind) {
    case 'none':
      return;
    case 'simplex':
      budget((set as { budget?: unknown }).budget);
      if (!((set as { budget: number }).budget > 0)) bad(`.budget must be > 0, got ${(set as { budget: number }).budget}`);
      return;
    case 'box':
      box(set as { lower?: unknown; upper?: unknown });
      return;
    case 'budgetBox': {
      box(set as { lower?: unknown; upper?: unknown });
      const b = (set as { budget?: unknown }).budget;
      budget(b);
      const s = set as { lower: Float64Array; upper: Float64Array; budget: number };
      let sl = 0, su = 0;
      for (let i = 0; i < p; i++) {
        sl += s.lower[i]!;
        su += s.upper[i]!;
      }
      if (!(sl <= s.budget && s.budget <= su)) bad(`is infeasible: budget ${s.budget} outside [Σlower, Σupper] = [${sl}, ${su}]`);
      return;
    }
    default:
      bad(`.kind must be none | simplex | box | budgetBox, got ${describeValue((set as { kind?: unknown }).kind)}`);
  }
}

function checkDim(a: Float64Array, p: number): void {
  if (a.length !== p) throw new DescentError('SHAPE_MISMATCH', 'project', `the set has dimension ${a.length}, the point ${p}`);
}
