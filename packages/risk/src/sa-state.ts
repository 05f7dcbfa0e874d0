import { DescentError, describeValue } from '@descent/linalg';
import { assertProjection } from './projection.js';
import { validateSchedules } from './schedule.js';

// Checks of a state (and `out`) handed back to the SA methods' step/stepInto by a caller, who may
// have built, edited or parsed it: they run before anything is written, so a malformed state is a
// DescentError naming the method instead of a TypeError, a NaN or a half-written `out`.

type Fields = Record<string, unknown>;

function object(v: unknown, where: string, what: string): asserts v is Fields {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be an object, got ${describeValue(v)}`);
  }
}

/** `SHAPE_MISMATCH` unless `v` is a Float64Array of length n; with `finite`, `NON_FINITE` for a NaN or ±Infinity entry. */
export function buffer(v: unknown, n: number, where: string, what: string, finite = false): Float64Array {
  if (!(v instanceof Float64Array) || v.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array of length ${n}, got ${describeValue(v)}${v instanceof Float64Array ? ` of length ${v.length}` : ''}`);
  }
  if (finite) for (let i = 0; i < n; i++) if (v[i]! - v[i]! !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${v[i]}`);
  return v;
}

/** `INVALID_STATE` unless `v` passes `ok`. */
export function field(v: unknown, ok: (v: unknown) => boolean, where: string, what: string, expected: string): void {
  if (!ok(v)) throw new DescentError('INVALID_STATE', where, `${what} must be ${expected}, got ${describeValue(v)}`);
}

export const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown) => typeof v === 'boolean';
const oneOf = (...xs: unknown[]) => (v: unknown) => xs.includes(v);

/** The state of `x` and `query`: x a non-empty Float64Array, query one of the same length, t a step count. Returns p. */
export function checkBase(s: unknown, where: string): asserts s is Fields {
  object(s, where, 'the state');
  if (!(s.x instanceof Float64Array) || s.x.length === 0) throw new DescentError('SHAPE_MISMATCH', where, `state.x must be a non-empty Float64Array, got ${describeValue(s.x)}`);
  buffer(s.query, s.x.length, where, 'state.query');
  field(s.t, isCount, where, 'state.t', 'a step count');
}

/**
 * A drmSA state: every field step reads, with the lengths the grid implies (q M+1, q̄ M, nodes J,
 * D J·p, grad p); with `state.check`, the grid and the tracked quantities are finite too, O(M + J·p)
 * (without it, O(1) per field).
 */
export function checkDrmSaState(s: unknown, where: string): void {
  checkBase(s, where);
  const p = (s.x as Float64Array).length;
  field(s.k, isCount, where, 'state.k', 'an iteration count');
  field(s.phase, oneOf('warmup', 'run'), where, 'state.phase', "'warmup' or 'run'");
  field(s.form, oneOf('qf', 'dm', 'hybrid', 'batching'), where, 'state.form', 'qf | dm | hybrid | batching');
  field(s.sense, oneOf('min', 'max'), where, 'state.sense', 'min | max');
  field(s.tailRule, oneOf('cvar', 'extrapolate'), where, 'state.tailRule', 'cvar | extrapolate');
  field(s.gridPow, (v) => isFiniteNumber(v) && (v as number) > 0, where, 'state.gridPow', 'a finite number > 0');
  field(s.check, isBool, where, 'state.check', 'a boolean');
  field(s.relativeBandwidth, isBool, where, 'state.relativeBandwidth', 'a boolean');
  field(s.batchSize, (v) => isCount(v) && (v as number) >= 1, where, 'state.batchSize', 'an integer >= 1');
  field(s.warmupSize, (v) => isCount(v) && (v as number) >= 2, where, 'state.warmupSize', 'an integer >= 2');
  field(s.sampleSize, isCount, where, 'state.sampleSize', 'a count');
  field(s.scale, (v) => isFiniteNumber(v) && (v as number) > 0, where, 'state.scale', 'a finite number > 0');
  field(s.kdeUnderflows, isCount, where, 'state.kdeUnderflows', 'a count');
  field(s.monotoneFixes, isCount, where, 'state.monotoneFixes', 'a count');
  const finite = s.check === true;
  const g = s.grid;
  object(g, where, 'state.grid');
  const M = g.M;
  field(M, (v) => isCount(v) && (v as number) >= 2, where, 'state.grid.M', 'an integer >= 2');
  const m = M as number;
  buffer(g.z, m + 1, where, 'state.grid.z', finite);
  buffer(g.zbar, m, where, 'state.grid.zbar', finite);
  buffer(g.a, m, where, 'state.grid.a', finite);
  if (!(g.nodeLevels instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `state.grid.nodeLevels must be a Float64Array, got ${describeValue(g.nodeLevels)}`);
  const J = g.nodeLevels.length;
  buffer(g.nodeLevels, J, where, 'state.grid.nodeLevels', finite);
  buffer(g.nodeWeights, J, where, 'state.grid.nodeWeights', finite);
  field(g.sTop, isFiniteNumber, where, 'state.grid.sTop', 'a finite number');
  field(g.sBot, isFiniteNumber, where, 'state.grid.sBot', 'a finite number');
  field(g.nodesAreCells, isBool, where, 'state.grid.nodesAreCells', 'a boolean');
  if (g.nodesAreCells === true && J < m) throw new DescentError('INVALID_STATE', where, `state.grid has ${J} nodes, fewer than its ${m} cells`);
  object(s.schedules, where, 'state.schedules');
  try {
    validateSchedules(s.schedules as never, s.form as never);
  } catch (e) {
    throw new DescentError('INVALID_STATE', where, `state.schedules: ${(e as Error).message}`);
  }
  assertProjection(s.projection as never, p, where, 'state.projection');
  buffer(s.x, p, where, 'state.x', finite);
  buffer(s.q, m + 1, where, 'state.q', finite);
  buffer(s.qbar, m, where, 'state.qbar', finite);
  buffer(s.qNode, J, where, 'state.qNode', finite);
  buffer(s.D, J * p, where, 'state.D', finite);
  buffer(s.grad, p, where, 'state.grad');
}

/**
 * For stepInto: `out` holds Float64Arrays of the state's lengths under `names`, and none of them
 * overlaps a buffer the step reads (the state's, the observation's) or another of `out`'s.
 */
export function checkOut(s: Fields, out: unknown, names: readonly string[], reads: readonly unknown[], where: string): void {
  if (out === s) throw new DescentError('INVALID_CONFIG', where, 'out must not be the state');
  object(out, where, 'out');
  const mine: Float64Array[] = [];
  for (const k of names) mine.push(buffer(out[k], (s[k] as Float64Array).length, where, `out.${k}`));
  const theirs = [...names.map((k) => s[k]), ...reads].filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
  const overlap = (a: ArrayBufferView, b: ArrayBufferView) =>
    a.byteLength > 0 && b.byteLength > 0 && a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
  mine.forEach((a, i) => {
    for (const b of theirs) if (overlap(a, b)) throw new DescentError('INVALID_CONFIG', where, `out.${names[i]} shares memory with the state or the observation`);
    for (let j = 0; j < i; j++) if (overlap(a, mine[j]!)) throw new DescentError('INVALID_CONFIG', where, `out.${names[i]} shares memory with out.${names[j]}`);
  });
}
