import fc from 'fast-check';
import { foldIn, key, uniform, type Matrix } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { categoricalData } from '../categorical.js';
import { compile, type CompiledCircuit } from '../compile.js';
import { chowLiuCircuit } from '../structures/chowLiu.js';
import { hclt } from '../structures/hclt.js';
import { hcltMixture } from '../structures/hcltMixture.js';
import { mixtureOfBernoullis } from '../structures/mixture.js';
import { ratSpn } from '../structures/ratSpn.js';

/** The structure families the laws draw from. */
export type Family = 'mixture' | 'hclt' | 'hcltMixture' | 'ratSpnHadamard' | 'ratSpnOuter' | 'chowLiu' | 'categoricalMixture' | 'categoricalHclt' | 'gaussianMixture';

/**
 * The discrete families (brute-force enumerable).
 *
 * @example
 * ```ts
 * DISCRETE_FAMILIES.includes('hclt');
 * // true
 * ```
 */
export const DISCRETE_FAMILIES: readonly Family[] = ['mixture', 'hclt', 'hcltMixture', 'ratSpnHadamard', 'ratSpnOuter', 'chowLiu', 'categoricalMixture', 'categoricalHclt'];

/** A random small circuit with random data (a law's input). */
export interface CircuitCase {
  readonly family: Family;
  readonly circuit: Circuit;
  readonly cc: CompiledCircuit;
  /** `rows` random rows in the variables' domains. */
  readonly data: Matrix;
  readonly seed: number;
}

/**
 * Random data in each variable's domain (discrete: uniform; real: standard normal-ish via uniforms).
 *
 * @example
 * ```ts
 * randomData(compile(mixtureOfBernoullis(2, 1)), 3, 0).rows;
 * // 3
 * ```
 */
export function randomData(cc: CompiledCircuit, rows: number, seed: number): Matrix {
  const u = uniform(foldIn(key(seed), 7), rows * cc.numVars);
  const x = new Float64Array(rows * cc.numVars);
  for (let i = 0; i < x.length; i++) {
    const c = cc.cardinality[i % cc.numVars]!;
    x[i] = c > 0 ? Math.floor(u[i]! * c) : 4 * u[i]! - 2;
  }
  return { rows, cols: cc.numVars, data: x };
}

/**
 * Builds a circuit of a family over n variables from a seed.
 *
 * @example
 * ```ts
 * buildCircuit('hclt', 3, 1).numVars;
 * // 3
 * ```
 */
