import { DescentError, describeValue } from '@descent/linalg';
import { checkParams, type CompiledCircuit } from '../compile.js';
import { assertCompiled } from '../compiled-check.js';
import type { BatchStatistics } from '../statistics.js';

// Checks of a learner state (and `out`) handed back to step/stepInto by a caller, who may have
// built, edited or parsed it: they run before anything is written, so a malformed state is a
// DescentError naming the learner instead of a TypeError, a NaN or a half-written `out`.

type Fields = Record<string, unknown>;

/** A scalar field of a learner state and what it must satisfy. */
export type ScalarRule = readonly [name: string, ok: (v: unknown) => boolean, expected: string];

export const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
export const inRange = (lo: number, hi: number, loOpen: boolean, hiOpen = false) => (v: unknown): boolean =>
  typeof v === 'number' && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
export const finiteNonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The state of a circuit learner: a compiled circuit, `x` its parameters (with `state.check`, on
 * their simplexes; O(parameters)), `query` the same length, `t` a step count, and the scalar fields
 * of `rules`. Returns the circuit.
 */
export function checkLearnerState(state: unknown, where: string, rules: readonly ScalarRule[]): CompiledCircuit {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new DescentError('SHAPE_MISMATCH', where, `the state must be an object, got ${describeValue(state)}`);
  const s = state as Fields;
  assertCompiled(s.circuit, where, 'state.circuit');
  const cc = s.circuit as CompiledCircuit;
  for (const [name, ok, expected] of rules) {
    if (!ok(s[name])) throw new DescentError('INVALID_STATE', where, `state.${name} must be ${expected}, got ${describeValue(s[name])}`);
  }
  if (typeof s.check !== 'boolean') throw new DescentError('INVALID_STATE', where, `state.check must be a boolean, got ${describeValue(s.check)}`);
  if (typeof s.t !== 'number' || !Number.isSafeInteger(s.t) || s.t < 0) throw new DescentError('INVALID_STATE', where, `state.t must be a step count, got ${describeValue(s.t)}`);
  buffer(s.x, cc.numParams, where, 'state.x');
  buffer(s.query, cc.numParams, where, 'state.query');
  if (s.check) checkParams(cc, s.x as Float64Array, `${where} (state.x)`);
  return cc;
}

/** `SHAPE_MISMATCH` unless `v` is a Float64Array of length n. */
export function buffer(v: unknown, n: number, where: string, what: string): Float64Array {
  if (!(v instanceof Float64Array) || v.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array of length ${n}, got ${describeValue(v)}${v instanceof Float64Array ? ` of length ${v.length}` : ''}`);
  }
  return v;
}

const overlap = (a: ArrayBufferView, b: ArrayBufferView) =>
  a.byteLength > 0 && b.byteLength > 0 && a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

/**
 * For stepInto: `out` is an object whose `names` are Float64Arrays of the state's lengths, none
 * overlapping a buffer the step reads (the state's, the statistics') or another of `out`'s.
 */
export function checkLearnerOut(state: Fields, out: unknown, names: readonly string[], obs: BatchStatistics, where: string): void {
  if (out === state) throw new DescentError('INVALID_CONFIG', where, 'out must not be the state');
  if (out === null || typeof out !== 'object' || Array.isArray(out)) throw new DescentError('SHAPE_MISMATCH', where, `out must be a learner state, got ${describeValue(out)}`);
  const o = out as Fields;
  const mine = names.map((k) => buffer(o[k], (state[k] as Float64Array).length, where, `out.${k}`));
  const reads = [...names.map((k) => state[k] as Float64Array), obs.edgeFlows, obs.leafStats];
  mine.forEach((a, i) => {
    for (const b of reads) if (overlap(a, b)) throw new DescentError('INVALID_CONFIG', where, `out.${names[i]} shares memory with the state or the statistics`);
    for (let j = 0; j < i; j++) if (overlap(a, mine[j]!)) throw new DescentError('INVALID_CONFIG', where, `out.${names[i]} shares memory with out.${names[j]}`);
  });
}

/** `NON_FINITE` unless the new parameters are finite (flows near the overflow threshold). */
export function checkNewParams(x: Float64Array, where: string): void {
  for (let i = 0; i < x.length; i++) if (x[i]! - x[i]! !== 0) throw new DescentError('NON_FINITE', where, `the updated parameter ${i} is ${x[i]}: the statistics overflow`);
}
