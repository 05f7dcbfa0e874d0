import { assertKnownKeys, DescentError } from '@descent/linalg';

/**
 * What Rips persistence reads: a point cloud, a distance matrix (lower-triangular or full), or a sparse
 * weighted graph (absent edges are +∞; optional vertex births make it a lower-star filtration).
 *
 * - `points`: `n` points in R^d, row-major `data` (n·d).
 * - `lower`: n(n−1)/2 entries, row i = D[i][0..i−1] (Ripser's "lower-distance" order).
 * - `full`: n·n row-major; must be symmetric with a zero diagonal.
 * - `graph`: edges (i[e], j[e]) of weight w[e]; `vertexBirth[v]` (default 0) must be ≤ every weight at v.
 *
 * Distances may be `+Infinity` (an absent edge); NaN is rejected.
 *
 * @example
 * ```ts
 * const x: MetricInput = { kind: 'lower', n: 3, data: new Float64Array([1, 2, 1]) };
 * ripsPersistence(x).diagrams[0].birth.length;
 * // 3
 * ```
 */
export type MetricInput =
  | { kind: 'points'; data: Float64Array; n: number; d: number; metric?: 'euclidean' | 'manhattan' | 'chebyshev' | 'cosine' }
  | { kind: 'lower'; n: number; data: Float64Array }
  | { kind: 'full'; n: number; data: Float64Array }
  | { kind: 'graph'; n: number; i: Int32Array; j: Int32Array; w: Float64Array; vertexBirth?: Float64Array };

/** Validated distances: a dense lower triangle or a sparse neighbour structure. @internal */
export interface PreparedDistances {
  n: number;
  /** Dense: D(i,j) for i > j at i(i−1)/2 + j. */
  lower?: Float64Array;
  /**
   * Dense alternative to `lower` (the ripser CLI's float32 distances, n ≤ 4096): the symmetric n×n
   * matrix, zero diagonal (−0 allowed), handed to the engine as is (no float64 triangle alongside it).
   */
  full32?: Float32Array;
  /** The enclosing radius, when the caller has computed it already. */
  enclosing?: number;
  /** Sparse: CSR neighbour lists sorted by vertex. */
  nbrStart?: Int32Array;
  nbrIdx?: Int32Array;
  nbrW?: Float64Array;
  vertexBirth?: Float64Array;
}

// The fields of each input kind: a misspelt optional field (`metic`, `vertexBirths`) must not fall back to its default.
const INPUT_KEYS: Record<string, readonly string[]> = {
  points: ['kind', 'n', 'd', 'data', 'metric'],
  lower: ['kind', 'n', 'data'],
  full: ['kind', 'n', 'data'],
  graph: ['kind', 'n', 'i', 'j', 'w', 'vertexBirth'],
};

function isIntIn(x: number, lo: number, hi: number): boolean {
  return Number.isInteger(x) && x >= lo && x <= hi;
}

