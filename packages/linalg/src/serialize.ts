import { DescentError } from './errors.js';
import { describeValue } from './validate.js';

/** The format tag of every value {@link serialize} writes. */
export const STATE_FORMAT = 'descent-state';
/** The format version {@link serialize} writes; {@link deserialize} reads this version only. */
export const STATE_VERSION = 1;

/** A value `JSON.stringify` writes and `JSON.parse` gives back unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** What {@link serialize} returns: a versioned, tagged, JSON-safe checkpoint of a state. */
export interface SerializedState {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  /** What the state belongs to (e.g. `'adam'`, `'detector'`); `''` when untagged. */
  readonly kind: string;
  readonly data: JsonValue;
}

/** Options of {@link deserialize}. */
export interface DeserializeOptions<T> {
  /** The kind the value must carry (one of them, when a list); anything else is rejected. */
  readonly kind?: string | readonly string[];
  /** Checks the decoded state (buffer lengths, field types) and throws a `DescentError` if it is wrong. */
  readonly check?: (state: unknown, where: string) => asserts state is T;
  /** The function name reported in errors. Default `'deserialize'`. */
  readonly where?: string;
}

type TypedArrayName =
  | 'Float64Array' | 'Float32Array' | 'Int8Array' | 'Int16Array' | 'Int32Array'
  | 'Uint8Array' | 'Uint8ClampedArray' | 'Uint16Array' | 'Uint32Array';
type AnyTypedArray =
  | Float64Array | Float32Array | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

const TYPED: Record<TypedArrayName, { new (n: number): AnyTypedArray; BYTES_PER_ELEMENT: number }> = {
  Float64Array, Float32Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint8ClampedArray, Uint16Array, Uint32Array,
};
// The reserved key of a tagged node. Plain-object keys starting with `$` are written with one more `$`.
const TAG = '$t';
const MAX_DEPTH = 200;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes a state as a versioned, JSON-safe value: `JSON.parse(JSON.stringify(serialize(s)))` is a
 * value {@link deserialize} turns back into a state equal to `s` bit for bit.
 *
 * - Typed arrays (views of any buffer, WebAssembly memory included) keep their type, length and exact
 *   bytes (little-endian base64); numbers keep NaN, ±Infinity and −0; `undefined` fields are kept.
 * - Nested plain objects and arrays are written recursively; a typed array, array or object reached
 *   twice (e.g. `query` that is `x`) is written once and stays shared in the copy.
 * - Functions, symbols, bigints, Maps and class instances are rejected with `INVALID_STATE` naming
 *   their path: a state is plain data (DESIGN.md).
 *
 * @example
 * ```ts
 * const s = { x: new Float64Array([1, -0, NaN]), t: 3 };
 * const saved = JSON.stringify(serialize({ ...s, query: s.x }, 'demo'));
 * const back = deserialize<{ x: Float64Array; query: Float64Array; t: number }>(JSON.parse(saved), { kind: 'demo' });
 * [Object.is(back.x[1], -0), Number.isNaN(back.x[2]), back.query === back.x, back.t];
 * // [true, true, true, 3]
 * ```
 */
export function serialize(state: unknown, kind = ''): SerializedState {
  if (typeof kind !== 'string') throw new DescentError('INVALID_STATE', 'serialize', `kind must be a string, got ${String(kind)}`);
  const ids = new Map<object, number>();
  return { format: STATE_FORMAT, version: STATE_VERSION, kind, data: encode(state, ids, new Set(), 'state', 0) };
}

