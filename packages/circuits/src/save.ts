import { DescentError, deserialize, isDescentError, serialize, type SerializedState } from '@descent/linalg';
import type { Circuit, CircuitNode } from './circuit.js';
import { KIND, checkParams, compile, type CompiledCircuit } from './compile.js';

/** The version of the circuit layout inside a saved file; {@link loadCircuit} reads this version. */
export const CIRCUIT_FILE_VERSION = 1;

/** What {@link loadCircuit} returns: the circuit as plain nodes, compiled, and its parameters. */
export interface LoadedCircuit {
  readonly circuit: Circuit;
  readonly cc: CompiledCircuit;
  /** The saved parameters, in `cc`'s layout (bit-identical to the saved array). */
  readonly params: Float64Array;
}

// The saved layout: nodes in `circuit.nodes` order, children by those indices, parameters per node
// (sum weights, Bernoulli p, categorical theta, Gaussian mu and sigma) concatenated in that order.
interface Saved {
  version: number;
  numVars: number;
  cardinalities: Int32Array;
  kind: Uint8Array;
  variable: Int32Array;
  leafArg: Int32Array;
  minSigma: Float64Array;
  childPtr: Int32Array;
  child: Int32Array;
  params: Float64Array;
}

const KIND_NAME = ['bernoulli', 'categorical', 'gaussian', 'indicator', 'product', 'sum'] as const;

function paramCount(kind: number, children: number, leafArg: number): number {
  return kind === KIND.sum ? children : kind === KIND.bernoulli ? 1 : kind === KIND.categorical ? leafArg : kind === KIND.gaussian ? 2 : 0;
}

/**
 * Saves a trained circuit (structure and parameters) as a JSON string: a versioned `descent-state`
 * of kind `'circuit'` (see `@descent/linalg`'s `serialize`) whose arrays keep their exact bytes, so
 * {@link loadCircuit} gives back the parameters bit for bit. Nodes keep their indices in
 * `circuit.nodes`.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.25, 0.75])] });
 * const back = loadCircuit(saveCircuit(c, c.params));
 * [back.cc.numNodes, Array.from(nodeParams(back.cc, back.params, 2))];
 * // [3, [0.25, 0.75]]
 * ```
 */
export function saveCircuit(cc: CompiledCircuit, params: Float64Array): string {
  checkParams(cc, params, 'saveCircuit');
  return JSON.stringify(savedCircuit(cc, params));
}

/** The saved form of a circuit and parameters, unchecked (callers validate first). @internal */
export function savedCircuit(cc: CompiledCircuit, params: Float64Array): SerializedState {
  const N = cc.numNodes;
  const kind = new Uint8Array(N);
  const variable = new Int32Array(N);
  const leafArg = new Int32Array(N);
  const minSigma = new Float64Array(N);
  const childPtr = new Int32Array(N + 1);
  const child = new Int32Array(cc.child.length);
  const flat = new Float64Array(cc.numParams);
  let e = 0;
  let p = 0;
  for (let i = 0; i < N; i++) {
    const k = cc.compiledOf[i]!;
    const kd = cc.kind[k]!;
    kind[i] = kd;
    variable[i] = cc.variable[k]!;
    leafArg[i] = cc.leafArg[k]!;
    minSigma[i] = cc.minSigma[k]!;
    childPtr[i] = e;
    for (let c = cc.childPtr[k]!; c < cc.childPtr[k + 1]!; c++) child[e++] = cc.original[cc.child[c]!]!;
    const len = paramCount(kd, cc.childPtr[k + 1]! - cc.childPtr[k]!, cc.leafArg[k]!);
    const o = cc.paramPtr[k]!;
    for (let j = 0; j < len; j++) flat[p++] = params[o + j]!;
  }
  childPtr[N] = e;
  const saved: Saved = {
    version: CIRCUIT_FILE_VERSION, numVars: cc.numVars, cardinalities: Int32Array.from(cc.cardinality),
    kind, variable, leafArg, minSigma, childPtr, child, params: flat,
  };
  return serialize(saved, 'circuit');
}

