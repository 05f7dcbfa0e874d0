import { DescentError, foldIn, key as makeKey, uniform, type Key, type Matrix } from '@descent/linalg';
import type { Circuit, CircuitNode } from '../circuit.js';
import { gatherRows } from '../debd.js';
import { KeyStream } from './binary.js';
import { chowLiuTree, type VariableTree } from './chowLiu.js';
import { assertVariableTree, hcltInto, initOf, withDataCardinalities, type HcltOptions } from './hclt.js';


// Each tree is a Chow–Liu fit of a resample (O(rows × vars²)): a bound that keeps a typo from running for ever.
const MAX_TREES = 2 ** 16;

/** Options of {@link hcltMixture}: those of `hclt` plus the number of trees. */
export interface HcltMixtureOptions extends HcltOptions {
  /** Number of HCLTs (trees) in the mixture; default 4 (the published setup). */
  readonly trees?: number;
}

/**
 * Trees of a mixture of HCLTs: the Chow–Liu tree of the data, then `trees − 1` Chow–Liu trees of
 * bootstrap resamples of the rows (row r of resample t drawn from `foldIn(key, t)`).
 *
 * @example
 * ```ts
 * bootstrapTrees(fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0]]), 3, key(0)).length;
 * // 3
 * ```
 */
export function bootstrapTrees(data: Matrix, trees: number, k: Key, miAlpha = 0.1): VariableTree[] {
  if (!Number.isInteger(trees) || trees < 1 || trees > MAX_TREES) throw new DescentError('INVALID_CONFIG', 'bootstrapTrees', `trees = ${trees} must be an integer from 1 to ${MAX_TREES}`);
  const out: VariableTree[] = [chowLiuTree(data, { alpha: miAlpha })];
  for (let t = 1; t < trees; t++) {
    const u = uniform(foldIn(k, t), data.rows);
    const rows = Int32Array.from(u, (x) => Math.min(data.rows - 1, Math.floor(x * data.rows)));
    out.push(chowLiuTree(gatherRows(data, rows), { alpha: miAlpha }));
  }
  return out;
}

/**
 * A mixture of HCLTs (Liu & Van den Broeck 2021's structure, "HCLT" in their tables with 4 trees):
 * one HCLT per tree of {@link bootstrapTrees} (resamples drawn from `foldIn(key, 0)`; each with its own latents and Bernoulli inputs), and
 * a single root sum over the root products of all of them (trees·K children). With `init: 'juice'`
 * and perturbation 0.4 this is the published initialisation (uniform + perturbation).
 *
 * @example
 * ```ts
 * const c = compile(hcltMixture(fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0]]), { K: 2, trees: 3, init: 'juice' }));
 * c.childPtr[c.numNodes] - c.childPtr[c.numNodes - 1];
 * // 6
 * ```
 */
export function hcltMixture(data: Matrix, options: HcltMixtureOptions): Circuit {
  const where = 'hcltMixture';
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options { K, trees? } are required');
  const trees = options.trees ?? 4;
  if (!Number.isInteger(trees) || trees < 1 || trees > MAX_TREES) throw new DescentError('INVALID_CONFIG', where, `trees = ${trees} must be an integer from 1 to ${MAX_TREES}`);
  const k = options.key ?? makeKey(0);
  const forest = bootstrapTrees(data, trees, foldIn(k, 0), options.miAlpha ?? 0.1);
  return hcltMixtureFromTrees(forest, withDataCardinalities(options, data));
}

/**
 * The mixture of HCLTs over given trees (see {@link hcltMixture}).
 *
 * @example
 * ```ts
 * const t = { parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([1, 0]) };
 * hcltMixtureFromTrees([t, t], { K: 2 }).nodes.length;
 * // 13
 * ```
 */
export function hcltMixtureFromTrees(trees: readonly VariableTree[], options: HcltOptions): Circuit {
  const where = 'hcltMixture';
  if (!Array.isArray(trees) || trees.length < 1) throw new DescentError('INVALID_CONFIG', where, 'needs at least one tree');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, `options must be a plain object, got ${String(options)}`);
  for (const tree of trees) assertVariableTree(tree, where);
  const n = trees[0]!.parent.length;
  const k = options.key ?? makeKey(0);
  const nodes: CircuitNode[] = [];
  const roots: number[] = [];
  trees.forEach((tree, t) => {
    if (tree.parent.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `tree ${t} has ${tree.parent.length} variables, tree 0 has ${n}`);
    roots.push(...hcltInto(nodes, tree, options, where, new KeyStream(foldIn(k, t + 1))));
  });
  nodes.push({ kind: 'sum', children: roots, weights: initOf(options, where)(foldIn(k, trees.length + 1), roots.length) });
  return { numVars: n, nodes };
}