function encode(v: unknown, ids: Map<object, number>, open: Set<object>, path: string, depth: number): JsonValue {
  if (depth > MAX_DEPTH) throw new DescentError('INVALID_STATE', 'serialize', `${path} is nested deeper than ${MAX_DEPTH} levels`);
  switch (typeof v) {
    case 'number':
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      return { [TAG]: 'number', v: Object.is(v, -0) ? '-0' : String(v) };
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'object':
      break;
    default:
      throw new DescentError('INVALID_STATE', 'serialize', `${path} is a ${typeof v}, which a state cannot hold`);
  }
  if (v === null) return null;
  const seen = ids.get(v);
  if (seen !== undefined) {
    if (open.has(v)) throw new DescentError('INVALID_STATE', 'serialize', `${path} contains itself (a cycle), which a state cannot hold`);
    return { [TAG]: 'ref', id: seen };
  }
  ids.set(v, ids.size);
  if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name as TypedArrayName;
    if (!(name in TYPED) || !(v instanceof TYPED[name])) {
      throw new DescentError('INVALID_STATE', 'serialize', `${path} is a ${v.constructor.name}, which a state cannot hold`);
    }
    const a = v as AnyTypedArray;
    return { [TAG]: name, n: a.length, b64: toBase64(littleEndianBytes(a)) };
  }
  open.add(v);
  const out = Array.isArray(v) ? v.map((e, i) => encode(e, ids, open, `${path}[${i}]`, depth + 1)) : encodeObject(v, ids, open, path, depth);
  open.delete(v);
  return out;
}

function encodeObject(v: object, ids: Map<object, number>, open: Set<object>, path: string, depth: number): JsonValue {
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new DescentError('INVALID_STATE', 'serialize', `${path} is a ${(v as object).constructor?.name ?? 'class instance'}, which a state cannot hold`);
  }
  const out: Record<string, JsonValue> = {};
  for (const [k, e] of Object.entries(v)) {
    defineField(out, k.startsWith('$') ? `$${k}` : k, encode(e, ids, open, `${path}.${k}`, depth + 1));
  }
  return out;
}

/**
 * Reads a value written by {@link serialize} (directly or after a JSON round trip) and returns the
 * state. Everything is validated before anything is returned: the format tag, the version, the kind
 * (when `options.kind` is given), every node (typed-array type, length and base64 bytes, number
 * encodings, references) and finally the state itself through `options.check`. A foreign,
 * corrupted or truncated value is `INVALID_STATE`; the packages' `deserialize…` functions add the
 * checks of their states' fields and buffer lengths.
 *
 * @example
 * ```ts
 * const err = (() => { try { deserialize({ format: 'descent-state', version: 1, kind: 'sgd', data: {} }, { kind: 'adam' }); } catch (e) { return e as DescentError; } })();
 * [err?.code, err?.message];
 * // ['INVALID_STATE', "deserialize: the value is a 'sgd' state, expected 'adam'"]
 * ```
 */
export function deserialize<T = unknown>(value: unknown, options: DeserializeOptions<T> = {}): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new DescentError('INVALID_CONFIG', 'deserialize', `options must be an object, got ${describeValue(options)}`);
  }
  if (options.where !== undefined && typeof options.where !== 'string') {
    throw new DescentError('INVALID_CONFIG', 'deserialize', `options.where must be a string, got ${describeValue(options.where)}`);
  }
  if (options.check !== undefined && typeof options.check !== 'function') {
    throw new DescentError('INVALID_CONFIG', 'deserialize', `options.check must be a function, got ${describeValue(options.check)}`);
  }
  if (options.kind !== undefined && typeof options.kind !== 'string' && !(Array.isArray(options.kind) && options.kind.every((k) => typeof k === 'string'))) {
    throw new DescentError('INVALID_CONFIG', 'deserialize', `options.kind must be a string or an array of strings, got ${describeValue(options.kind)}`);
  }
  const where = options.where ?? 'deserialize';
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, msg);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('the value is not a serialized state (not an object)');
  const v = value as Record<string, unknown>;
  if (v.format !== STATE_FORMAT) fail(`the value is not a serialized state (format is ${JSON.stringify(v.format) ?? 'missing'}, expected '${STATE_FORMAT}')`);
  if (v.version !== STATE_VERSION) fail(`unsupported format version ${JSON.stringify(v.version) ?? 'missing'} (this version reads ${STATE_VERSION})`);
  if (typeof v.kind !== 'string') fail('kind must be a string');
  for (const k of Object.keys(v)) if (!['format', 'version', 'kind', 'data'].includes(k)) fail(`unexpected field \`${k}\``);
  if (!('data' in v)) fail('data is missing');
  const kind = v.kind as string;
  if (options.kind !== undefined) {
    const kinds = typeof options.kind === 'string' ? [options.kind] : options.kind;
    if (!kinds.includes(kind)) fail(`the value is a '${kind}' state, expected ${kinds.map((k) => `'${k}'`).join(' or ')}`);
  }
  const state = decode(v.data, [], 'state', 0, fail);
  options.check?.(state, where);
  return state as T;
}

