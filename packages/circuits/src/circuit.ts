import { DescentError } from '@descent/linalg';

/** An input node: a Bernoulli distribution over a binary variable, `p = P(x_v = 1)`. */
export interface BernoulliNode {
  readonly kind: 'bernoulli';
  readonly v: number;
  readonly p: number;
}
/** An input node: a categorical distribution over `theta.length` values of variable `v`. */
export interface CategoricalNode {
  readonly kind: 'categorical';
  readonly v: number;
  readonly theta: ArrayLike<number>;
}
/** An input node: a Gaussian density over a real variable; `sigma` is kept at least `minSigma` (default 0.01). */
export interface GaussianNode {
  readonly kind: 'gaussian';
  readonly v: number;
  readonly mu: number;
  readonly sigma: number;
  readonly minSigma?: number;
}
/** An input node: the indicator (literal) `[x_v = value]`; it has no parameters. */
export interface IndicatorNode {
  readonly kind: 'indicator';
  readonly v: number;
  readonly value: number;
}
/** A product node over children with pairwise-disjoint scopes. */
export interface ProductNode {
  readonly kind: 'product';
  readonly children: readonly number[];
}
/** A sum node: a mixture of children with equal scopes, weights on the simplex. */
export interface SumNode {
  readonly kind: 'sum';
  readonly children: readonly number[];
  readonly weights: ArrayLike<number>;
}
/** Any node of a circuit. */
export type CircuitNode = BernoulliNode | CategoricalNode | GaussianNode | IndicatorNode | ProductNode | SumNode;
/** The input (leaf) nodes. */
export type InputNode = BernoulliNode | CategoricalNode | GaussianNode | IndicatorNode;

/**
 * A probabilistic circuit as plain data: nodes listed children-first (every child index is smaller
 * than its parent's), the last node is the root, variables are `0..numVars-1`.
 * `cardinalities[v]` optionally fixes the number of values of a discrete variable (otherwise it is
 * inferred from its leaves: 2 for Bernoulli, `theta.length` for categorical, `value + 1` for indicators).
 */
export interface Circuit {
  readonly numVars: number;
  readonly nodes: readonly CircuitNode[];
  readonly cardinalities?: readonly number[];
}

/**
 * A Bernoulli input node.
 *
 * @example
 * ```ts
 * bernoulliNode(0, 0.3).p;
 * // 0.3
 * ```
 */
export function bernoulliNode(v: number, p: number): BernoulliNode {
  return { kind: 'bernoulli', v, p };
}

/**
 * A categorical input node.
 *
 * @example
 * ```ts
 * categoricalNode(1, [0.2, 0.8]).theta.length;
 * // 2
 * ```
 */
export function categoricalNode(v: number, theta: ArrayLike<number>): CategoricalNode {
  return { kind: 'categorical', v, theta };
}

/**
 * A Gaussian input node.
 *
 * @example
 * ```ts
 * gaussianNode(0, 0, 1).sigma;
 * // 1
 * ```
 */
export function gaussianNode(v: number, mu: number, sigma: number, minSigma = 0.01): GaussianNode {
  return { kind: 'gaussian', v, mu, sigma, minSigma };
}

/**
 * An indicator input node `[x_v = value]`.
 *
 * @example
 * ```ts
 * indicatorNode(2, 1).value;
 * // 1
 * ```
 */
export function indicatorNode(v: number, value: number): IndicatorNode {
  return { kind: 'indicator', v, value };
}

/**
 * A product node.
 *
 * @example
 * ```ts
 * productNode([0, 1]).children;
 * // [0, 1]
 * ```
 */
export function productNode(children: readonly number[]): ProductNode {
  return { kind: 'product', children };
}

/**
 * A sum node.
 *
 * @example
 * ```ts
 * sumNode([0, 1], [0.5, 0.5]).weights[0];
 * // 0.5
 * ```
 */
export function sumNode(children: readonly number[], weights: ArrayLike<number>): SumNode {
  return { kind: 'sum', children, weights };
}

/**
 * Tells whether a node is an input (leaf) node.
 *
 * @example
 * ```ts
 * isInput(bernoulliNode(0, 0.5));
 * // true
 * ```
 */
export function isInput(n: CircuitNode): n is InputNode {
  if (n === null || typeof n !== 'object') throw new DescentError('INVALID_CONFIG', 'isInput', `n must be a circuit node, got ${String(n)}`);
  return n.kind !== 'product' && n.kind !== 'sum';
}

/** @internal Throws INVALID_CONFIG unless `x` is an integer in [lo, hi). */
export function checkIndex(x: number, lo: number, hi: number, where: string, what: string): void {
  if (!Number.isInteger(x) || x < lo || x >= hi) {
    throw new DescentError('INVALID_CONFIG', where, `${what} = ${x} must be an integer in [${lo}, ${hi})`);
  }
}
