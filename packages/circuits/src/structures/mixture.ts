import { MAX_ELEMENTS, assertKnownKeys, DescentError, key as makeKey, uniform, type Key } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { KeyStream, randomSimplex } from './binary.js';

/**
 * A mixture of M fully factorized Bernoulli distributions over `numVars` binary variables: a root
 * sum over M products of Bernoulli leaves (M = 1: the fully factorized model). Random init as pyjuice.
 *
 * @example
 * ```ts
 * mixtureOfBernoullis(3, 2).nodes.length;
 * // 9
 * ```
 */
export function mixtureOfBernoullis(numVars: number, M: number, options: { key?: Key; perturbation?: number } = {}): Circuit {
  assertKnownKeys(options, ['key', 'perturbation'], 'mixtureOfBernoullis', 'options');
  if (!Number.isInteger(numVars) || numVars < 1) throw new DescentError('INVALID_CONFIG', 'mixtureOfBernoullis', `numVars = ${numVars} must be a positive integer`);
  if (!Number.isInteger(M) || M < 1) throw new DescentError('INVALID_CONFIG', 'mixtureOfBernoullis', `M = ${M} must be a positive integer`);
  if (numVars * M > MAX_ELEMENTS) throw new DescentError('INVALID_CONFIG', 'mixtureOfBernoullis', `numVars × M = ${numVars * M} is above the allocation limit of ${MAX_ELEMENTS}`);
  const pert = options.perturbation ?? 2;
  const keys = new KeyStream(options.key ?? makeKey(0));
  const nodes: CircuitNode[] = [];
  const prods: number[] = [];
  for (let m = 0; m < M; m++) {
    const leaves: number[] = [];
    for (let v = 0; v < numVars; v++) {
      const u = uniform(keys.next(), 2);
      const a = Math.exp(-pert * u[0]!);
      const b = Math.exp(-pert * u[1]!);
      nodes.push({ kind: 'bernoulli', v, p: a / (a + b) });
      leaves.push(nodes.length - 1);
    }
    if (numVars === 1) prods.push(leaves[0]!);
    else {
      nodes.push({ kind: 'product', children: leaves });
      prods.push(nodes.length - 1);
    }
  }
  nodes.push({ kind: 'sum', children: prods, weights: randomSimplex(keys.next(), M, pert) });
  return { numVars, nodes };
}