function decode(v: unknown, ids: Slot[], path: string, depth: number, fail: (m: string) => never): unknown {
  if (depth > MAX_DEPTH) fail(`${path} is nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Object.is(v, -0)) fail(`${path} is a raw ${String(v)} (non-finite numbers and −0 are tagged)`);
    return v;
  }
  if (typeof v !== 'object') fail(`${path} is a ${typeof v}, not JSON`);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    const slot: Slot = { value: out, done: false };
    ids.push(slot);
    for (let i = 0; i < v.length; i++) out.push(decode(v[i], ids, `${path}[${i}]`, depth + 1, fail));
    slot.done = true;
    return out;
  }
  const o = v as Record<string, unknown>;
  const proto = Object.getPrototypeOf(o) as unknown;
  if ((proto !== Object.prototype && proto !== null) || ArrayBuffer.isView(o)) fail(`${path} is not a JSON object`);
  if (TAG in o) return decodeTagged(o, ids, path, fail);
  const out: Record<string, unknown> = {};
  const slot: Slot = { value: out, done: false };
  ids.push(slot);
  for (const [k, e] of Object.entries(o)) {
    if (k.startsWith('$') && !k.startsWith('$$')) fail(`${path} has the reserved key \`${k}\``);
    const key = k.startsWith('$') ? k.slice(1) : k;
    defineField(out, key, decode(e, ids, `${path}.${key}`, depth + 1, fail));
  }
  slot.done = true;
  return out;
}

function decodeTagged(o: Record<string, unknown>, ids: Slot[], path: string, fail: (m: string) => never): unknown {
  const tag = o[TAG];
  const fields = (...names: string[]) => {
    for (const k of Object.keys(o)) if (k !== TAG && !names.includes(k)) fail(`${path} (${String(tag)}) has the unexpected field \`${k}\``);
    for (const k of names) if (!(k in o)) fail(`${path} (${String(tag)}) is missing \`${k}\``);
  };
  if (tag === 'number') {
    fields('v');
    const s = o.v;
    if (s === 'NaN') return NaN;
    if (s === 'Infinity') return Infinity;
    if (s === '-Infinity') return -Infinity;
    if (s === '-0') return -0;
    return fail(`${path} is a tagged number ${JSON.stringify(s)}, expected 'NaN', 'Infinity', '-Infinity' or '-0'`);
  }
  if (tag === 'undefined') {
    fields();
    return undefined;
  }
  if (tag === 'ref') {
    fields('id');
    const id = o.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= ids.length || !ids[id]!.done) {
      fail(`${path} refers to ${JSON.stringify(id)}, which is not an earlier, complete value`);
    }
    return ids[id as number]!.value;
  }
  if (typeof tag === 'string' && Object.prototype.hasOwnProperty.call(TYPED, tag)) {
    fields('n', 'b64');
    const ctor = TYPED[tag as TypedArrayName];
    const n = o.n;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(`${path} has length ${JSON.stringify(n)}, expected a non-negative integer`);
    if (typeof o.b64 !== 'string') fail(`${path} bytes are not a base64 string`);
    const b64 = o.b64 as string;
    const bytes = (n as number) * ctor.BYTES_PER_ELEMENT;
    if (b64.length !== 4 * Math.ceil(bytes / 3)) fail(`${path} holds ${b64.length} base64 characters, a ${tag} of length ${n} needs ${4 * Math.ceil(bytes / 3)}`);
    const raw = fromBase64(b64);
    if (raw === undefined || raw.length !== bytes) fail(`${path} is not valid base64 of ${bytes} bytes`);
    const out = new ctor(n as number);
    fromLittleEndianBytes(raw!, out);
    ids.push({ value: out, done: true });
    return out;
  }
  return fail(`${path} has the unknown tag ${JSON.stringify(tag)}`);
}

// A decoded array, object or typed array, by id; `done` once its contents are decoded (refs to it
// are allowed from then on, so a decoded state has no cycles).
interface Slot {
  readonly value: unknown;
  done: boolean;
}

