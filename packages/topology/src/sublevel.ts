import { describeValue, assertConfigObject, assertKnownKeys, DescentError } from '@descent/linalg';
import type { Diagram } from './diagram.js';
import { canonicalOrder, permute } from './diagram.js';
import { ripsPersistence, type PersistenceResult } from './rips.js';
import { findRoot } from './internal/union-find.js';

/**
 * Where a function is sampled: a 2-D grid (row-major values, `shape = [rows, cols]`) with 4- or
 * 8-neighbour connectivity or the Freudenthal triangulation (neighbours (±1,0), (0,±1), (1,1), (−1,−1)),
 * or an undirected graph with edges (i[e], j[e]).
 *
 * @example
 * ```ts
 * const dom: Domain = { kind: 'grid', shape: [2, 2], connectivity: 8 };
 * sublevelPersistence0(new Float64Array([0, 1, 1, 0]), dom).birth.length;
 * // 1
 * ```
 */
export type Domain =
  | { kind: 'grid'; shape: readonly [number, number]; connectivity: 4 | 8 | 'freudenthal' }
  | { kind: 'graph'; n: number; i: Int32Array; j: Int32Array };

/**
 * H0 sublevel diagram with, per bar, the vertex of the minimum and the vertex where it dies (−1: never).
 *
 * @example
 * ```ts
 * sublevelPersistence0(new Float64Array([0, 2, 1]), { kind: 'grid', shape: [1, 3], connectivity: 4 }).deathVertex[1];
 * // 1
 * ```
 */
export interface SublevelDiagram0 extends Diagram {
  readonly birthVertex: Int32Array;
  readonly deathVertex: Int32Array;
}