export function buildCircuit(family: Family, n: number, seed: number): Circuit {
  const k = key(seed);
  const K = 1 + (seed % 3);
  switch (family) {
    case 'mixture':
      return mixtureOfBernoullis(n, K, { key: k });
    case 'ratSpnHadamard':
    case 'ratSpnOuter':
      return ratSpn(n, { K, depth: 1 + (seed % 2), repetitions: 1 + ((seed >> 2) % 2), productMode: family === 'ratSpnHadamard' ? 'hadamard' : 'outer', key: k });
    case 'hclt':
    case 'hcltMixture':
    case 'chowLiu': {
      const u = uniform(foldIn(k, 1), 40 * n);
      // Correlated binary data: each column copies its left neighbour with probability 0.8.
      const x = new Float64Array(40 * n);
      for (let r = 0; r < 40; r++) {
        for (let v = 0; v < n; v++) {
          const flip = u[r * n + v]!;
          x[r * n + v] = v === 0 ? (flip < 0.5 ? 1 : 0) : flip < 0.8 ? x[r * n + v - 1]! : 1 - x[r * n + v - 1]!;
        }
      }
      const data = { rows: 40, cols: n, data: x };
      if (family === 'hcltMixture') return hcltMixture(data, { K: K + 1, trees: 2 + (seed % 2), init: seed % 4 < 2 ? 'juice' : 'pyjuice', key: k });
      return family === 'hclt' ? hclt(data, { K: K + 1, key: k }) : chowLiuCircuit(data, { alpha: 0.5 });
    }
    case 'categoricalHclt': {
      // Correlated categorical data (2 to 4 values per column): each column copies its left
      // neighbour (modulo its own number of values) with probability 0.7, else draws uniformly.
      const cards = Array.from({ length: n }, (_, v) => 2 + ((seed + v) % 3));
      const u = uniform(foldIn(k, 3), 80 * n);
      const rows: number[][] = [];
      for (let r = 0; r < 40; r++) {
        const row: number[] = [];
        for (let v = 0; v < n; v++) {
          const a = u[2 * (r * n + v)]!;
          const b = u[2 * (r * n + v) + 1]!;
          row.push(v > 0 && a < 0.7 ? row[v - 1]! % cards[v]! : Math.floor(b * cards[v]!));
        }
        rows.push(row);
      }
      const data = categoricalData(rows, cards);
      // Odd seeds: a mixture of HCLTs; even: one HCLT; every third: a Chow–Liu circuit.
      if (seed % 3 === 2) return chowLiuCircuit(data, { alpha: 0.5 });
      return seed % 2 === 1 ? hcltMixture(data, { K: K + 1, trees: 2, init: 'juice', key: k }) : hclt(data, { K: K + 1, key: k });
    }
    case 'categoricalMixture':
    case 'gaussianMixture': {
      const nodes: CircuitNode[] = [];
      const prods: number[] = [];
      const u = uniform(foldIn(k, 2), 8 * n * (K + 1) + K);
      let q = 0;
      const cards = Array.from({ length: n }, (_, v) => 2 + ((seed + v) % 2));
      for (let m = 0; m < K + 1; m++) {
        const leaves: number[] = [];
        for (let v = 0; v < n; v++) {
          if (family === 'gaussianMixture') nodes.push({ kind: 'gaussian', v, mu: 2 * u[q++]! - 1, sigma: 0.5 + u[q++]!, minSigma: 1e-3 });
          else {
            const th = Array.from({ length: cards[v]! }, () => 0.05 + u[q++]!);
            const s = th.reduce((a, b) => a + b, 0);
            nodes.push({ kind: 'categorical', v, theta: th.map((t) => t / s) });
          }
          leaves.push(nodes.length - 1);
        }
        if (n === 1) prods.push(leaves[0]!);
        else {
          nodes.push({ kind: 'product', children: leaves });
          prods.push(nodes.length - 1);
        }
      }
      const w = prods.map(() => 0.1 + u[q++]!);
      const s = w.reduce((a, b) => a + b, 0);
      nodes.push({ kind: 'sum', children: prods, weights: w.map((t) => t / s) });
      return { numVars: n, nodes };
    }
  }
}

/**
 * An arbitrary {@link CircuitCase}: family, 1..maxVars variables, a seed, 1..maxRows data rows.
 *
 * @example
 * ```ts
 * fc.sample(arbitraryCircuitCase(), 1)[0]!.cc.numVars >= 1;
 * // true
 * ```
 */
export function arbitraryCircuitCase(options: { families?: readonly Family[]; maxVars?: number; maxRows?: number; minVars?: number } = {}): fc.Arbitrary<CircuitCase> {
  const families = options.families ?? DISCRETE_FAMILIES;
  return fc
    .record({
      family: fc.constantFrom(...families),
      n: fc.integer({ min: options.minVars ?? 1, max: options.maxVars ?? 5 }),
      seed: fc.integer({ min: 0, max: 1 << 20 }),
      rows: fc.integer({ min: 1, max: options.maxRows ?? 12 }),
    })
    .map(({ family, n, seed, rows }) => {
      const circuit = buildCircuit(family, n, seed);
      const cc = compile(circuit);
      return { family, circuit, cc, data: randomData(cc, rows, seed), seed };
    });
}

/**
 * Every joint state of the (discrete) variables, one per row, in lexicographic order.
 *
 * @example
 * ```ts
 * allStates(compile(mixtureOfBernoullis(2, 1))).rows;
 * // 4
 * ```
 */
export function allStates(cc: CompiledCircuit): Matrix {
  const n = cc.numVars;
  let total = 1;
  for (let v = 0; v < n; v++) total *= cc.cardinality[v]!;
  const x = new Float64Array(total * n);
  const cur = new Array<number>(n).fill(0);
  for (let r = 0; r < total; r++) {
    for (let v = 0; v < n; v++) x[r * n + v] = cur[v]!;
    for (let v = n - 1; v >= 0; v--) {
      if (++cur[v]! < cc.cardinality[v]!) break;
      cur[v] = 0;
    }
  }
  return { rows: total, cols: n, data: x };
}
