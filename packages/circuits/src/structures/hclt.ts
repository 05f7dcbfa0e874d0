import { describeValue, MAX_ELEMENTS, assertKnownKeys, configKeys, DescentError, key as makeKey, uniform, type Key, type Matrix } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { KeyStream, randomSimplex } from './binary.js';
import { childrenOf, chowLiuTree, type VariableTree } from './chowLiu.js';

/** Options of {@link hclt}. */
export interface HcltOptions {
  /** Number of latent states per hidden variable (K ≥ 1). */
  readonly K: number;
  /** Laplace smoothing of the mutual information; default 0.1 (Juice.jl). */
  readonly miAlpha?: number;
  /** Key for the random initial parameters; default key(0). */
  readonly key?: Key;
  /**
   * Random initialisation: `'pyjuice'` (default) weights ∝ exp(−perturbation·U(0,1)), perturbation
   * default 2; `'juice'` (Juice.jl `uniform_parameters`, the published HCLT setup) weights ∝
   * 1 − perturbation + 2·perturbation·U(0,1), perturbation default 0.4. Bernoulli inputs likewise as
   * the two-entry slice [p, 1 − p].
   */
  readonly init?: 'pyjuice' | 'juice';
  /** See `init`. */
  readonly perturbation?: number;
  /**
   * Number of values of each variable (default: the data's, a `CategoricalData`'s cardinalities, or 2
   * for binary data; `hcltFromTree` without it: all 2). A binary variable gets Bernoulli inputs, a
   * variable with k > 2 values categorical inputs over k values (initialised like the sum weights).
   */
  readonly cardinalities?: ArrayLike<number>;
}

/**
 * The hidden Chow–Liu tree (pyjuice `structures/hclt.py`, Juice.jl `hclt`): the Chow–Liu tree of the
 * data, rooted at its center, with a K-state latent per inner variable. Bottom-up, a tree-leaf
 * variable c contributes `R_c[k] = Bernoulli(c, k)`; an inner variable v has K products
 * `P_k = Bernoulli(v, k) · Π_{c ∈ ch(v)} R_c[k]` (Hadamard pairing) and K sums
 * `R_v[j] = Σ_k θ_{jk} P_k` (dense K × K transition), the root a single sum over its K products.
 * Sum edges: (#inner − 1)·K² + K. Random init as pyjuice. Categorical data (a `CategoricalData`,
 * see `categoricalData`) gets categorical inputs over each variable's values and a tree from the
 * categorical mutual information.
 *
 * @example
 * ```ts
 * const c = compile(hclt(fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0]]), { K: 2 }));
 * c.numVars;
 * // 3
 * ```
 */
const HCLT_KEYS = configKeys<HcltOptions>()('K', 'miAlpha', 'key', 'init', 'perturbation', 'cardinalities');

export function hclt(data: Matrix, options: HcltOptions): Circuit {
  assertKnownKeys(options, HCLT_KEYS, 'hclt', 'options');
  const tree = chowLiuTree(data, { alpha: options.miAlpha ?? 0.1 });
  return hcltFromTree(tree, withDataCardinalities(options, data));
}

/**
 * The HCLT circuit over a given variable tree (see {@link hclt}).
 *
 * @example
 * ```ts
 * hcltFromTree({ parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([1, 0]) }, { K: 2 }).nodes.length;
 * // 7
 * ```
 */
export function hcltFromTree(tree: VariableTree, options: HcltOptions): Circuit {
  assertKnownKeys(options, HCLT_KEYS, 'hclt', 'options');
  const nodes: CircuitNode[] = [];
  const keys = new KeyStream(options.key ?? makeKey(0));
  const prods = hcltInto(nodes, tree, options, 'hclt', keys);
  nodes.push({ kind: 'sum', children: prods, weights: initOf(options, 'hclt')(keys.next(), prods.length) });
  return { numVars: tree.parent.length, nodes };
}

/** @internal `options` with the data's cardinalities when they do not say otherwise. */
export function withDataCardinalities<O extends HcltOptions>(options: O, data: Matrix): O {
  const cards = (data as { cardinalities?: Int32Array }).cardinalities;
  return options.cardinalities === undefined && cards !== undefined ? { ...options, cardinalities: cards } : options;
}

/** @internal The random slice initialiser of an HCLT options object. */
export function initOf(options: HcltOptions, where: string): (k: Key, size: number) => Float64Array {
  const mode = options.init ?? 'pyjuice';
  if (mode !== 'pyjuice' && mode !== 'juice') throw new DescentError('INVALID_CONFIG', where, `init = ${String(mode)} must be 'pyjuice' or 'juice'`);
  const pert = options.perturbation ?? (mode === 'juice' ? 0.4 : 2);
  if (!(pert >= 0) || !Number.isFinite(pert) || (mode === 'juice' && pert >= 1)) {
    throw new DescentError('INVALID_CONFIG', where, `perturbation = ${pert} must be finite and in ${mode === 'juice' ? '[0, 1)' : '[0, ∞)'}`);
  }
  if (mode === 'pyjuice') return (k, size) => randomSimplex(k, size, pert);
  return (k, size) => {
    const u = uniform(k, size);
    let s = 0;
    for (let i = 0; i < size; i++) {
      u[i] = 1 - pert + 2 * pert * u[i]!;
      s += u[i]!;
    }
    for (let i = 0; i < size; i++) u[i] = u[i]! / s;
    return u;
  };
}

