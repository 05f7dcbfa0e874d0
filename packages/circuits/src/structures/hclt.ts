import { DescentError, key as makeKey, uniform, type Key, type Matrix } from '@descent/linalg';
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
  /** Initial weights ∝ exp(-perturbation · U(0,1)); default 2 (pyjuice). */
  readonly perturbation?: number;
}

/**
 * The hidden Chow–Liu tree (pyjuice `structures/hclt.py`, Juice.jl `hclt`): the Chow–Liu tree of the
 * data, rooted at its center, with a K-state latent per inner variable. Bottom-up, a tree-leaf
 * variable c contributes `R_c[k] = Bernoulli(c, k)`; an inner variable v has K products
 * `P_k = Bernoulli(v, k) · Π_{c ∈ ch(v)} R_c[k]` (Hadamard pairing) and K sums
 * `R_v[j] = Σ_k θ_{jk} P_k` (dense K × K transition), the root a single sum over its K products.
 * Sum edges: (#inner − 1)·K² + K. Random init as pyjuice.
 *
 * @example
 * ```ts
 * const c = compile(hclt(fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0]]), { K: 2 }));
 * c.numVars;
 * // 3
 * ```
 */
export function hclt(data: Matrix, options: HcltOptions): Circuit {
  const tree = chowLiuTree(data, { alpha: options.miAlpha ?? 0.1 });
  return hcltFromTree(tree, options);
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
  const K = options.K;
  if (!Number.isInteger(K) || K < 1) throw new DescentError('INVALID_CONFIG', 'hclt', `K = ${K} must be a positive integer`);
  const pert = options.perturbation ?? 2;
  if (!(pert >= 0) || !Number.isFinite(pert)) throw new DescentError('INVALID_CONFIG', 'hclt', `perturbation = ${pert} must be finite and >= 0`);
  const keys = new KeyStream(options.key ?? makeKey(0));
  const n = tree.parent.length;
  const ch = childrenOf(tree);
  const nodes: CircuitNode[] = [];
  const R: number[][] = Array.from({ length: n }, () => []);
  const leaf = (v: number): number => {
    const u = uniform(keys.next(), 2);
    const a = Math.exp(-pert * u[0]!);
    const b = Math.exp(-pert * u[1]!);
    nodes.push({ kind: 'bernoulli', v, p: a / (a + b) });
    return nodes.length - 1;
  };
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
    const sums = isRoot ? 1 : K;
    for (let j = 0; j < sums; j++) {
      nodes.push({ kind: 'sum', children: prods, weights: randomSimplex(keys.next(), K, pert) });
      R[v]![j] = nodes.length - 1;
    }
  }
  return { numVars: n, nodes };
}
