import { describeValue, DescentError } from '@descent/linalg';
import { assertCompiled, registerCompiled } from './compiled-check.js';
import type { Circuit, CircuitNode } from './circuit.js';

/**
 * Node kinds in the compiled arrays (`CompiledCircuit.kind`).
 *
 * @example
 * ```ts
 * compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] }).kind[0] === KIND.bernoulli;
 * // true
 * ```
 */
export const KIND = { bernoulli: 0, categorical: 1, gaussian: 2, indicator: 3, product: 4, sum: 5 } as const;

/**
 * A circuit compiled to flat typed arrays (spec (a), (g)).
 *
 * Nodes are renumbered ("compiled ids") so that they are grouped in layers by height (inputs first,
 * root last), and sum nodes with identical child lists are contiguous: such a **sum group** is a dense
 * block `G × k` of weights evaluated as `log(W · exp(L_children - max)) + max`, which is what makes
 * HCLT and RAT-SPN fast. Work arrays are node-major with the batch contiguous (`L[node * B + b]`).
 *
 * Parameters live in one `Float64Array`: first the weights of every sum node (a contiguous slice per
 * node, in compiled order, aligned with its children), then the input-node parameters (Bernoulli `p`;
 * categorical `theta`; Gaussian `mu, sigma`). `paramPtr[i]` is node i's slice start.
 */
export interface CompiledCircuit {
  readonly numVars: number;
  readonly numNodes: number;
  /** Input nodes are compiled ids `0..numLeaves-1`. */
  readonly numLeaves: number;
  /** {@link KIND} per compiled node. */
  readonly kind: Uint8Array;
  /** Variable of an input node, -1 otherwise. */
  readonly variable: Int32Array;
  /** Categorical: number of categories; indicator: its value; 0 otherwise. */
  readonly leafArg: Int32Array;
  /** Gaussian: the lower bound on sigma; 0 otherwise. */
  readonly minSigma: Float64Array;
  /** CSR children of every node (compiled ids). */
  readonly childPtr: Int32Array;
  readonly child: Int32Array;
  /** Start of a node's parameter slice in the parameter array, -1 if it has none. */
  readonly paramPtr: Int32Array;
  /** Start of an input node's sufficient statistics in `leafStats`, -1 if none. */
  readonly statPtr: Int32Array;
  readonly numParams: number;
  /** Sum weights occupy `params[0..numSumParams)`; edge flows use the same indexing. */
  readonly numSumParams: number;
  readonly numStats: number;
  /** Node ranges of the layers (by height). */
  readonly layerPtr: Int32Array;
  /** Sum group of a compiled node, -1 for non-sums. */
  readonly groupOf: Int32Array;
  readonly numGroups: number;
  /** First compiled id and number of sum nodes in each group. */
  readonly groupFirst: Int32Array;
  readonly groupSize: Int32Array;
  /** CSR children of each group (shared by its members). */
  readonly groupChildPtr: Int32Array;
  readonly groupChild: Int32Array;
  /** Number of values of each variable (0 for a real variable). */
  readonly cardinality: Int32Array;
  /** Compiled id → index in `circuit.nodes`, and back. */
  readonly original: Int32Array;
  readonly compiledOf: Int32Array;
  /** CSR of the input nodes of each variable (compiled ids). */
  readonly varLeafPtr: Int32Array;
  readonly varLeaf: Int32Array;
  /** The parameters written in the circuit's nodes, validated. */
  readonly params: Float64Array;
}

const kindName = ['bernoulli', 'categorical', 'gaussian', 'indicator', 'product', 'sum'];

/**
 * Validates a circuit (DAG children-first, smooth, decomposable, root covers every variable, every
 * node reachable, parameters valid) and compiles it to layers over flat typed arrays.
 * Errors name the offending node by its index in `circuit.nodes`.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.5, 0.5])] });
 * c.numSumParams;
 * // 2
 * ```
 */