/**
 * @internal Throws unless `tree` is a rooted tree over its variables: `parent` an Int32Array with -1 at
 * `root` only and every other entry a variable, `order` a permutation listing every variable before
 * its parent (so the parent links have no cycle).
 */
export function assertVariableTree(tree: VariableTree, where: string): void {
  if (tree === null || typeof tree !== 'object' || !(tree.parent instanceof Int32Array) || !(tree.order instanceof Int32Array)) {
    throw new DescentError('INVALID_CONFIG', where, `tree must be { parent: Int32Array, root, order: Int32Array }, got ${describeValue(tree)}`);
  }
  const n = tree.parent.length;
  if (n < 1 || tree.order.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `tree.order must list the ${n} variables of tree.parent (got ${tree.order.length})`);
  if (!Number.isInteger(tree.root) || tree.root < 0 || tree.root >= n || tree.parent[tree.root] !== -1) {
    throw new DescentError('INVALID_CONFIG', where, `tree.root = ${String(tree.root)} must be the variable whose parent is -1`);
  }
  const pos = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = tree.order[i]!;
    if (v < 0 || v >= n || pos[v] !== -1) throw new DescentError('INVALID_CONFIG', where, 'tree.order must be a permutation of the variables');
    pos[v] = i;
  }
  for (let v = 0; v < n; v++) {
    const p = tree.parent[v]!;
    if (v === tree.root) continue;
    if (p < 0 || p >= n || !(pos[p]! > pos[v]!)) throw new DescentError('INVALID_CONFIG', where, `tree.parent[${v}] = ${p} is not a variable listed after ${v} in tree.order`);
  }
}

/**
 * @internal Appends one HCLT over `tree` to `nodes` (K-state latents per inner variable, Bernoulli or
 * categorical inputs) and returns the K products of its root variable, which the caller mixes.
 */
export function hcltInto(nodes: CircuitNode[], tree: VariableTree, options: HcltOptions, where: string, keys: KeyStream): number[] {
  const K = options.K;
  if (!Number.isInteger(K) || K < 1) throw new DescentError('INVALID_CONFIG', where, `K = ${K} must be a positive integer`);
  assertVariableTree(tree, where);
  const n = tree.parent.length;
  // K² weights per inner variable: the size is checked before any node is built.
  if (K * K * n > MAX_ELEMENTS) throw new DescentError('INVALID_CONFIG', where, `K² × variables = ${K * K * n} is above the allocation limit of ${MAX_ELEMENTS}`);
  const init = initOf(options, where);
  const cards = options.cardinalities;
  if (cards !== undefined) {
    if (cards === null || typeof cards !== 'object' || cards.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `cardinalities must list ${n} numbers (one per variable)`);
    for (let v = 0; v < n; v++) {
      if (!Number.isInteger(cards[v]) || cards[v]! < 2) throw new DescentError('INVALID_CONFIG', where, `cardinalities[${v}] = ${cards[v]} must be an integer >= 2`);
    }
  }
  const ch = childrenOf(tree);
  const R: number[][] = Array.from({ length: n }, () => []);
  const leaf = (v: number): number => {
    const k = cards === undefined ? 2 : cards[v]!;
    if (k === 2) nodes.push({ kind: 'bernoulli', v, p: init(keys.next(), 2)[0]! });
    else nodes.push({ kind: 'categorical', v, theta: init(keys.next(), k) });
    return nodes.length - 1;
  };
  let rootProds: number[] = [];
  for (const v of tree.order) {
    const isRoot = tree.parent[v]! < 0;
    if (ch[v]!.length === 0 && !isRoot) {
      for (let k = 0; k < K; k++) R[v]![k] = leaf(v);
      continue;
    }
    const prods: number[] = [];
    for (let k = 0; k < K; k++) {
      const l = leaf(v);
      if (ch[v]!.length === 0) prods.push(l);
      else {
        nodes.push({ kind: 'product', children: [l, ...ch[v]!.map((c) => R[c]![k]!)] });
        prods.push(nodes.length - 1);
      }
    }
    if (isRoot) {
      rootProds = prods;
      continue;
    }
    for (let j = 0; j < K; j++) {
      nodes.push({ kind: 'sum', children: prods, weights: init(keys.next(), K) });
      R[v]![j] = nodes.length - 1;
    }
  }
  return rootProds;
}
