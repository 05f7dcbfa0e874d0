import { DescentError, describeValue } from '@descent/linalg';

// Checks of a state handed back to step/stepInto by a caller (possibly built by hand, edited, or
// parsed): they run before any output buffer is written, so a malformed state or `out` is a
// DescentError naming the method instead of a TypeError, a NaN or a half-written `out`.

/** What a state field must hold. `'buffer'`: a Float64Array of the parameters' length. */
export type FieldKind =
  | 'buffer'
  | 'count'
  | 'number'
  | 'boolean'
  | { readonly buffer: number }
  | { readonly number: (v: number) => boolean; readonly expected: string }
  | { readonly oneOf: readonly unknown[] }
  | { readonly test: (v: unknown) => boolean; readonly expected: string };

/**
 * `SHAPE_MISMATCH` unless `state` is an object whose `x` is a non-empty Float64Array and `query` a
 * Float64Array of the same length; then each field of `fields` is checked (`SHAPE_MISMATCH` for
 * buffers, `INVALID_STATE` for scalars). O(number of fields).
 */
export function checkState(where: string, state: unknown, fields: Readonly<Record<string, FieldKind>>): void {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new DescentError('SHAPE_MISMATCH', where, `the state must be an object, got ${describeValue(state)}`);
  }
  const s = state as Record<string, unknown>;
  const x = s.x;
  if (!(x instanceof Float64Array) || x.length === 0) throw new DescentError('SHAPE_MISMATCH', where, `state.x must be a non-empty Float64Array, got ${describeValue(x)}`);
  const n = x.length;
  if (!(s.query instanceof Float64Array) || s.query.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `state.query must be a Float64Array of length ${n}, got ${describeValue(s.query)}`);
  if (typeof s.t !== 'number' || !Number.isSafeInteger(s.t) || s.t < 0) throw new DescentError('INVALID_STATE', where, `state.t must be a step count, got ${describeValue(s.t)}`);
  for (const name of Object.keys(fields)) {
    const kind = fields[name]!;
    const v = s[name];
    const bad = (expected: string, code: 'SHAPE_MISMATCH' | 'INVALID_STATE' = 'INVALID_STATE'): never => {
      throw new DescentError(code, where, `state.${name} must be ${expected}, got ${describeValue(v)}`);
    };
    if (kind === 'buffer' || (typeof kind === 'object' && 'buffer' in kind)) {
      const len = kind === 'buffer' ? n : kind.buffer;
      if (!(v instanceof Float64Array) || v.length !== len) bad(`a Float64Array of length ${len}`, 'SHAPE_MISMATCH');
      if ((v as Float64Array).length !== len) bad(`a Float64Array of length ${len}`, 'SHAPE_MISMATCH');
    } else if (kind === 'count') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad('a non-negative integer');
    } else if (kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('a finite number');
    } else if (kind === 'boolean') {
      if (typeof v !== 'boolean') bad('a boolean');
    } else if ('number' in kind) {
      if (typeof v !== 'number' || Number.isNaN(v) || !kind.number(v)) bad(kind.expected);
    } else if ('oneOf' in kind) {
      if (!kind.oneOf.includes(v)) bad(`one of ${kind.oneOf.map((o) => JSON.stringify(o)).join(', ')}`);
    } else if (!kind.test(v)) {
      bad(kind.expected);
    }
  }
}

/**
 * `SHAPE_MISMATCH` unless `value` has the buffers of `like`: wherever `like` holds a typed array,
 * `value` holds one of the same type and length, and nested objects and arrays match likewise.
 * Numbers, strings, booleans and nulls are not compared (a step overwrites them, and some are
 * legitimately null or a number, such as Hill-ADAM's previous value).
 */
export function assertSameBuffers(where: string, like: unknown, value: unknown, path: string, depth = 0): void {
  if (depth > 32 || like === null || typeof like !== 'object') return;
  const bad = (expected: string): never => {
    throw new DescentError('SHAPE_MISMATCH', where, `${path} must be ${expected}, got ${describeValue(value)}`);
  };
  if (ArrayBuffer.isView(like)) {
    const n = (like as unknown as ArrayLike<number>).length;
    if (!ArrayBuffer.isView(value) || value.constructor !== like.constructor || (value as unknown as ArrayLike<number>).length !== n) bad(`a ${like.constructor.name} of length ${n}`);
    return;
  }
  if (Array.isArray(like)) {
    if (!Array.isArray(value) || value.length !== like.length) bad(`an array of ${like.length} entries`);
    like.forEach((e, i) => assertSameBuffers(where, e, (value as unknown[])[i], `${path}[${i}]`, depth + 1));
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) bad('an object');
  for (const k of Object.keys(like)) assertSameBuffers(where, (like as Record<string, unknown>)[k], (value as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
}

/**
 * For stepInto: `out` must have `state`'s buffers (see {@link assertSameBuffers}) and share no memory
 * with it, so writing the step into `out` can neither write past a buffer nor overwrite the state
 * being read.
 */
export function checkInto(where: string, state: object, out: unknown, shared: readonly string[] = []): void {
  if (out === state) throw new DescentError('INVALID_CONFIG', where, 'stepInto: out must not be the state');
  assertSameBuffers(where, state, out, 'out');
  // `shared`: top-level fields stepInto only reads (configuration data a step copies by reference).
  const mine: ArrayBufferView[] = [];
  const theirs: ArrayBufferView[] = [];
  for (const k of Object.keys(state)) {
    if (shared.includes(k)) continue;
    collect((state as Record<string, unknown>)[k], mine, 1);
    collect((out as Record<string, unknown>)[k], theirs, 1);
  }
  for (const a of theirs) {
    if (a.byteLength === 0) continue;
    for (const b of mine) {
      if (b.byteLength === 0 || a.buffer !== b.buffer) continue;
      if (a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength) {
        throw new DescentError('INVALID_CONFIG', where, 'stepInto: out must not share buffers with the state');
      }
    }
  }
}

function collect(v: unknown, into: ArrayBufferView[], depth: number): void {
  if (depth > 16 || v === null || typeof v !== 'object') return;
  if (ArrayBuffer.isView(v)) {
    into.push(v);
    return;
  }
  for (const k of Object.keys(v)) collect((v as Record<string, unknown>)[k], into, depth + 1);
}

/** The base state inside a wrapper method (sam, arsam, egd): an object whose x has the wrapper's length. */
export function baseStateField(n: number): FieldKind {
  return { test: (v) => v !== null && typeof v === 'object' && (v as { x?: unknown }).x instanceof Float64Array && (v as { x: Float64Array }).x.length === n, expected: `a base state with a Float64Array x of length ${n}` };
}

/** The perturbation fields SAM and ARSAM keep in their states (see resolvePerturbation). */
export const PERTURBATION_FIELDS: Readonly<Record<string, FieldKind>> = {
  rho: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' },
  adaptive: 'boolean',
  adaptiveEta: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' },
  p: { number: (v) => v > 1, expected: 'a number in (1, Infinity]' },
  xi: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' },
};