export function compile(circuit: Circuit): CompiledCircuit {
  const where = 'compile';
  if (circuit === null || typeof circuit !== 'object' || !Array.isArray(circuit.nodes)) {
    throw new DescentError('INVALID_CONFIG', where, 'circuit must be { numVars, nodes }');
  }
  const nodes = circuit.nodes as readonly CircuitNode[];
  const numVars = circuit.numVars;
  if (!Number.isInteger(numVars) || numVars < 1) throw new DescentError('INVALID_CONFIG', where, `numVars must be a positive integer, got ${numVars}`);
  const N = nodes.length;
  if (N === 0) throw new DescentError('INVALID_CONFIG', where, 'circuit has no nodes');
  // Each variable needs an input node under the root: more variables than nodes cannot compile, and
  // the per-variable arrays must not be allocated for a huge numVars.
  if (numVars > N) throw new DescentError('INVALID_CONFIG', where, `numVars = ${numVars} exceeds the number of nodes (${N}): variable ${N} and above can have no input node`);

  // --- variables: kind (real / discrete) and cardinality
  const card = new Int32Array(numVars).fill(-1); // -1 unknown, 0 real
  const cardFixed = new Uint8Array(numVars);
  if (circuit.cardinalities !== undefined) {
    if (circuit.cardinalities.length !== numVars) throw new DescentError('SHAPE_MISMATCH', where, `cardinalities has ${circuit.cardinalities.length} entries for ${numVars} variables`);
    for (let v = 0; v < numVars; v++) {
      const c = circuit.cardinalities[v]!;
      if (!Number.isInteger(c) || c < 0 || c === 1) throw new DescentError('INVALID_CONFIG', where, `cardinalities[${v}] = ${c} must be 0 (real) or an integer >= 2`);
      card[v] = c;
      cardFixed[v] = 1;
    }
  }
  const words = (numVars + 31) >>> 5;
  const scope = new Uint32Array(N * words);
  const height = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const n = nodes[i]!;
    const at = `${where}: node ${i} (${n?.kind})`;
    switch (n?.kind) {
      case 'bernoulli':
      case 'categorical':
      case 'gaussian':
      case 'indicator': {
        if (!Number.isInteger(n.v) || n.v < 0 || n.v >= numVars) throw new DescentError('INVALID_CONFIG', at, `variable ${n.v} is not in [0, ${numVars})`);
        let c: number;
        if (n.kind === 'bernoulli') c = 2;
        else if (n.kind === 'categorical') {
          if (n.theta === null || typeof n.theta !== 'object' || n.theta.length < 1) throw new DescentError('INVALID_CONFIG', at, 'theta must be a non-empty array');
          c = n.theta.length;
        } else if (n.kind === 'gaussian') c = 0;
        else {
          if (!Number.isInteger(n.value) || n.value < 0) throw new DescentError('INVALID_CONFIG', at, `indicator value ${n.value} must be a non-negative integer`);
          c = Math.max(2, n.value + 1);
        }
        const prev = card[n.v]!;
        if (!cardFixed[n.v]) {
          if (prev === -1) card[n.v] = c;
          else if ((prev === 0) !== (c === 0)) throw new DescentError('INVALID_CONFIG', at, `variable ${n.v} mixes real (Gaussian) and discrete input nodes`);
          else if (c > prev) card[n.v] = c;
        }
        scope[i * words + (n.v >>> 5)] = 1 << (n.v & 31);
        height[i] = 0;
        break;
      }
      case 'product':
      case 'sum': {
        const ch = n.children;
        if (!Array.isArray(ch) || ch.length === 0) throw new DescentError('INVALID_CONFIG', at, 'needs at least one child');
        if (n.kind === 'sum' && (n.weights === null || typeof n.weights !== 'object' || n.weights.length !== ch.length)) {
          throw new DescentError('SHAPE_MISMATCH', at, `has ${ch.length} children but ${n.weights?.length} weights`);
        }
        let h = 0;
        for (let j = 0; j < ch.length; j++) {
          const c = ch[j]!;
          if (!Number.isInteger(c) || c < 0 || c >= i) throw new DescentError('INVALID_CONFIG', at, `child ${c} is not an earlier node (list nodes children-first)`);
          if (height[c]! + 1 > h) h = height[c]! + 1;
          if (n.kind === 'product') {
            for (let w = 0; w < words; w++) {
              if ((scope[i * words + w]! & scope[c * words + w]!) !== 0) {
                throw new DescentError('INVALID_CONFIG', at, `not decomposable: child ${c} shares variable ${firstBit(scope[i * words + w]! & scope[c * words + w]!) + 32 * w} with an earlier child`);
              }
              scope[i * words + w] = scope[i * words + w]! | scope[c * words + w]!;
            }
          } else if (j === 0) {
            for (let w = 0; w < words; w++) scope[i * words + w] = scope[c * words + w]!;
          } else {
            for (let w = 0; w < words; w++) {
              if (scope[i * words + w] !== scope[c * words + w]) {
                throw new DescentError('INVALID_CONFIG', at, `not smooth: child ${c} has a different scope than child ${ch[0]} (variable ${firstBit(scope[i * words + w]! ^ scope[c * words + w]!) + 32 * w})`);
              }
            }
          }
        }
        height[i] = h;
        break;
      }
      default:
        throw new DescentError('INVALID_CONFIG', `${where}: node ${i}`, `unknown node kind ${(n as { kind?: unknown })?.kind}`);
    }
  }
  // Every input node must fit its variable's domain.
  for (let i = 0; i < N; i++) {
    const n = nodes[i]!;
    if (n.kind === 'product' || n.kind === 'sum') continue;
    const c = card[n.v]!;
    const at = `${where}: node ${i} (${n.kind})`;
    const ok = n.kind === 'gaussian' ? c === 0 : n.kind === 'bernoulli' ? c === 2 : n.kind === 'categorical' ? c === n.theta.length : c > n.value;
    if (!ok) throw new DescentError('INVALID_CONFIG', at, `does not fit variable ${n.v}, which has ${c === 0 ? 'real values' : `${c} values`}`);
  }
  const root = N - 1;
  for (let v = 0; v < numVars; v++) {
    if (card[v] === -1) throw new DescentError('INVALID_CONFIG', where, `variable ${v} has no input node`);
    if ((scope[root * words + (v >>> 5)]! & (1 << (v & 31))) === 0) throw new DescentError('INVALID_CONFIG', where, `the root (node ${root}) does not cover variable ${v}`);
  }
  // Reachability from the root.
  const reach = new Uint8Array(N);
  reach[root] = 1;
  for (let i = root; i >= 0; i--) {
    if (!reach[i]) throw new DescentError('INVALID_CONFIG', `${where}: node ${i}`, 'is not reachable from the root (the last node)');
    const n = nodes[i]!;
    if (n.kind === 'product' || n.kind === 'sum') for (const c of n.children) reach[c] = 1;
  }

  // --- order: by height; sums of one height grouped by identical child lists
  let maxH = 0;
  for (let i = 0; i < N; i++) if (height[i]! > maxH) maxH = height[i]!;
  const byHeight: number[][] = Array.from({ length: maxH + 1 }, () => []);
  for (let i = 0; i < N; i++) byHeight[height[i]!]!.push(i);
  const original = new Int32Array(N);
  const layerPtr = new Int32Array(maxH + 2);
  const groupKeys: string[] = [];
  const groupMembers: number[][] = [];
  let pos = 0;
  for (let h = 0; h <= maxH; h++) {
    layerPtr[h] = pos;
    const groupIndex = new Map<string, number>();
    const layerGroups: number[][] = [];
    for (const i of byHeight[h]!) {
      const n = nodes[i]!;
      if (n.kind !== 'sum') original[pos++] = i;
      else {
        const key = n.children.join(',');
        let g = groupIndex.get(key);
        if (g === undefined) {
          g = layerGroups.length;
          groupIndex.set(key, g);
          layerGroups.push([]);
          groupKeys.push(key);
        }
        layerGroups[g]!.push(i);
      }
    }
    for (const members of layerGroups) {
      groupMembers.push(members);
      for (const i of members) original[pos++] = i;
    }
  }
  layerPtr[maxH + 1] = pos;
  // The root must stay last: it is the only node of the top layer.
  if (original[N - 1] !== root) {
    // Another node of maximal height exists: that node cannot reach the root, already rejected above.
    throw new DescentError('INVALID_CONFIG', where, 'internal: root is not the last compiled node');
  }
  const compiledOf = new Int32Array(N);
  for (let k = 0; k < N; k++) compiledOf[original[k]!] = k;

  // --- flat arrays
  const kind = new Uint8Array(N);
  const variable = new Int32Array(N).fill(-1);
  const leafArg = new Int32Array(N);
  const minSigma = new Float64Array(N);
  const childPtr = new Int32Array(N + 1);
  const paramPtr = new Int32Array(N).fill(-1);
  const statPtr = new Int32Array(N).fill(-1);
  let numEdges = 0;
  let numLeaves = 0;
  let numSumParams = 0;
  for (let k = 0; k < N; k++) {
    const n = nodes[original[k]!]!;
    kind[k] = KIND[n.kind];
    if (n.kind === 'product' || n.kind === 'sum') numEdges += n.children.length;
    else numLeaves++;
    if (n.kind === 'sum') numSumParams += n.children.length;
  }
  const child = new Int32Array(numEdges);
  let e = 0;
  let p = 0;
  let numParams = numSumParams;
  let numStats = 0;
  for (let k = 0; k < N; k++) {
    const n = nodes[original[k]!]!;
    childPtr[k] = e;
    if (n.kind === 'product' || n.kind === 'sum') {
      if (n.kind === 'sum') {
        paramPtr[k] = p;
        p += n.children.length;
      }
      for (const c of n.children) child[e++] = compiledOf[c]!;
    } else {
      variable[k] = n.v;
      if (n.kind === 'bernoulli') {
        paramPtr[k] = numParams;
        numParams += 1;
        statPtr[k] = numStats;
        numStats += 2;
      } else if (n.kind === 'categorical') {
        leafArg[k] = n.theta.length;
        paramPtr[k] = numParams;
        numParams += n.theta.length;
        statPtr[k] = numStats;
        numStats += n.theta.length;
      } else if (n.kind === 'gaussian') {
        const ms = n.minSigma ?? 0.01;
        if (!(ms > 0) || !Number.isFinite(ms)) throw new DescentError('INVALID_CONFIG', `${where}: node ${original[k]} (gaussian)`, `minSigma must be positive, got ${ms}`);
        minSigma[k] = ms;
        paramPtr[k] = numParams;
        numParams += 2;
        statPtr[k] = numStats;
        numStats += 3;
      } else {
        leafArg[k] = n.value;
      }
    }
  }
  childPtr[N] = e;

  // --- sum groups
  const numGroups = groupMembers.length;
  const groupOf = new Int32Array(N).fill(-1);
  const groupFirst = new Int32Array(numGroups);
  const groupSize = new Int32Array(numGroups);
  const groupChildPtr = new Int32Array(numGroups + 1);
  let gc = 0;
  for (let g = 0; g < numGroups; g++) gc += nodes[groupMembers[g]![0]!]!.kind === 'sum' ? (nodes[groupMembers[g]![0]!] as { children: readonly number[] }).children.length : 0;
  const groupChild = new Int32Array(gc);
  gc = 0;
  for (let g = 0; g < numGroups; g++) {
    const members = groupMembers[g]!;
    groupFirst[g] = compiledOf[members[0]!]!;
    groupSize[g] = members.length;
    for (const i of members) groupOf[compiledOf[i]!] = g;
    groupChildPtr[g] = gc;
    for (const c of (nodes[members[0]!] as { children: readonly number[] }).children) groupChild[gc++] = compiledOf[c]!;
  }
  groupChildPtr[numGroups] = gc;

  // --- input nodes per variable
  const varLeafPtr = new Int32Array(numVars + 1);
  for (let k = 0; k < numLeaves; k++) varLeafPtr[variable[k]! + 1]++;
  for (let v = 0; v < numVars; v++) varLeafPtr[v + 1] += varLeafPtr[v]!;
  const varLeaf = new Int32Array(numLeaves);
  const fill = varLeafPtr.slice(0, numVars);
  for (let k = 0; k < numLeaves; k++) varLeaf[fill[variable[k]!]!++] = k;

  // --- parameters as written in the nodes
  const params = new Float64Array(numParams);
  for (let k = 0; k < N; k++) {
    const n = nodes[original[k]!]!;
    const o = paramPtr[k]!;
    if (n.kind === 'sum') for (let j = 0; j < n.weights.length; j++) params[o + j] = n.weights[j]!;
    else if (n.kind === 'bernoulli') params[o] = n.p;
    else if (n.kind === 'categorical') for (let j = 0; j < n.theta.length; j++) params[o + j] = n.theta[j]!;
    else if (n.kind === 'gaussian') {
      params[o] = n.mu;
      params[o + 1] = n.sigma;
    }
  }
  const cc: CompiledCircuit = {
    numVars, numNodes: N, numLeaves, kind, variable, leafArg, minSigma, childPtr, child, paramPtr, statPtr,
    numParams, numSumParams, numStats, layerPtr, groupOf, numGroups, groupFirst, groupSize, groupChildPtr, groupChild,
    cardinality: card, original, compiledOf, varLeafPtr, varLeaf, params,
  };
  registerCompiled(cc);
  checkParams(cc, params, where);
  return cc;
}

function firstBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Absolute tolerance on `|sum - 1|` for a parameter slice given by a caller (the learners themselves
 * keep every slice within 1e-12).
 *
 * @example
 * ```ts
 * SIMPLEX_TOLERANCE;
 * // 1e-9
 * ```
 */
export const SIMPLEX_TOLERANCE = 1e-9;

/**
 * Throws unless `params` is a valid parameter array for `cc`: right length, finite, every sum slice
 * and categorical on the simplex (within {@link SIMPLEX_TOLERANCE}), Bernoulli `p` in [0, 1],
 * Gaussian `sigma >= minSigma`. The error names the node (its index in `circuit.nodes`).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * let code = '';
 * try { checkParams(c, new Float64Array([1.5]), 'f'); } catch (e) { code = (e as DescentError).code; }
 * code;
 * // 'DOMAIN'
 * ```
 */
export function checkParams(cc: CompiledCircuit, params: Float64Array, where: string): void {
  assertCompiled(cc, where);
  if (!(params instanceof Float64Array) || params.length !== cc.numParams) {
    throw new DescentError('SHAPE_MISMATCH', where, `params must be a Float64Array of length ${cc.numParams}, got ${(params as { length?: number })?.length}`);
  }
  for (let k = 0; k < cc.numNodes; k++) {
    const kd = cc.kind[k]!;
    const o = cc.paramPtr[k]!;
    if (o < 0) continue;
    const at = `${where}: node ${cc.original[k]} (${kindName[kd]})`;
    if (kd === KIND.sum || kd === KIND.categorical) {
      const len = kd === KIND.sum ? cc.childPtr[k + 1]! - cc.childPtr[k]! : cc.leafArg[k]!;
      let s = 0;
      for (let j = 0; j < len; j++) {
        const w = params[o + j]!;
        if (w - w !== 0) throw new DescentError('NON_FINITE', at, `weight ${j} is ${w}`);
        if (w < 0) throw new DescentError('DOMAIN', at, `weight ${j} = ${w} is negative (off the simplex)`);
        s += w;
      }
      if (Math.abs(s - 1) > SIMPLEX_TOLERANCE) throw new DescentError('DOMAIN', at, `weights sum to ${s}, not 1 (off the simplex)`);
    } else if (kd === KIND.bernoulli) {
      const q = params[o]!;
      if (!(q >= 0 && q <= 1)) throw new DescentError(q - q !== 0 ? 'NON_FINITE' : 'DOMAIN', at, `p = ${q} is not in [0, 1]`);
    } else if (kd === KIND.gaussian) {
      const mu = params[o]!;
      const s = params[o + 1]!;
      if (mu - mu !== 0 || s - s !== 0) throw new DescentError('NON_FINITE', at, `mu = ${mu}, sigma = ${s}`);
      if (!(s >= cc.minSigma[k]!)) throw new DescentError('DOMAIN', at, `sigma = ${s} is below minSigma = ${cc.minSigma[k]}`);
    }
  }
}

