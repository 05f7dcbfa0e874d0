import { MAX_ELEMENTS, assertKnownKeys, configKeys, DescentError, key as makeKey, permutation, uniform, type Key } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { KeyStream, randomSimplex } from './binary.js';

/** Options of {@link ratSpn}. */
export interface RatSpnOptions {
  /** Sum nodes per region (K ≥ 1). */
  readonly K: number;
  /** Levels of random splits (≥ 0). */
  readonly depth: number;
  /** Independent random region trees under the root (≥ 1). */
  readonly repetitions: number;
  /** 'hadamard' (pyjuice: K elementwise products) or 'outer' (EiNet / original RAT-SPN: K² products). Default 'hadamard'. */
  readonly productMode?: 'hadamard' | 'outer';
  /** Parts per split (pyjuice `num_pieces`), default 2. */
  readonly numPieces?: number;
  readonly key?: Key;
  readonly perturbation?: number;
}

/**
 * A random tensorized circuit (RAT-SPN; pyjuice `structures/rat_spn.py`, EiNet
 * `random_binary_trees`) over `numVars` binary variables with Bernoulli leaves. Per repetition the
 * scope is shuffled and split into `numPieces` near-equal parts for `depth` levels (or until a scope
 * is smaller than `numPieces`); a leaf region is `Sum_K(Π_v Bernoulli(v, k))` elementwise over K, the K
 Bernoulli nodes of each variable shared by all regions and repetitions (as pyjuice); an
 * inner region `Sum_K` over the products of its parts' K-vectors: elementwise (`hadamard`, K
 * products) or all combinations (`outer`, K^numPieces products). The root sums the top products of
 * all repetitions.
 *
 * @example
 * ```ts
 * compile(ratSpn(4, { K: 2, depth: 1, repetitions: 2, productMode: 'outer' })).numVars;
 * // 4
 * ```
 */
export function ratSpn(numVars: number, options: RatSpnOptions): Circuit {
  const where = 'ratSpn';
  assertKnownKeys(options, configKeys<RatSpnOptions>()('K', 'depth', 'repetitions', 'productMode', 'numPieces', 'key', 'perturbation'), where, 'options');
  const { K, depth, repetitions } = options;
  const pieces = options.numPieces ?? 2;
  const mode = options.productMode ?? 'hadamard';
  if (!Number.isInteger(numVars) || numVars < 1) throw new DescentError('INVALID_CONFIG', where, `numVars = ${numVars} must be a positive integer`);
  if (!Number.isInteger(K) || K < 1) throw new DescentError('INVALID_CONFIG', where, `K = ${K} must be a positive integer`);
  if (!Number.isInteger(depth) || depth < 0) throw new DescentError('INVALID_CONFIG', where, `depth = ${depth} must be a non-negative integer`);
  if (!Number.isInteger(repetitions) || repetitions < 1) throw new DescentError('INVALID_CONFIG', where, `repetitions = ${repetitions} must be a positive integer`);
  if (!Number.isInteger(pieces) || pieces < 2) throw new DescentError('INVALID_CONFIG', where, `numPieces = ${pieces} must be an integer >= 2`);
  if (mode !== 'hadamard' && mode !== 'outer') throw new DescentError('INVALID_CONFIG', where, `productMode = ${String(mode)} must be 'hadamard' or 'outer'`);
  // Sizes bounded before any node is built: leaves over all repetitions, and an outer region's K^pieces products.
  if (numVars * K * repetitions > MAX_ELEMENTS || (mode === 'outer' && K ** Math.min(pieces, numVars) > MAX_ELEMENTS)) {
    throw new DescentError('INVALID_CONFIG', where, `numVars = ${numVars}, K = ${K}, repetitions = ${repetitions}${mode === 'outer' ? `, numPieces = ${pieces}` : ''} give a circuit above the allocation limit of ${MAX_ELEMENTS} nodes`);
  }
  const pert = options.perturbation ?? 2;
  const keys = new KeyStream(options.key ?? makeKey(0));
  const nodes: CircuitNode[] = [];
  const push = (n: CircuitNode): number => {
    nodes.push(n);
    return nodes.length - 1;
  };
  const leaf = (v: number): number => {
    const u = uniform(keys.next(), 2);
    const a = Math.exp(-pert * u[0]!);
    const b = Math.exp(-pert * u[1]!);
    return push({ kind: 'bernoulli', v, p: a / (a + b) });
  };
  const sums = (children: number[], count: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < count; j++) out.push(push({ kind: 'sum', children, weights: randomSimplex(keys.next(), children.length, pert) }));
    return out;
  };
  // K input nodes per variable, shared by every region and repetition (pyjuice `input_ns`).
  const inputs: number[][] = [];
  for (let v = 0; v < numVars; v++) {
    const ks: number[] = [];
    for (let k = 0; k < K; k++) ks.push(leaf(v));
    inputs.push(ks);
  }
  // Products of a region (before its sum layer).
  const regionProducts = (scope: number[], d: number): number[] => {
    if (d >= depth || scope.length < pieces) {
      if (scope.length === 1) return inputs[scope[0]!]!;
      const prods: number[] = [];
      for (let k = 0; k < K; k++) prods.push(push({ kind: 'product', children: scope.map((v) => inputs[v]![k]!) }));
      return prods;
    }
    const perm = permutation(keys.next(), scope.length);
    const shuffled = Array.from(perm, (i) => scope[i]!);
    // pyjuice: the first (len mod pieces) parts get one extra variable.
    const q = Math.floor(shuffled.length / pieces);
    const rem = shuffled.length % pieces;
    const parts: number[][] = [];
    let start = 0;
    for (let p = 0; p < pieces; p++) {
      const len = q + (p < rem ? 1 : 0);
      parts.push(shuffled.slice(start, start + len));
      start += len;
    }
    const vecs = parts.map((part) => sums(regionProducts(part, d + 1), K));
    const prods: number[] = [];
    if (mode === 'hadamard') {
      for (let k = 0; k < K; k++) prods.push(push({ kind: 'product', children: vecs.map((v) => v[k]!) }));
    } else {
      const idx = new Array<number>(pieces).fill(0);
      for (;;) {
        prods.push(push({ kind: 'product', children: vecs.map((v, p) => v[idx[p]!]!) }));
        let p = pieces - 1;
        while (p >= 0 && ++idx[p]! === K) idx[p--] = 0;
        if (p < 0) break;
      }
    }
    return prods;
  };
  const top: number[] = [];
  const all = Array.from({ length: numVars }, (_, i) => i);
  for (let r = 0; r < repetitions; r++) top.push(...regionProducts(all, 0));
  sums(top, 1);
  return { numVars, nodes };
}
