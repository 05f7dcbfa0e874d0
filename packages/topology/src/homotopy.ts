import { describeValue, assertKnownKeys, configKeys, DescentError, normal, split, uniform, type Key } from '@descent/linalg';
import { assertFunction, assertIntIn, assertPoints } from './internal/args.js';
import { mergeHeight, mergeTree } from './sublevel.js';

/**
 * Options of {@link homotopyTest}.
 *
 * @example
 * ```ts
 * const o: HomotopyOptions = { level: 0.5, points: 41, steps: 21, key: key(0) };
 * o.steps;
 * // 21
 * ```
 */
export interface HomotopyOptions {
  /** The sublevel c of S_c = {L ≤ c} (default: max L on P ∪ Q plus `tol`). */
  level?: number;
  /** Added to max L(P ∪ Q) when `level` is not given (default 0). */
  tol?: number;
  /** Samples per path after arc-length resampling (default 41). points × steps + 2 × tubeSamples ≤ 2^14. */
  points?: number;
  /** Rows of the straight-line homotopy grid, ends included (default 21). */
  steps?: number;
  /** Neighbourhood radius of the sample graph (default 1.5 × the largest spacing of the path and grid samples). */
  epsilon?: number;
  /** Random tube draws, each placed around both paths (default 50, i.e. 100 samples). */
  tubeSamples?: number;
  /** Tube radius (default ε). */
  tubeRadius?: number;
  /** Key for the tube samples (default key-free: no tube samples are drawn without one). */
  key?: Key;
  /** A Lipschitz constant of L: certifies the continuum when max L(H) ≤ c − K·δ. */
  lipschitz?: number;
}

/**
 * Result of {@link homotopyTest}.
 *
 * @example
 * ```ts
 * const P = [new Float64Array([0]), new Float64Array([1])];
 * homotopyTest(P, P, (x) => x[0] * x[0], { points: 9, steps: 5 }).homotopic;
 * // true
 * ```
 */
export interface HomotopyResult {
  /**
   * `'certified'`: the straight-line homotopy stays in S_c on the continuum (needs `lipschitz`);
   * `'certified-on-grid'`: it does at every grid sample; `'obstructed'`: the loop P·Q⁻¹ is non-trivial
   * in H1 (Z/2) of the sampled sublevel complex, so the paths are not homotopic in it;
   * `'inconclusive'`: neither.
   */
  verdict: 'certified' | 'certified-on-grid' | 'obstructed' | 'inconclusive';
  /** `true` for the certified verdicts, `false` when obstructed, `undefined` when inconclusive. */
  homotopic: boolean | undefined;
  level: number;
  /** max L on P ∪ Q. */
  pathMax: number;
  /** max L over the straight-line homotopy grid. */
  upper: number;
  /** The smallest sampled level at which P·Q⁻¹ bounds (+∞ if never). */
  cStar: number;
  /** Homotopy-barrier estimate c* − max L(P ∪ Q) and its upper bound upper − max L(P ∪ Q). */
  barrier: number;
  barrierUpper: number;
  /** Whether the two ends lie in one component of the sampled S_c (H0). */
  connected: boolean;
  samples: number;
  epsilon: number;
}

// Limits that keep the all-pairs sample graph and its flag complex bounded (stated in the TSDoc).
const MAX_SAMPLES = 2 ** 14;
const MAX_SIMPLICES = 2 ** 24;

const HOMOTOPY_KEYS = configKeys<HomotopyOptions>()('level', 'tol', 'points', 'steps', 'epsilon', 'tubeSamples', 'tubeRadius', 'key', 'lipschitz');

