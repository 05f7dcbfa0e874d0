// Whether a value is a compiled circuit, checked at every public function that takes one: callers
// without TypeScript (or with an edited copy) must get a DescentError, not a crash or an endless loop
// deep in the engine.
import { DescentError, describeValue, isDescentError, MAX_ELEMENTS } from '@descent/linalg';
import type { CompiledCircuit } from './compile.js';
import { loadCircuit, savedCircuit } from './save.js';

// Circuits returned by compile (registered there) or already checked here: checked once, then O(1).
const KNOWN = new WeakSet<object>();

/** Registers a circuit that compile has just built. @internal */
export function registerCompiled(cc: CompiledCircuit): void {
  KNOWN.add(cc);
}

/**
 * Throws `INVALID_CONFIG` unless `cc` is a compiled circuit: one returned by `compile` or
 * `loadCircuit`, or a copy of one (a structured clone, a deserialized learner state) that compiles
 * again to exactly itself. A copy is checked once, in O(size), and remembered. @internal
 */
export function assertCompiled(cc: unknown, where: string, what = 'cc'): asserts cc is CompiledCircuit {
  if (cc !== null && typeof cc === 'object' && KNOWN.has(cc)) return;
  if (!shapeOk(cc) || !recompiles(cc as CompiledCircuit)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a compiled circuit (from compile or loadCircuit, unmodified), got ${describeValue(cc)}`);
  }
  KNOWN.add(cc as object);
}

const ARRAYS: readonly [keyof CompiledCircuit, Function][] = [
  ['kind', Uint8Array], ['variable', Int32Array], ['leafArg', Int32Array], ['minSigma', Float64Array], ['childPtr', Int32Array], ['child', Int32Array],
  ['paramPtr', Int32Array], ['original', Int32Array], ['compiledOf', Int32Array], ['cardinality', Int32Array], ['params', Float64Array],
];

// The fields the re-compilation reads, with bounds that keep its loops and allocations finite.
function shapeOk(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  const cc = x as Record<string, unknown>;
  const N = cc.numNodes;
  const V = cc.numVars;
  const P = cc.numParams;
  const size = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_ELEMENTS;
  if (!size(N) || !size(V) || !size(P) || (N as number) < 1 || (V as number) < 1) return false;
  for (const [name, type] of ARRAYS) if (!(cc[name] instanceof type)) return false;
  const c = x as CompiledCircuit;
  const n = N as number;
  if (c.kind.length !== n || c.variable.length !== n || c.leafArg.length !== n || c.minSigma.length !== n || c.paramPtr.length !== n) return false;
  if (c.original.length !== n || c.compiledOf.length !== n || c.childPtr.length !== n + 1 || c.cardinality.length !== V || c.params.length !== P) return false;
  if (c.childPtr[0] !== 0 || c.childPtr[n] !== c.child.length) return false;
  for (let i = 0; i < n; i++) {
    if (!(c.childPtr[i]! <= c.childPtr[i + 1]!)) return false;
    if (!(c.original[i]! >= 0 && c.original[i]! < n && c.compiledOf[i]! >= 0 && c.compiledOf[i]! < n)) return false;
    if (!(c.paramPtr[i]! >= -1 && c.paramPtr[i]! < P)) return false;
    if (!(c.leafArg[i]! >= 0 && c.leafArg[i]! <= P)) return false;
  }
  for (let e = 0; e < c.child.length; e++) if (!(c.child[e]! >= 0 && c.child[e]! < n)) return false;
  return true;
}

// Saved and loaded again (which validates the circuit and compiles it), the copy must equal `cc`
// field for field: then it is exactly what compile builds.
function recompiles(cc: CompiledCircuit): boolean {
  let again: CompiledCircuit;
  try {
    again = loadCircuit(savedCircuit(cc, cc.params)).cc;
  } catch (e) {
    if (isDescentError(e)) return false;
    throw e;
  }
  const a = again as unknown as Record<string, unknown>;
  const b = cc as unknown as Record<string, unknown>;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const u = a[k];
    const v = b[k];
    if (ArrayBuffer.isView(u)) {
      if (!ArrayBuffer.isView(v) || u.constructor !== v.constructor) return false;
      const p = u as unknown as ArrayLike<number>;
      const q = v as unknown as ArrayLike<number>;
      if (p.length !== q.length) return false;
      for (let i = 0; i < p.length; i++) if (!Object.is(p[i], q[i])) return false;
    } else if (!Object.is(u, v)) return false;
  }
  return true;
}