// Assigning `__proto__` with `=` would change the object's prototype: define every field instead.
function defineField(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function littleEndianBytes(a: AnyTypedArray): Uint8Array {
  const bpe = a.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || bpe === 1) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < a.length; i++) for (let b = 0; b < bpe; b++) out[i * bpe + b] = src[i * bpe + bpe - 1 - b]!;
  return out;
}

function fromLittleEndianBytes(raw: Uint8Array, out: AnyTypedArray): void {
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const bpe = out.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || bpe === 1) {
    dst.set(raw);
    return;
  }
  for (let i = 0; i < out.length; i++) for (let b = 0; b < bpe; b++) dst[i * bpe + b] = raw[i * bpe + bpe - 1 - b]!;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// Our own codec: `Buffer` is Node-only and `btoa` needs a binary string as large as the array.
function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < n; i += 3) {
    const b0 = bytes[i]!, b1 = i + 1 < n ? bytes[i + 1]! : 0, b2 = i + 2 < n ? bytes[i + 2]! : 0;
    const w = (b0 << 16) | (b1 << 8) | b2;
    chunk += ALPHABET[(w >> 18) & 63]! + ALPHABET[(w >> 12) & 63]! + (i + 1 < n ? ALPHABET[(w >> 6) & 63]! : '=') + (i + 2 < n ? ALPHABET[w & 63]! : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** The bytes of canonical, padded base64 text, or `undefined` when it is not. */
function fromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  const sym = (i: number): number => {
    const code = s.charCodeAt(i);
    return code < 128 ? DECODE[code]! : -1;
  };
  const full = s.length - (pad > 0 ? 4 : 0);
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const c0 = sym(i), c1 = sym(i + 1), c2 = sym(i + 2), c3 = sym(i + 3);
    if ((c0 | c1 | c2 | c3) < 0) return undefined;
    const w = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = (w >> 16) & 255;
    out[o++] = (w >> 8) & 255;
    out[o++] = w & 255;
  }
  if (pad > 0) {
    const i = full;
    const c0 = sym(i), c1 = sym(i + 1), c2 = pad === 1 ? sym(i + 2) : 0;
    if ((c0 | c1 | c2) < 0) return undefined;
    const w = (c0 << 18) | (c1 << 12) | (c2 << 6);
    // Canonical encodings have zero bits after the last byte: anything else is a corrupted value.
    if ((pad === 2 ? w & 0xffff : w & 0xff) !== 0) return undefined;
    out[o++] = (w >> 16) & 255;
    if (pad === 1) out[o++] = (w >> 8) & 255;
  }
  return out;
}

/**
 * Throws `INVALID_STATE` unless `state` has the structure of `like`: the same keys, the same kind of
 * value under each (number, string, boolean, null, undefined), typed arrays of the same type and
 * length, arrays of the same length, recursively. Values themselves may differ. Use it to check a
 * restored state against a fresh one of the same method and config (e.g. `method.init(cfg, x0)`)
 * before stepping it.
 *
 * @example
 * ```ts
 * const like = { x: new Float64Array(3), t: 0 };
 * const err = (() => { try { assertStateLike({ x: new Float64Array(1), t: 5 }, like, 'load'); } catch (e) { return e as DescentError; } })();
 * err?.message;
 * // 'load: state.x is a Float64Array of length 1, expected length 3'
 * ```
 */