/** Validates a metric input and returns its distances (dense unless `graph`). @internal */
export function prepareDistances(x: MetricInput, where: string, options: { float32?: boolean; check?: boolean } = {}): PreparedDistances {
  const check = options.check !== false;
  if (!x || typeof x !== 'object') throw new DescentError('INVALID_CONFIG', where, 'input must be a MetricInput object');
  if (typeof x.kind === 'string' && Object.hasOwn(INPUT_KEYS, x.kind)) assertKnownKeys(x, INPUT_KEYS[x.kind]!, where, 'input');
  const n = x.n;
  if (!isIntIn(n, 0, 2 ** 26)) throw new DescentError('INVALID_CONFIG', where, `n must be a non-negative integer, got ${String(n)}`);
  const round = options.float32 === true ? Math.fround : undefined;
  switch (x.kind) {
    case 'points': {
      const d = x.d;
      if (!isIntIn(d, 1, 2 ** 26)) throw new DescentError('INVALID_CONFIG', where, `d must be a positive integer, got ${String(d)}`);
      if (!(x.data instanceof Float64Array) || x.data.length !== n * d) {
        throw new DescentError('SHAPE_MISMATCH', where, `points.data must be a Float64Array of n·d = ${n * d} entries, got ${x.data?.length}`);
      }
      const data = x.data;
      if (check) {
        for (let k = 0; k < data.length; k++) {
          if (!Number.isFinite(data[k]!)) {
            throw new DescentError('NON_FINITE', where, `point ${Math.floor(k / d)}, coordinate ${k % d} is ${data[k]}`);
          }
        }
      }
      return { n, lower: pointDistances(data, n, d, x.metric ?? 'euclidean', round, where) };
    }
    case 'lower': {
      const m = (n * (n - 1)) / 2;
      if (!(x.data instanceof Float64Array) || x.data.length !== m) {
        throw new DescentError('SHAPE_MISMATCH', where, `lower.data must have n(n−1)/2 = ${m} entries, got ${x.data?.length}`);
      }
      const lower = new Float64Array(m);
      for (let i = 1, k = 0; i < n; i++) {
        for (let j = 0; j < i; j++, k++) {
          const v = x.data[k]!;
          if (check) checkDistance(v, i, j, where);
          lower[k] = round ? round(v) : v;
        }
      }
      return { n, lower };
    }
    case 'full': {
      if (!(x.data instanceof Float64Array) || x.data.length !== n * n) {
        throw new DescentError('SHAPE_MISMATCH', where, `full.data must be a square n·n = ${n * n} matrix, got ${x.data?.length} entries`);
      }
      const a = x.data;
      const lower = new Float64Array((n * (n - 1)) / 2);
      for (let i = 0, k = 0; i < n; i++) {
        if (check && a[i * n + i] !== 0) {
          if (Number.isNaN(a[i * n + i]!)) throw new DescentError('NON_FINITE', where, `D[${i}][${i}] is NaN`);
          throw new DescentError('DOMAIN', where, `the diagonal must be 0, D[${i}][${i}] = ${a[i * n + i]}`);
        }
        for (let j = 0; j < i; j++, k++) {
          const v = a[i * n + j]!;
          if (check) {
            checkDistance(v, i, j, where);
            const u = a[j * n + i]!;
            if (u !== v) {
              if (Number.isNaN(u)) throw new DescentError('NON_FINITE', where, `D[${j}][${i}] is NaN`);
              throw new DescentError('DOMAIN', where, `the matrix is not symmetric: D[${i}][${j}] = ${v} but D[${j}][${i}] = ${u}`);
            }
          }
          lower[k] = round ? round(v) : v;
        }
      }
      return { n, lower };
    }
    case 'graph':
      return prepareGraph(x, where, round);
    default:
      throw new DescentError('INVALID_CONFIG', where, `unknown input kind ${(x as { kind: unknown }).kind as string}`);
  }
}

function checkDistance(v: number, i: number, j: number, where: string): void {
  if (Number.isNaN(v)) throw new DescentError('NON_FINITE', where, `D[${i}][${j}] is NaN`);
  if (!(v >= 0)) throw new DescentError('DOMAIN', where, `distances must be ≥ 0, D[${i}][${j}] = ${v}`);
}

function pointDistances(x: Float64Array, n: number, d: number, metric: string, round: ((v: number) => number) | undefined, where: string): Float64Array {
  const lower = new Float64Array((n * (n - 1)) / 2);
  let norms: Float64Array | undefined;
  if (metric === 'cosine') {
    norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += x[i * d + c]! * x[i * d + c]!;
      if (s === 0) throw new DescentError('DOMAIN', where, `cosine distance is undefined for the zero point ${i}`);
      norms[i] = Math.sqrt(s);
    }
  } else if (metric !== 'euclidean' && metric !== 'manhattan' && metric !== 'chebyshev') {
    throw new DescentError('INVALID_CONFIG', where, `metric must be euclidean, manhattan, chebyshev or cosine, got ${metric}`);
  }
  for (let i = 1, k = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < i; j++, k++) {
      const oj = j * d;
      let v = 0;
      if (metric === 'euclidean') {
        for (let c = 0; c < d; c++) {
          const t = x[oi + c]! - x[oj + c]!;
          v += t * t;
        }
        v = Math.sqrt(v);
      } else if (metric === 'manhattan') {
        for (let c = 0; c < d; c++) v += Math.abs(x[oi + c]! - x[oj + c]!);
      } else if (metric === 'chebyshev') {
        for (let c = 0; c < d; c++) v = Math.max(v, Math.abs(x[oi + c]! - x[oj + c]!));
      } else {
        for (let c = 0; c < d; c++) v += x[oi + c]! * x[oj + c]!;
        v = Math.max(0, 1 - v / (norms![i]! * norms![j]!));
      }
      lower[k] = round ? round(v) : v;
    }
  }
  return lower;
}