/** The edges of a domain as CSR adjacency (each undirected edge in both lists). @internal */
export function domainAdjacency(dom: Domain, nValues: number, where: string): { n: number; start: Int32Array; adj: Int32Array; ei: Int32Array; ej: Int32Array } {
  let ei: number[] = [];
  let ej: number[] = [];
  let n: number;
  assertConfigObject(dom, where, 'domain');
  if (dom.kind === 'grid') {
    assertKnownKeys(dom, ['kind', 'shape', 'connectivity'], where, 'domain');
    const shape = dom.shape as readonly unknown[];
    if (!Array.isArray(shape) || shape.length !== 2) throw new DescentError('INVALID_CONFIG', where, `grid shape must be [rows, cols], got ${String(shape)}`);
    const [rows, cols] = shape as [number, number];
    if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
      throw new DescentError('INVALID_CONFIG', where, `grid shape must be two positive integers, got [${String(rows)}, ${String(cols)}]`);
    }
    n = rows * cols;
    // Before any loop over the grid: a shape that does not describe f (e.g. [1e9, 1e9]) must not run.
    if (n !== nValues) throw new DescentError('SHAPE_MISMATCH', where, `grid shape [${rows}, ${cols}] has ${n} vertices but f has ${nValues} values`);
    const c = dom.connectivity;
    if (c !== 4 && c !== 8 && c !== 'freudenthal') throw new DescentError('INVALID_CONFIG', where, `connectivity must be 4, 8 or 'freudenthal', got ${String(c)}`);
    const offsets: [number, number][] = [[0, 1], [1, 0]];
    if (c === 8) offsets.push([1, 1], [1, -1]);
    if (c === 'freudenthal') offsets.push([1, 1]);
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols; q++) {
        for (const [dr, dq] of offsets) {
          const r2 = r + dr;
          const q2 = q + dq;
          if (r2 < rows && q2 >= 0 && q2 < cols) {
            ei.push(r * cols + q);
            ej.push(r2 * cols + q2);
          }
        }
      }
    }
  } else if (dom.kind === 'graph') {
    assertKnownKeys(dom, ['kind', 'n', 'i', 'j'], where, 'domain');
    n = dom.n;
    if (!Number.isInteger(n) || n < 0) throw new DescentError('INVALID_CONFIG', where, `graph n must be a non-negative integer, got ${n}`);
    if (!(dom.i instanceof Int32Array) || !(dom.j instanceof Int32Array) || dom.i.length !== dom.j.length) {
      throw new DescentError('SHAPE_MISMATCH', where, 'graph i and j must be Int32Arrays of equal length');
    }
    ei = Array.from(dom.i);
    ej = Array.from(dom.j);
    for (let e = 0; e < ei.length; e++) {
      const a = ei[e]!;
      const b = ej[e]!;
      if (a < 0 || a >= n || b < 0 || b >= n) throw new DescentError('SHAPE_MISMATCH', where, `edge ${e} = (${a}, ${b}) is out of range [0, ${n})`);
      if (a === b) throw new DescentError('DOMAIN', where, `edge ${e} is a self-loop at vertex ${a}`);
    }
  } else {
    throw new DescentError('INVALID_CONFIG', where, `unknown domain kind ${(dom as { kind: unknown }).kind as string}`);
  }
  if (nValues !== n) throw new DescentError('SHAPE_MISMATCH', where, `f has ${nValues} values but the domain has ${n} vertices`);
  const start = new Int32Array(n + 1);
  for (let e = 0; e < ei.length; e++) {
    start[ei[e]! + 1]!++;
    start[ej[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const adj = new Int32Array(2 * ei.length);
  for (let e = 0; e < ei.length; e++) {
    adj[fill[ei[e]!]!++] = ej[e]!;
    adj[fill[ej[e]!]!++] = ei[e]!;
  }
  return { n, start, adj, ei: Int32Array.from(ei), ej: Int32Array.from(ej) };
}

function checkValues(f: Float64Array, where: string): void {
  if (!(f instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', where, 'f must be a Float64Array');
  for (let v = 0; v < f.length; v++) if (!Number.isFinite(f[v]!)) throw new DescentError('NON_FINITE', where, `f[${v}] is ${f[v]}`);
}

function sortedVertices(f: Float64Array): Uint32Array {
  const order = new Uint32Array(f.length);
  for (let v = 0; v < f.length; v++) order[v] = v;
  order.sort((a, b) => f[a]! - f[b]! || a - b);
  return order;
}

/**
 * H0 persistence of the sublevel filtration of `f` on a grid or graph (vertex v enters at f(v), edge
 * {u,v} at max(f(u), f(v))): union–find with the elder rule, O(E α(V) + V log V). Each bar
 * [f(minimum), f(saddle)) is a local minimum that merges into an older (lower) basin at the saddle; the
 * global minimum of each component gives [min f, ∞). Zero-length bars are dropped unless `keepZero`.
 *
 * @example
 * ```ts
 * const d = sublevelPersistence0(new Float64Array([0, 3, 1, 4, 2]), { kind: 'grid', shape: [1, 5], connectivity: 4 });
 * [String(d.birth), String(d.death)];
 * // ['0,1,2', 'Infinity,3,4']
 * ```
 */
export function sublevelPersistence0(f: Float64Array, dom: Domain, o: { keepZero?: boolean } = {}): SublevelDiagram0 {
  const where = 'sublevelPersistence0';
  assertKnownKeys(o, ['keepZero'], where, 'options');
  checkValues(f, where);
  const { n, start, adj } = domainAdjacency(dom, f.length, where);
  const parent = new Int32Array(n);
  const present = new Uint8Array(n);
  const rootMin = new Int32Array(n); // vertex of the component's minimum (its birth)
  const find = (v: number): number => findRoot(parent, v);
  const rank = new Int32Array(n); // position in the sorted order: elder = smaller rank
  const order = sortedVertices(f);
  for (let k = 0; k < n; k++) rank[order[k]!] = k;
  const b: number[] = [];
  const d: number[] = [];
  const bv: number[] = [];
  const dv: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = order[k]!;
    present[v] = 1;
    parent[v] = v;
    rootMin[v] = v;
    for (let e = start[v]!; e < start[v + 1]!; e++) {
      const u = adj[e]!;
      if (!present[u]) continue;
      const ru = find(u);
      const rv = find(v);
      if (ru === rv) continue;
      const mu = rootMin[ru]!;
      const mv = rootMin[rv]!;
      const [oldR, youngR] = rank[mu]! < rank[mv]! ? [ru, rv] : [rv, ru];
      const youngMin = rootMin[youngR]!;
      if (f[v]! > f[youngMin]! || o.keepZero) {
        b.push(f[youngMin]!);
        d.push(f[v]!);
        bv.push(youngMin);
        dv.push(v);
      }
      parent[youngR] = oldR;
    }
  }
  for (let v = 0; v < n; v++) {
    if (parent[v] === v) {
      b.push(f[rootMin[v]!]!);
      d.push(Infinity);
      bv.push(rootMin[v]!);
      dv.push(-1);
    }
  }
  const birth = Float64Array.from(b);
  const death = Float64Array.from(d);
  const perm = canonicalOrder(birth, death);
  return {
    dim: 0,
    birth: permute(birth, perm),
    death: permute(death, perm),
    birthVertex: Int32Array.from(perm, (i) => bv[i]!),
    deathVertex: Int32Array.from(perm, (i) => dv[i]!),
  };
}

/**
 * The merge tree (Kruskal tree) of the sublevel filtration: leaves 0..n−1 are the vertices (height f(v)),
 * internal nodes n.. are merges at their height. `parent[root] = −1`. Query it with {@link mergeHeight}.
 *
 * @example
 * ```ts
 * mergeTree(new Float64Array([0, 2, 1]), { kind: 'grid', shape: [1, 3], connectivity: 4 }).parent.length;
 * // 5
 * ```
 */
export interface MergeTree {
  readonly parent: Int32Array;
  readonly height: Float64Array;
}

/**
 * Builds the merge tree of `f` on a domain (see {@link MergeTree}).
 *
 * @example
 * ```ts
 * const t = mergeTree(new Float64Array([0, 3, 1]), { kind: 'grid', shape: [1, 3], connectivity: 4 });
 * mergeHeight(t, 0, 2);
 * // 3
 * ```
 */
export function mergeTree(f: Float64Array, dom: Domain): MergeTree {
  const where = 'mergeTree';
  checkValues(f, where);
  const { n, start, adj } = domainAdjacency(dom, f.length, where);
  const parent = new Int32Array(Math.max(1, 2 * n - 1)).fill(-1);
  const height = new Float64Array(Math.max(1, 2 * n - 1));
  const uf = new Int32Array(n);
  const node = new Int32Array(n); // tree node of each union-find root
  const present = new Uint8Array(n);
  const find = (v: number): number => findRoot(uf, v);
  const order = sortedVertices(f);
  let next = n;
  for (let k = 0; k < n; k++) {
    const v = order[k]!;
    present[v] = 1;
    uf[v] = v;
    node[v] = v;
    height[v] = f[v]!;
    for (let e = start[v]!; e < start[v + 1]!; e++) {
      const u = adj[e]!;
      if (!present[u]) continue;
      const ru = find(u);
      const rv = find(v);
      if (ru === rv) continue;
      const m = next++;
      height[m] = f[v]!;
      parent[node[ru]!] = m;
      parent[node[rv]!] = m;
      uf[ru] = rv;
      node[rv] = m;
    }
  }
  return { parent: parent.slice(0, Math.max(next, 1)), height: height.slice(0, Math.max(next, 1)) };
}

/**
 * The merge height of vertices a and b: the lowest level c at which they lie in one component of
 * {f ≤ c} (the minimax path value), +∞ if never. mergeHeight(a, a) = f(a).
 *
 * @example
 * ```ts
 * mergeHeight(mergeTree(new Float64Array([0, 5, 1]), { kind: 'grid', shape: [1, 3], connectivity: 4 }), 0, 2);
 * // 5
 * ```
 */
export function mergeHeight(tree: MergeTree, a: number, b: number): number {
  const where = 'mergeHeight';
  if (tree === null || typeof tree !== 'object' || !(tree.parent instanceof Int32Array) || !(tree.height instanceof Float64Array) || tree.parent.length !== tree.height.length) {
    throw new DescentError('INVALID_CONFIG', where, `tree must be a merge tree (Int32Array parent, Float64Array height of one length), got ${describeValue(tree)}`);
  }
  const m = tree.parent.length;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= m || b >= m) {
    throw new DescentError('SHAPE_MISMATCH', where, `vertices ${a}, ${b} out of range`);
  }
  // A walk longer than m nodes (or leaving the tree) means the parent links are not a forest: reject
  // instead of looping for ever.
  const up = (x: number, steps: number): number => {
    if (steps > m) throw new DescentError('DOMAIN', where, 'tree.parent has a cycle');
    const p = tree.parent[x]!;
    if (p !== -1 && (p < 0 || p >= m)) throw new DescentError('DOMAIN', where, `tree.parent[${x}] = ${p} is out of range`);
    return p;
  };
  const seen = new Set<number>();
  for (let x = a, s = 0; x !== -1; x = up(x, ++s)) seen.add(x);
  for (let x = b, s = 0; x !== -1; x = up(x, ++s)) if (seen.has(x)) return tree.height[x]!;
  return Infinity;
}

/**
 * Lower-star persistence of `f` in dimensions 0..maxDim (default 1, any dimension) on the flag complex of
 * the domain, computed by the Rips engine on a graph with vertex births f and edge values max(f(u), f(v)).
 * The flag complex of a graph holds a k-simplex per (k+1)-clique, so a graph's higher homology is there
 * (the 3-sphere K_{2,2,2,2} has an H3 bar); the only bound on maxDim is the engine's index limit
 * C(n, maxDim + 2) ≤ 2^53 (`INVALID_CONFIG` beyond it). For H1 on a grid use 8-connectivity or
 * 'freudenthal': the 4-neighbour grid has no triangles, so every unit square would be a spurious hole
 * (rejected).
 *
 * @example
 * ```ts
 * // a 3×3 grid with a high centre: one H1 bar [1, 5)
 * const f = new Float64Array([1, 1, 1, 1, 5, 1, 1, 1, 1]);
 * const r = lowerStarPersistence(f, { kind: 'grid', shape: [3, 3], connectivity: 8 });
 * [r.diagrams[1].birth[0], r.diagrams[1].death[0]];
 * // [1, 5]
 * ```
 */
export function lowerStarPersistence(f: Float64Array, dom: Domain, o: { maxDim?: number; modulus?: number } = {}): PersistenceResult {
  const where = 'lowerStarPersistence';
  assertKnownKeys(o, ['maxDim', 'modulus'], where, 'options');
  assertConfigObject(dom, where, 'domain');
  checkValues(f, where);
  const maxDim = o.maxDim ?? 1;
  // Any dimension: the flag complex of a graph has simplices up to its clique number (an 8-connected grid
  // has tetrahedra); the Rips engine's index limit, C(n, maxDim + 2) ≤ 2^53, is the only bound.
  if (!Number.isSafeInteger(maxDim) || maxDim < 0) throw new DescentError('INVALID_CONFIG', where, `maxDim must be a non-negative integer, got ${String(maxDim)}`);
  if (dom.kind === 'grid' && dom.connectivity === 4) {
    throw new DescentError('INVALID_CONFIG', where, '4-connectivity has no triangles, so H1 would count every unit square: use 8 or freudenthal');
  }
  const { n, ei, ej } = domainAdjacency(dom, f.length, where);
  const w = new Float64Array(ei.length);
  for (let e = 0; e < ei.length; e++) w[e] = Math.max(f[ei[e]!]!, f[ej[e]!]!);
  const opts: { maxDim: number; modulus?: number } = { maxDim };
  if (o.modulus !== undefined) opts.modulus = o.modulus;
  return ripsPersistence({ kind: 'graph', n, i: ei, j: ej, w, vertexBirth: f }, opts);
}