/**
 * The parameter slice of a node (by its index in `circuit.nodes`): a sum node's weights, a
 * categorical's `theta`, a Bernoulli's `[p]`, a Gaussian's `[mu, sigma]`; empty for products and
 * indicators. A view into `params`, not a copy.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.3, 0.7])] });
 * Array.from(nodeParams(c, c.params, 2));
 * // [0.3, 0.7]
 * ```
 */
export function nodeParams(cc: CompiledCircuit, params: Float64Array, node: number): Float64Array {
  assertCompiled(cc, 'nodeParams');
  if (!(params instanceof Float64Array) || params.length !== cc.numParams) {
    throw new DescentError('SHAPE_MISMATCH', 'nodeParams', `params must be a Float64Array of length ${cc.numParams}, got ${describeValue(params)}`);
  }
  if (!Number.isInteger(node) || node < 0 || node >= cc.numNodes) throw new DescentError('INVALID_CONFIG', 'nodeParams', `node ${node} is not in [0, ${cc.numNodes})`);
  const k = cc.compiledOf[node]!;
  const o = cc.paramPtr[k]!;
  if (o < 0) return params.subarray(0, 0);
  const kd = cc.kind[k]!;
  const len = kd === KIND.sum ? cc.childPtr[k + 1]! - cc.childPtr[k]! : kd === KIND.categorical ? cc.leafArg[k]! : kd === KIND.gaussian ? 2 : 1;
  return params.subarray(o, o + len);
}