function prepareGraph(
  x: Extract<MetricInput, { kind: 'graph' }>,
  where: string,
  round: ((v: number) => number) | undefined,
): PreparedDistances {
  const { n, i: ei, j: ej, w } = x;
  if (!(ei instanceof Int32Array) || !(ej instanceof Int32Array) || !(w instanceof Float64Array)) {
    throw new DescentError('INVALID_CONFIG', where, 'graph i, j must be Int32Array and w a Float64Array');
  }
  const m = ei.length;
  if (ej.length !== m || w.length !== m) {
    throw new DescentError('SHAPE_MISMATCH', where, `graph i, j, w must have equal lengths, got ${m}, ${ej.length}, ${w.length}`);
  }
  let birth: Float64Array | undefined;
  if (x.vertexBirth !== undefined) {
    if (!(x.vertexBirth instanceof Float64Array) || x.vertexBirth.length !== n) {
      throw new DescentError('SHAPE_MISMATCH', where, `vertexBirth must be a Float64Array of length n = ${n}`);
    }
    birth = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      const b = x.vertexBirth[v]!;
      if (!Number.isFinite(b)) throw new DescentError('NON_FINITE', where, `vertexBirth[${v}] is ${b}`);
      birth[v] = round ? round(b) : b;
    }
  }
  // Degrees, then CSR fill; duplicates (either direction) must agree.
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const a = ei[e]!;
    const b = ej[e]!;
    if (a < 0 || a >= n || b < 0 || b >= n) throw new DescentError('SHAPE_MISMATCH', where, `edge ${e} = (${a}, ${b}) is out of range [0, ${n})`);
    if (a === b) throw new DescentError('DOMAIN', where, `edge ${e} is a self-loop at vertex ${a}`);
    const v = w[e]!;
    if (Number.isNaN(v)) throw new DescentError('NON_FINITE', where, `weight of edge ${e} = (${a}, ${b}) is NaN`);
    const lo = birth ? Math.max(birth[a]!, birth[b]!) : 0;
    if (v < lo) throw new DescentError('DOMAIN', where, `weight of edge ${e} = (${a}, ${b}) is ${v}, below its vertices' birth ${lo}`);
    deg[a + 1]!++;
    deg[b + 1]!++;
  }
  for (let v = 0; v < n; v++) deg[v + 1]! += deg[v]!;
  const fill = deg.slice(0, n);
  const idx = new Int32Array(2 * m);
  const wt = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = ei[e]!;
    const b = ej[e]!;
    const v = round ? round(w[e]!) : w[e]!;
    idx[fill[a]!] = b;
    wt[fill[a]!++] = v;
    idx[fill[b]!] = a;
    wt[fill[b]!++] = v;
  }
  // Sort each list by neighbour, merge duplicates, drop +∞ edges.
  const start = new Int32Array(n + 1);
  const outIdx = new Int32Array(2 * m);
  const outW = new Float64Array(2 * m);
  let k = 0;
  for (let v = 0; v < n; v++) {
    start[v] = k;
    const s = deg[v]!;
    const e = deg[v + 1]!;
    const order = Array.from({ length: e - s }, (_, t) => s + t).sort((p, q) => idx[p]! - idx[q]!);
    let last = -1;
    for (const t of order) {
      const u = idx[t]!;
      const wu = wt[t]!;
      if (u === last) {
        if (outW[k - 1] !== wu) {
          throw new DescentError('DOMAIN', where, `edge (${v}, ${u}) is given twice with different weights ${outW[k - 1]} and ${wu} (asymmetric input)`);
        }
        continue;
      }
      last = u;
      outIdx[k] = u;
      outW[k++] = wu;
    }
  }
  start[n] = k;
  // Drop infinite edges (absent) while compacting.
  const fi = new Int32Array(k);
  const fw = new Float64Array(k);
  const fs = new Int32Array(n + 1);
  let q = 0;
  for (let v = 0; v < n; v++) {
    fs[v] = q;
    for (let t = start[v]!; t < start[v + 1]!; t++) {
      if (outW[t] === Infinity) continue;
      fi[q] = outIdx[t]!;
      fw[q++] = outW[t]!;
    }
  }
  fs[n] = q;
  const out: PreparedDistances = { n, nbrStart: fs, nbrIdx: fi.slice(0, q), nbrW: fw.slice(0, q) };
  if (birth) out.vertexBirth = birth;
  return out;
}