/**
 * Loads a circuit saved by {@link saveCircuit} (the JSON string, or the parsed object) and compiles
 * it. Everything is validated: the file format and version, every array's type and length, node
 * kinds and child indices, then the structure and parameters as {@link compile} checks them. A bad
 * file is a `DescentError` with code `INVALID_STATE` naming what is wrong.
 *
 * @example
 * ```ts
 * let code = '';
 * try { loadCircuit('{"format":"descent-state","version":1,"kind":"adam","data":null}'); } catch (e) { code = (e as DescentError).code; }
 * code;
 * // 'INVALID_STATE'
 * ```
 */
export function loadCircuit(saved: string | SerializedState): LoadedCircuit {
  const where = 'loadCircuit';
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, msg);
  };
  let value: unknown = saved;
  if (typeof saved === 'string') {
    try {
      value = JSON.parse(saved);
    } catch (err) {
      fail(`not JSON (${(err as Error).message})`);
    }
  }
  const d = deserialize<Saved>(value, { kind: 'circuit', where });
  if (d === null || typeof d !== 'object') fail('data must be an object');
  if (d.version !== CIRCUIT_FILE_VERSION) fail(`unsupported circuit layout version ${JSON.stringify(d.version)} (this version reads ${CIRCUIT_FILE_VERSION})`);
  const numVars = d.numVars;
  if (!Number.isInteger(numVars) || numVars < 1) fail(`numVars = ${String(numVars)} must be a positive integer`);
  const N = (d.kind as unknown) instanceof Uint8Array ? d.kind.length : fail('kind must be a Uint8Array');
  const typed = (name: keyof Saved, type: Function, length: number): void => {
    const a = d[name] as unknown;
    if (!(a instanceof type)) fail(`${name} must be a ${type.name}`);
    if ((a as ArrayLike<number>).length !== length) fail(`${name} has ${(a as ArrayLike<number>).length} entries, expected ${length}`);
  };
  if (N < 1) fail('the circuit has no nodes');
  typed('cardinalities', Int32Array, numVars);
  typed('variable', Int32Array, N);
  typed('leafArg', Int32Array, N);
  typed('minSigma', Float64Array, N);
  typed('childPtr', Int32Array, N + 1);
  if (!((d.child as unknown) instanceof Int32Array)) fail('child must be an Int32Array');
  if (!((d.params as unknown) instanceof Float64Array)) fail('params must be a Float64Array');
  if (d.childPtr[0] !== 0 || d.childPtr[N] !== d.child.length) fail('childPtr does not span child');
  const nodes: CircuitNode[] = [];
  let p = 0;
  for (let i = 0; i < N; i++) {
    const kd = d.kind[i]!;
    if (kd >= KIND_NAME.length) fail(`node ${i} has unknown kind ${kd}`);
    const c0 = d.childPtr[i]!;
    const c1 = d.childPtr[i + 1]!;
    if (!(c0 <= c1)) fail(`childPtr decreases at node ${i}`);
    const len = paramCount(kd, c1 - c0, d.leafArg[i]!);
    if (!(len >= 0) || p + len > d.params.length) fail(`params are too short for node ${i}`);
    const v = d.variable[i]!;
    const theta = d.params.subarray(p, p + len);
    p += len;
    if (kd === KIND.product || kd === KIND.sum) {
      const children = Array.from(d.child.subarray(c0, c1));
      nodes.push(kd === KIND.sum ? { kind: 'sum', children, weights: theta } : { kind: 'product', children });
    } else if (c1 !== c0) fail(`input node ${i} has children`);
    else if (kd === KIND.bernoulli) nodes.push({ kind: 'bernoulli', v, p: theta[0]! });
    else if (kd === KIND.categorical) nodes.push({ kind: 'categorical', v, theta });
    else if (kd === KIND.gaussian) nodes.push({ kind: 'gaussian', v, mu: theta[0]!, sigma: theta[1]!, minSigma: d.minSigma[i]! });
    else nodes.push({ kind: 'indicator', v, value: d.leafArg[i]! });
  }
  if (p !== d.params.length) fail(`params has ${d.params.length} entries, the nodes use ${p}`);
  const circuit: Circuit = { numVars, nodes, cardinalities: Array.from(d.cardinalities) };
  let cc: CompiledCircuit;
  try {
    cc = compile(circuit);
  } catch (err) {
    if (isDescentError(err)) fail(`the saved circuit is invalid: ${err.message}`);
    throw err;
  }
  return { circuit, cc: cc!, params: cc!.params };
}