function resample(path: readonly Float64Array[], m: number, where: string, what: string): Float64Array[] {
  if (!Array.isArray(path) || path.length < 2) throw new DescentError('INVALID_CONFIG', where, `${what} needs at least 2 points`);
  const D = path[0]!.length;
  const cum = new Float64Array(path.length);
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (!(p instanceof Float64Array) || p.length !== D) throw new DescentError('SHAPE_MISMATCH', where, `${what}[${i}] must be a Float64Array of length ${D}`);
    for (let k = 0; k < D; k++) if (!Number.isFinite(p[k]!)) throw new DescentError('NON_FINITE', where, `${what}[${i}][${k}] is ${p[k]}`);
    if (i > 0) {
      let s = 0;
      for (let k = 0; k < D; k++) s += (p[k]! - path[i - 1]![k]!) ** 2;
      cum[i] = cum[i - 1]! + Math.sqrt(s);
    }
  }
  const total = cum[path.length - 1]!;
  const out: Float64Array[] = [];
  let seg = 0;
  for (let r = 0; r < m; r++) {
    const target = (total * r) / (m - 1);
    while (seg < path.length - 2 && cum[seg + 1]! < target) seg++;
    const len = cum[seg + 1]! - cum[seg]!;
    const u = len > 0 ? Math.min(1, Math.max(0, (target - cum[seg]!) / len)) : 0;
    const x = new Float64Array(D);
    for (let k = 0; k < D; k++) x[k] = (1 - u) * path[seg]![k]! + u * path[seg + 1]![k]!;
    out.push(x);
  }
  out[0] = path[0]!.slice();
  out[m - 1] = path[path.length - 1]!.slice();
  return out;
}

function dist2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return s;
}

/**
 * Tests whether two paths P, Q with shared endpoints are homotopic inside the sublevel set
 * S_c = {L ≤ c} [RECON design of spec §6.4; its pieces are standard]:
 * 1. certificate: the straight-line homotopy (1 − t)P(s) + tQ(s) sampled on a points × steps grid stays ≤ c;
 * 2. H0: the ends share a component of the ε-neighbour graph of all samples restricted to L ≤ c;
 * 3. obstruction: the loop P·Q⁻¹ is reduced over Z/2 against the boundaries of the triangles (flag
 *    complex of the ε-graph, lower-star values) with value ≤ c; if it does not bound, the paths are not
 *    homotopic in the sampled complex. A binary search gives c*, the level at which it first bounds.
 * H1-trivial is necessary but not sufficient for homotopy (π₁ may be non-abelian); ε too large fills
 * real holes and too small leaves spurious ones: check 2–3 values of ε. At most 2^14 samples, and an ε
 * that joins more than 2^24 sample pairs or spans more than 2^24 triangles is `INVALID_CONFIG`.
 *
 * @example
 * ```ts
 * // the annulus L = (‖x‖ − 1)²: upper and lower unit semicircles are not homotopic at c = 0.5
 * const arc = (sign: number) => Array.from({ length: 21 }, (_, i) => new Float64Array([Math.cos(Math.PI * i / 20), sign * Math.sin(Math.PI * i / 20)]));
 * homotopyTest(arc(1), arc(-1), (x) => (Math.hypot(x[0], x[1]) - 1) ** 2, { level: 0.5, points: 21, steps: 11, key: key(0) }).verdict;
 * // 'obstructed'
 * ```
 */