/** Enclosing radius of dense distances: min over i of max over j of D(i,j). @internal */
export function enclosingRadiusOfLower(lower: Float64Array, n: number): number {
  if (n <= 1) return 0;
  const rowMax = new Float64Array(n);
  for (let i = 1, k = 0; i < n; i++) {
    for (let j = 0; j < i; j++, k++) {
      const v = lower[k]!;
      if (v > rowMax[i]!) rowMax[i] = v;
      if (v > rowMax[j]!) rowMax[j] = v;
    }
  }
  let r = Infinity;
  for (let i = 0; i < n; i++) if (rowMax[i]! < r) r = rowMax[i]!;
  return r;
}

/** Enclosing radius of a dense symmetric n×n matrix: min over rows of the row maximum. @internal */
export function enclosingRadiusOfFull(full: Float32Array, n: number): number {
  if (n <= 1) return 0;
  let r = Infinity;
  for (let i = 0, row = 0; i < n; i++, row += n) {
    let m = 0;
    for (let j = 0; j < n; j++) if (full[row + j]! > m) m = full[row + j]!;
    if (m < r) r = m;
  }
  return r;
}

/** CSR neighbour lists (entries ≤ t) of a dense symmetric n×n matrix. @internal */
export function fullToSparse(full: Float32Array, n: number, t: number): PreparedDistances {
  const deg = new Int32Array(n + 1);
  for (let i = 0, row = 0; i < n; i++, row += n) for (let j = 0; j < n; j++) if (j !== i && full[row + j]! <= t) deg[i + 1]!++;
  for (let v = 0; v < n; v++) deg[v + 1]! += deg[v]!;
  const m = deg[n]!;
  const idx = new Int32Array(m);
  const w = new Float64Array(m);
  for (let i = 0, row = 0, q = 0; i < n; i++, row += n) {
    for (let j = 0; j < n; j++) {
      const v = full[row + j]!;
      if (j !== i && v <= t) {
        idx[q] = j;
        w[q++] = v;
      }
    }
  }
  return { n, nbrStart: deg, nbrIdx: idx, nbrW: w };
}

/** Converts dense distances to CSR neighbour lists keeping entries ≤ t. @internal */
export function lowerToSparse(lower: Float64Array, n: number, t: number): PreparedDistances {
  const deg = new Int32Array(n + 1);
  for (let i = 1, k = 0; i < n; i++) {
    for (let j = 0; j < i; j++, k++) {
      if (lower[k]! <= t) {
        deg[i + 1]!++;
        deg[j + 1]!++;
      }
    }
  }
  for (let v = 0; v < n; v++) deg[v + 1]! += deg[v]!;
  const fill = deg.slice(0, n);
  const m = deg[n]!;
  const idx = new Int32Array(m);
  const w = new Float64Array(m);
  // Row i is visited in increasing i, so each list is filled in increasing neighbour order.
  for (let i = 1, k = 0; i < n; i++) {
    for (let j = 0; j < i; j++, k++) {
      const v = lower[k]!;
      if (v <= t) {
        idx[fill[i]!] = j;
        w[fill[i]!++] = v;
        idx[fill[j]!] = i;
        w[fill[j]!++] = v;
      }
    }
  }
  return { n, nbrStart: deg, nbrIdx: idx, nbrW: w };
}