export function assertStateLike(state: unknown, like: unknown, where: string, path = 'state'): void {
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, `${path} ${msg}`);
  };
  const kindOf = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : ArrayBuffer.isView(v) ? (v.constructor as { name: string }).name : typeof v;
  const k = kindOf(state), kl = kindOf(like);
  if (k !== kl) fail(`is ${/^[aeiouAEIOU]/.test(k) ? 'an' : 'a'} ${k}, expected ${/^[aeiouAEIOU]/.test(kl) ? 'an' : 'a'} ${kl}`);
  if (ArrayBuffer.isView(like)) {
    const n = (state as ArrayLike<number>).length, nl = (like as unknown as ArrayLike<number>).length;
    if (n !== nl) fail(`is a ${k} of length ${n}, expected length ${nl}`);
    return;
  }
  if (Array.isArray(like)) {
    const a = state as unknown[];
    if (a.length !== like.length) fail(`has ${a.length} entries, expected ${like.length}`);
    a.forEach((e, i) => assertStateLike(e, like[i], where, `${path}[${i}]`));
    return;
  }
  if (kl === 'object') {
    const o = state as Record<string, unknown>, ol = like as Record<string, unknown>;
    for (const key of Object.keys(o)) if (!Object.prototype.hasOwnProperty.call(ol, key)) fail(`has the unexpected field \`${key}\``);
    for (const key of Object.keys(ol)) {
      if (!Object.prototype.hasOwnProperty.call(o, key)) fail(`is missing the field \`${key}\``);
      assertStateLike(o[key], ol[key], where, `${path}.${key}`);
    }
  }
}

/** Options of {@link deserializeState}. */
export interface DeserializeStateOptions {
  /**
   * A state of the same method and config (e.g. `method.init(cfg, x0)`): the restored state must have
   * its structure (fields, types, typed-array lengths), checked with {@link assertStateLike}.
   */
  readonly like?: unknown;
}

/**
 * Saves the state of a method (an optimizer, a transform, a stochastic-approximation method, a GD
 * map: anything with a `name`) as a versioned JSON-safe value tagged with that name. Every package
 * re-exports it; {@link deserializeState} with the same method restores it, and stepping the restored
 * state gives the same bits as stepping the original.
 *
 * @example
 * ```ts
 * const method = { name: 'counter' };
 * const saved = JSON.stringify(serializeState(method, { x: new Float64Array([0.1, -0]), query: new Float64Array([0.1, -0]), t: 4 }));
 * const back = deserializeState<{ x: Float64Array; t: number }>(method, JSON.parse(saved));
 * [back.t, Object.is(back.x[1], -0)];
 * // [4, true]
 * ```
 */
export function serializeState(method: { readonly name: string }, state: unknown): SerializedState {
  return serialize(state, methodName(method, 'serializeState'));
}

/**
 * Restores a state written by {@link serializeState} for the same method (same `name`). Rejects with
 * `INVALID_STATE` a value that is not a descent state, was saved for another method, is corrupted, or
 * whose `x`, `query` and `t` (where it has them) are not a method state's: `x` a non-empty
 * Float64Array, `query` a Float64Array, `t` a step count. With `like`, the state must also have that
 * state's structure (fields, types, typed-array lengths).
 *
 * @example
 * ```ts
 * const saved = serializeState({ name: 'sgd' }, { x: new Float64Array(2), query: new Float64Array(2), t: 0 });
 * const err = (() => { try { deserializeState({ name: 'adam' }, saved); } catch (e) { return e as DescentError; } })();
 * [err?.code, err?.message];
 * // ['INVALID_STATE', "deserializeState(adam): the value is a 'sgd' state, expected 'adam'"]
 * ```
 */
export function deserializeState<S = unknown>(method: { readonly name: string }, value: unknown, options: DeserializeStateOptions = {}): S {
  const name = methodName(method, 'deserializeState');
  const where = `deserializeState(${name})`;
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  return deserialize<S>(value, {
    kind: name,
    where,
    check: (s, w) => {
      if (options.like !== undefined) assertStateLike(s, options.like, w);
      checkMethodFields(s, w);
    },
  });
}

function checkMethodFields(s: unknown, where: string): void {
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, msg);
  };
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
  const o = s as Record<string, unknown>;
  if ('x' in o && (!(o.x instanceof Float64Array) || o.x.length === 0)) fail('state.x is not a non-empty Float64Array');
  if ('query' in o && !(o.query instanceof Float64Array)) fail('state.query is not a Float64Array');
  if ('t' in o && (typeof o.t !== 'number' || !Number.isSafeInteger(o.t) || o.t < 0)) fail(`state.t is ${String(o.t)}, expected a step count`);
}

function methodName(m: { readonly name: string }, where: string): string {
  if (m === null || typeof m !== 'object' || typeof m.name !== 'string') throw new DescentError('INVALID_CONFIG', where, 'expected a method (an object with a name)');
  return m.name;
}
