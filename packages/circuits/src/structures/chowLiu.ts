import { assertKnownKeys, DescentError, type Matrix } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { discreteCardinalities } from '../categorical.js';

/**
 * Pairwise mutual information of discrete data with Laplace smoothing (ChowLiuTrees.jl
 * `pairwise_marginal`): joint counts `c_ij(a,b) + α/(k_i·k_j)`, marginals `c_i(a) + α/k_i`, both over
 * `N + α`; `MI_ij = Σ p_ij log(p_ij / (p_i p_j))`. Binary data (a plain 0/1 matrix: k = 2, so α/4 and
 * α/2) or a `CategoricalData` (k_i its cardinalities). Returns an n × n symmetric matrix (zero diagonal).
 *
 * @example
 * ```ts
 * mutualInformation(fromRows([[0, 0], [1, 1]]), 0).data[1];
 * // 0.6931471805599453
 * ```
 */
export function mutualInformation(data: Matrix, alpha = 0.1): Matrix {
  const cards = discreteCardinalities(data, 'mutualInformation');
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new DescentError('INVALID_CONFIG', 'mutualInformation', `alpha = ${alpha} must be finite and >= 0`);
  if (cards.some((k) => k !== 2)) return categoricalMutualInformation(data, cards, alpha);
  const n = data.cols;
  const N = data.rows;
  const ones = new Float64Array(n);
  const both = new Float64Array(n * n);
  const idx = new Int32Array(n);
  for (let r = 0; r < N; r++) {
    let m = 0;
    const o = r * n;
    for (let v = 0; v < n; v++) if (data.data[o + v] === 1) idx[m++] = v;
    for (let a = 0; a < m; a++) {
      const i = idx[a]!;
      ones[i]++;
      for (let b = a + 1; b < m; b++) both[i * n + idx[b]!]++;
    }
  }
  const mi = new Float64Array(n * n);
  const den = N + alpha;
  // Log differences, not log(pij / (pi·pj)): with a tiny α the product pi·pj can underflow to 0.
  const term = (pij: number, pi: number, pj: number): number => (pij > 0 ? pij * (Math.log(pij) - Math.log(pi) - Math.log(pj)) : 0);
  for (let i = 0; i < n; i++) {
    const pi1 = (ones[i]! + alpha / 2) / den;
    const pi0 = (N - ones[i]! + alpha / 2) / den;
    for (let j = i + 1; j < n; j++) {
      const c11 = both[i * n + j]!;
      const c10 = ones[i]! - c11;
      const c01 = ones[j]! - c11;
      const c00 = N - ones[i]! - ones[j]! + c11;
      const pj1 = (ones[j]! + alpha / 2) / den;
      const pj0 = (N - ones[j]! + alpha / 2) / den;
      const q = alpha / 4;
      const v =
        term((c11 + q) / den, pi1, pj1) + term((c10 + q) / den, pi1, pj0) + term((c01 + q) / den, pi0, pj1) + term((c00 + q) / den, pi0, pj0);
      mi[i * n + j] = v;
      mi[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data: mi };
}

// Categorical counts: a k_i × k_j table per pair i < j, filled in one pass over the rows.
function categoricalMutualInformation(data: Matrix, cards: Int32Array, alpha: number): Matrix {
  const n = data.cols;
  const N = data.rows;
  const x = data.data;
  const margOff = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) margOff[v + 1] = margOff[v]! + cards[v]!;
  const marg = new Float64Array(margOff[n]!);
  const pairOff = new Int32Array(n * n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      pairOff[i * n + j] = total;
      total += cards[i]! * cards[j]!;
    }
  }
  const joint = new Float64Array(total);
  const xi = new Int32Array(n);
  for (let r = 0; r < N; r++) {
    for (let v = 0; v < n; v++) {
      xi[v] = x[r * n + v]!;
      marg[margOff[v]! + xi[v]!]++;
    }
    for (let i = 0; i < n; i++) {
      const base = i * n;
      const a = xi[i]!;
      for (let j = i + 1; j < n; j++) joint[pairOff[base + j]! + a * cards[j]! + xi[j]!]++;
    }
  }
  const mi = new Float64Array(n * n);
  const den = N + alpha;
  for (let i = 0; i < n; i++) {
    const ki = cards[i]!;
    for (let j = i + 1; j < n; j++) {
      const kj = cards[j]!;
      const q = alpha / (ki * kj);
      const o = pairOff[i * n + j]!;
      let v = 0;
      for (let a = 0; a < ki; a++) {
        const pa = (marg[margOff[i]! + a]! + alpha / ki) / den;
        for (let b = 0; b < kj; b++) {
          const pab = (joint[o + a * kj + b]! + q) / den;
          if (pab > 0) v += pab * (Math.log(pab) - Math.log(pa) - Math.log((marg[margOff[j]! + b]! + alpha / kj) / den));
        }
      }
      mi[i * n + j] = v;
      mi[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data: mi };
}

/** A rooted tree over variables: `parent[root] = -1`; `order` lists every variable children-first. */
export interface VariableTree {
  readonly parent: Int32Array;
  readonly root: number;
  readonly order: Int32Array;
}

/**
 * The Chow–Liu tree: a maximum spanning tree of the mutual-information graph (Prim, ties to the
 * smaller index), rooted at its center (the vertex of least eccentricity, smallest index on ties;
 * pyjuice `nx.center(T)[0]`, Juice.jl `center`).
 *
 * @example
 * ```ts
 * chowLiuTree(fromRows([[0, 0, 1], [1, 1, 0], [1, 1, 1]])).parent.length;
 * // 3
 * ```
 */
export function chowLiuTree(data: Matrix, options: { alpha?: number } = {}): VariableTree {
  assertKnownKeys(options, ['alpha'], 'chowLiuTree', 'options');
  const mi = mutualInformation(data, options.alpha ?? 0.1);
  return maximumSpanningTree(mi);
}

/**
 * @internal Prim's maximum spanning tree over a dense weight matrix, rooted at the tree's center.
 */
export function maximumSpanningTree(w: Matrix): VariableTree {
  const n = w.rows;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(-Infinity);
  const from = new Int32Array(n).fill(-1);
  const adj: number[][] = Array.from({ length: n }, () => []);
  best[0] = 0;
  for (let it = 0; it < n; it++) {
    let u = -1;
    for (let v = 0; v < n; v++) if (!inTree[v] && (u < 0 || best[v]! > best[u]!)) u = v;
    inTree[u] = 1;
    if (from[u]! >= 0) {
      adj[u]!.push(from[u]!);
      adj[from[u]!]!.push(u);
    }
    for (let v = 0; v < n; v++) {
      if (!inTree[v] && w.data[u * n + v]! > best[v]!) {
        best[v] = w.data[u * n + v]!;
        from[v] = u;
      }
    }
  }
  // Center: strip leaves layer by layer; the last layer holds the center(s).
  const deg = new Int32Array(n);
  for (let v = 0; v < n; v++) deg[v] = adj[v]!.length;
  let layer: number[] = [];
  for (let v = 0; v < n; v++) if (deg[v]! <= 1) layer.push(v);
  let remaining = n;
  while (remaining > 2) {
    remaining -= layer.length;
    const next: number[] = [];
    for (const u of layer) {
      for (const v of adj[u]!) {
        if (--deg[v]! === 1) next.push(v);
      }
      deg[u] = -1;
    }
    layer = next;
  }
  const root = Math.min(...layer);
  // Orient from the root; order children-first (reverse BFS).
  const parent = new Int32Array(n).fill(-1);
  const bfs: number[] = [root];
  const seen = new Uint8Array(n);
  seen[root] = 1;
  for (let h = 0; h < bfs.length; h++) {
    const u = bfs[h]!;
    for (const v of [...adj[u]!].sort((a, b) => a - b)) {
      if (!seen[v]) {
        seen[v] = 1;
        parent[v] = u;
        bfs.push(v);
      }
    }
  }
  return { parent, root, order: Int32Array.from(bfs.reverse()) };
}

/**
 * @internal Children lists of a tree, sorted.
 */
export function childrenOf(tree: VariableTree): number[][] {
  const ch: number[][] = Array.from({ length: tree.parent.length }, () => []);
  for (let v = 0; v < tree.parent.length; v++) if (tree.parent[v]! >= 0) ch[tree.parent[v]!]!.push(v);
  return ch;
}

/**
 * The plain Chow–Liu tree as a deterministic circuit over indicator leaves, with the smoothed MLE
 * parameters `p(x_v = a | x_parent = b) = (c(a, b) + α/(k_v·k_p)) / (c(b) + α/k_p)` and
 * `p(x_root = a) = (c(a) + α/k_root) / (N + α)` (k the number of values: 2 for binary data, a
 * `CategoricalData`'s cardinalities): the baseline of spec (f).
 *
 * @example
 * ```ts
 * const c = compile(chowLiuCircuit(fromRows([[0, 0], [1, 1], [1, 1]]), { alpha: 0 }));
 * Math.exp(logLikelihood(c, c.params, fromRows([[1, 1]]))[0]);
 * // 0.6666666666666666
 * ```
 */
export function chowLiuCircuit(data: Matrix, options: { alpha?: number } = {}): Circuit {
  assertKnownKeys(options, ['alpha'], 'chowLiuCircuit', 'options');
  const alpha = options.alpha ?? 0.1;
  const tree = chowLiuTree(data, { alpha });
  const cards = discreteCardinalities(data, 'chowLiuCircuit');
  const n = data.cols;
  const N = data.rows;
  const ch = childrenOf(tree);
  const nodes: CircuitNode[] = [];
  // R[v][u] = node id of the sum for variable v given its parent takes value u.
  const R: number[][] = Array.from({ length: n }, () => []);
  const count = (v: number, a: number, p: number, b: number): number => {
    let c = 0;
    for (let r = 0; r < N; r++) if (data.data[r * n + v] === a && (p < 0 || data.data[r * n + p] === b)) c++;
    return c;
  };
  for (const v of tree.order) {
    const kv = cards[v]!;
    const values = Array.from({ length: kv }, (_, a) => a);
    const prods: number[] = [];
    for (const a of values) {
      nodes.push({ kind: 'indicator', v, value: a });
      const ind = nodes.length - 1;
      if (ch[v]!.length === 0) prods.push(ind);
      else {
        nodes.push({ kind: 'product', children: [ind, ...ch[v]!.map((c) => R[c]![a]!)] });
        prods.push(nodes.length - 1);
      }
    }
    const p = tree.parent[v]!;
    if (p < 0) {
      const w = values.map((a) => (count(v, a, -1, 0) + alpha / kv) / (N + alpha));
      nodes.push({ kind: 'sum', children: prods, weights: w });
    } else {
      const kp = cards[p]!;
      for (let b = 0; b < kp; b++) {
        const cp = count(p, b, -1, 0);
        const w = values.map((a) => (cp + alpha / kp > 0 ? (count(v, a, p, b) + alpha / (kv * kp)) / (cp + alpha / kp) : 1 / kv));
        nodes.push({ kind: 'sum', children: prods, weights: w });
        R[v]![b] = nodes.length - 1;
      }
    }
  }
  return { numVars: n, nodes };
}