export function homotopyTest(P: readonly Float64Array[], Q: readonly Float64Array[], loss: (x: Float64Array) => number, o: HomotopyOptions = {}): HomotopyResult {
  const where = 'homotopyTest';
  assertKnownKeys(o, HOMOTOPY_KEYS, where, 'options');
  assertFunction(loss, where, 'loss');
  const m = o.points ?? 41;
  const kSteps = o.steps ?? 21;
  assertIntIn(m, 2, MAX_SAMPLES, where, 'points');
  assertIntIn(kSteps, 2, MAX_SAMPLES, where, 'steps');
  const tubeDraws = o.tubeSamples ?? 50;
  assertIntIn(tubeDraws, 0, MAX_SAMPLES, where, 'tubeSamples');
  // The sample graph is built by comparing all pairs: its size is bounded before anything is sampled.
  if (m * kSteps + (o.key === undefined ? 0 : 2 * tubeDraws) > MAX_SAMPLES) {
    throw new DescentError('INVALID_CONFIG', where, `points × steps + 2 × tubeSamples = ${m * kSteps + 2 * tubeDraws} samples is above the limit of ${MAX_SAMPLES}`);
  }
  for (const name of ['tol', 'epsilon', 'tubeRadius', 'lipschitz'] as const) {
    const x = o[name];
    if (x !== undefined && (typeof x !== 'number' || !Number.isFinite(x) || (name !== 'tol' && x < 0))) {
      throw new DescentError('INVALID_CONFIG', where, `${name} must be a finite number${name === 'tol' ? '' : ' ≥ 0'}, got ${describeValue(x)}`);
    }
  }
  if (o.level !== undefined && (typeof o.level !== 'number' || Number.isNaN(o.level))) throw new DescentError('INVALID_CONFIG', where, `level must be a number, got ${describeValue(o.level)}`);
  assertPoints(P, where, 'P', 2);
  assertPoints(Q, where, 'Q', 2);
  const p = resample(P, m, where, 'P');
  const q = resample(Q, m, where, 'Q');
  const D = p[0]!.length;
  if (q[0]!.length !== D) throw new DescentError('SHAPE_MISMATCH', where, 'P and Q live in different dimensions');
  const scale = Math.max(1, Math.sqrt(Math.max(dist2(p[0]!, new Float64Array(D)), dist2(p[m - 1]!, new Float64Array(D)))));
  if (Math.sqrt(dist2(p[0]!, q[0]!)) > 1e-12 * scale || Math.sqrt(dist2(p[m - 1]!, q[m - 1]!)) > 1e-12 * scale) {
    throw new DescentError('DOMAIN', where, 'P and Q must share their endpoints');
  }
  const L = (x: Float64Array, at: string): number => {
    const v = loss(x);
    if (typeof v !== 'number' || Number.isNaN(v)) throw new DescentError('NON_FINITE', where, `the loss returned ${String(v)} at ${at}`);
    return v;
  };
  // Samples: the homotopy grid (row 0 = P, row k−1 = Q), then tube samples.
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let j = 0; j < kSteps; j++) {
    const t = j / (kSteps - 1);
    for (let i = 0; i < m; i++) {
      let x: Float64Array;
      if (j === 0) x = p[i]!;
      else if (j === kSteps - 1) x = q[i]!;
      else if (i === 0 || i === m - 1) x = p[i]!.slice();
      else {
        x = new Float64Array(D);
        for (let c = 0; c < D; c++) x[c] = p[i]![c]! + t * (q[i]![c]! - p[i]![c]!); // exact when P = Q
      }
      pts.push(x);
      vals.push(L(x, `H(s=${i / (m - 1)}, t=${t})`));
    }
  }
  const gid = (i: number, j: number) => j * m + i;
  let pathMax = -Infinity;
  for (let i = 0; i < m; i++) pathMax = Math.max(pathMax, vals[gid(i, 0)]!, vals[gid(i, kSteps - 1)]!);
  let upper = -Infinity;
  for (const v of vals) upper = Math.max(upper, v);
  const level = o.level ?? pathMax + (o.tol ?? 0);
  if (typeof level !== 'number' || Number.isNaN(level)) throw new DescentError('INVALID_CONFIG', where, `level must be a number`);
  // Spacing of the grid: ε default and the cell size δ of the Lipschitz certificate.
  let spacing = 0;
  let delta = 0;
  for (let j = 0; j < kSteps; j++) {
    for (let i = 0; i < m; i++) {
      if (i + 1 < m) spacing = Math.max(spacing, Math.sqrt(dist2(pts[gid(i, j)]!, pts[gid(i + 1, j)]!)));
      if (j + 1 < kSteps) spacing = Math.max(spacing, Math.sqrt(dist2(pts[gid(i, j)]!, pts[gid(i, j + 1)]!)));
      if (i + 1 < m && j + 1 < kSteps) {
        const d1 = Math.sqrt(dist2(pts[gid(i, j)]!, pts[gid(i + 1, j + 1)]!));
        const d2 = Math.sqrt(dist2(pts[gid(i + 1, j)]!, pts[gid(i, j + 1)]!));
        delta = Math.max(delta, Math.max(d1, d2) / 2);
      }
    }
  }
  const eps = o.epsilon ?? 1.5 * spacing;
  if (!(eps > 0)) throw new DescentError('INVALID_CONFIG', where, `epsilon must be > 0, got ${String(eps)}`);
  if (eps < spacing) {
    // consecutive path samples must be ε-adjacent for the loop to be a chain of the complex
    let pathSpacing = 0;
    for (let i = 0; i + 1 < m; i++) pathSpacing = Math.max(pathSpacing, Math.sqrt(dist2(p[i]!, p[i + 1]!)), Math.sqrt(dist2(q[i]!, q[i + 1]!)));
    if (eps < pathSpacing) throw new DescentError('INVALID_CONFIG', where, `epsilon ${eps} is below the path sample spacing ${pathSpacing}: raise points or epsilon`);
  }
  const tubeN = o.key ? tubeDraws : 0;
  if (tubeN > 0) {
    const r = o.tubeRadius ?? eps;
    const [k1, k2, k3] = split(o.key!, 3);
    const which = uniform(k1!, tubeN);
    const dirs = normal(k2!, tubeN * D);
    const rad = uniform(k3!, tubeN);
    // Each draw is placed around both paths, so the sample set is symmetric in (P, Q).
    for (let s = 0; s < tubeN; s++) {
      const pos = which[s]! * (m - 1);
      const i0 = Math.min(m - 2, Math.floor(pos));
      const f = pos - i0;
      let nrm = 0;
      for (let c = 0; c < D; c++) nrm += dirs[s * D + c]! ** 2;
      nrm = Math.sqrt(nrm) || 1;
      const rr = r * rad[s]! ** (1 / Math.max(1, D));
      for (const base of [p, q]) {
        const x = new Float64Array(D);
        for (let c = 0; c < D; c++) x[c] = (1 - f) * base[i0]![c]! + f * base[i0 + 1]![c]! + (rr * dirs[s * D + c]!) / nrm;
        pts.push(x);
        vals.push(L(x, `tube sample ${s}`));
      }
    }
  }
  const S = pts.length;
  // ε-neighbour graph (sorted adjacency).
  const eps2 = eps * eps;
  const nbrs: number[][] = Array.from({ length: S }, () => []);
  const ei: number[] = [];
  const ej: number[] = [];
  for (let a = 0; a < S; a++) {
    for (let b = a + 1; b < S; b++) {
      if (dist2(pts[a]!, pts[b]!) <= eps2) {
        if (ei.length >= MAX_SIMPLICES) throw new DescentError('INVALID_CONFIG', where, `epsilon ${eps} joins more than ${MAX_SIMPLICES} sample pairs: lower epsilon or the sample counts`);
        nbrs[a]!.push(b);
        nbrs[b]!.push(a);
        ei.push(a);
        ej.push(b);
      }
    }
  }
  for (const l of nbrs) l.sort((x, y) => x - y);
  const value = Float64Array.from(vals);
  // H0 on the sample graph.
  const tree = mergeTree(value, { kind: 'graph', n: S, i: Int32Array.from(ei), j: Int32Array.from(ej) });
  const connected = mergeHeight(tree, gid(0, 0), gid(m - 1, 0)) <= level;
  // Edge ids and the loop z = P · Q⁻¹ (Z/2: a set of edges).
  const edgeId = new Map<number, number>();
  for (let e = 0; e < ei.length; e++) edgeId.set(ei[e]! * S + ej[e]!, e);
  const idOf = (a: number, b: number): number => {
    const id = edgeId.get(a < b ? a * S + b : b * S + a);
    if (id === undefined) throw new DescentError('INVALID_CONFIG', where, `path samples ${a} and ${b} are farther apart than epsilon`);
    return id;
  };
  const z = new Set<number>();
  const toggle = (e: number) => (z.has(e) ? z.delete(e) : z.add(e));
  for (let i = 0; i + 1 < m; i++) {
    if (gid(i, 0) !== gid(i + 1, 0)) toggle(idOf(gid(i, 0), gid(i + 1, 0)));
    toggle(idOf(gid(i, kSteps - 1), gid(i + 1, kSteps - 1)));
  }
  // The shared ends are distinct sample ids (rows 0 and k−1): join them by the zero-length edges.
  for (const i of [0, m - 1]) {
    const a = gid(i, 0);
    const b = gid(i, kSteps - 1);
    if (a !== b) {
      // both samples are the same point, so they are ε-adjacent
      toggle(idOf(a, b));
    }
  }
  // P + Q + the two zero-length end edges is the cycle P·Q⁻¹.
  // Triangles of the flag complex, in lower-star order.
  const triA: number[] = [];
  const triB: number[] = [];
  const triC: number[] = [];
  const triV: number[] = [];
  for (let a = 0; a < S; a++) {
    const na = nbrs[a]!;
    for (const b of na) {
      if (b <= a) continue;
      const nb = nbrs[b]!;
      // common neighbours c > b
      let x = 0;
      let y = 0;
      while (x < na.length && y < nb.length) {
        const ca = na[x]!;
        const cb = nb[y]!;
        if (ca < cb) x++;
        else if (cb < ca) y++;
        else {
          if (ca > b) {
            if (triV.length >= MAX_SIMPLICES) throw new DescentError('INVALID_CONFIG', where, `epsilon ${eps} gives more than ${MAX_SIMPLICES} triangles: lower epsilon or the sample counts`);
            triA.push(idOf(a, b));
            triB.push(idOf(a, ca));
            triC.push(idOf(b, ca));
            triV.push(Math.max(value[a]!, value[b]!, value[ca]!));
          }
          x++;
          y++;
        }
      }
    }
  }
  const T = triV.length;
  const order = Array.from({ length: T }, (_, t) => t).sort((s, t) => triV[s]! - triV[t]! || s - t);
  // Standard Z/2 column reduction (columns in filtration order; pivot = largest edge id).
  const cols: Int32Array[] = [];
  const pivotCol = new Map<number, number>();
  const xor = (u: Int32Array, v: Int32Array): Int32Array => {
    const out = new Int32Array(u.length + v.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < u.length && j < v.length) {
      if (u[i]! < v[j]!) out[k++] = u[i++]!;
      else if (v[j]! < u[i]!) out[k++] = v[j++]!;
      else {
        i++;
        j++;
      }
    }
    while (i < u.length) out[k++] = u[i++]!;
    while (j < v.length) out[k++] = v[j++]!;
    return out.slice(0, k);
  };
  for (let c = 0; c < T; c++) {
    const t = order[c]!;
    let col: Int32Array = Int32Array.from([triA[t]!, triB[t]!, triC[t]!]).sort();
    while (col.length > 0) {
      const low = col[col.length - 1]!;
      const other = pivotCol.get(low);
      if (other === undefined) break;
      col = xor(col, cols[other]!);
    }
    cols.push(col);
    if (col.length > 0) pivotCol.set(col[col.length - 1]!, c);
  }
  const zArr = Int32Array.from([...z]).sort();
  // Does z bound using only the first `count` reduced columns?
  const bounds = (count: number): boolean => {
    let col: Int32Array = zArr;
    while (col.length > 0) {
      const other = pivotCol.get(col[col.length - 1]!);
      if (other === undefined || other >= count) return false;
      col = xor(col, cols[other]!);
    }
    return true;
  };
  let lo = 0;
  let hi = T;
  let cStar = Infinity;
  if (bounds(T)) {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds(mid)) hi = mid;
      else lo = mid + 1;
    }
    cStar = Math.max(pathMax, lo > 0 ? triV[order[lo - 1]!]! : -Infinity);
  }
  // Level test: the triangles present at level c.
  let present = 0;
  while (present < T && triV[order[present]!]! <= level) present++;
  const boundsAtLevel = bounds(present);
  let verdict: HomotopyResult['verdict'];
  if (o.lipschitz !== undefined && upper <= level - o.lipschitz * delta) verdict = 'certified';
  else if (upper <= level) verdict = 'certified-on-grid';
  else if (!boundsAtLevel) verdict = 'obstructed';
  else verdict = 'inconclusive';
  return {
    verdict,
    homotopic: verdict === 'obstructed' ? false : verdict === 'inconclusive' ? undefined : true,
    level,
    pathMax,
    upper,
    cStar,
    barrier: cStar - pathMax,
    barrierUpper: upper - pathMax,
    connected,
    samples: S,
    epsilon: eps,
  };
}
