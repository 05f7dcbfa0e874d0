import { assertStateLike, deserialize, serialize, DescentError, type SerializedState } from '@descent/linalg';

/**
 * Saves a method's (or a transform's) state as a versioned JSON-safe value tagged with the method's
 * name: `JSON.stringify` it anywhere, {@link deserializeState} it later and keep stepping, bit for bit
 * as if the run had never stopped. Typed arrays are kept exactly (a state whose arrays live in Adam's
 * WebAssembly arena is written like any other), as are NaN, ±Infinity and −0.
 *
 * @example
 * ```ts
 * import { adam, serializeState, deserializeState } from '@descent/optimizers';
 * const g = new Float64Array([0.3, -1]);
 * const s1 = adam.step(adam.init({ lr: 0.1 }, new Float64Array([1, 2])), g);
 * const saved = JSON.stringify(serializeState(adam, s1));
 * const resumed = deserializeState(adam, JSON.parse(saved));
 * adam.step(resumed, g).x.every((v, i) => Object.is(v, adam.step(s1, g).x[i]));
 * // true
 * ```
 */
export function serializeState<S>(method: { readonly name: string }, state: S): SerializedState {
  return serialize(state, methodName(method, 'serializeState'));
}

/** Options of {@link deserializeState}. */
export interface DeserializeStateOptions {
  /**
   * A state of the same method and config (e.g. `method.init(cfg, x0)`): the restored state must have
   * its structure (fields, types, typed-array lengths), checked with `assertStateLike`.
   */
  readonly like?: unknown;
}

/**
 * Restores a state written by {@link serializeState} for the same method. Rejects with `INVALID_STATE`
 * a value that is not a descent state, was saved by another method, is corrupted, or whose `x`,
 * `query` and `t` are not a method state's (a non-empty Float64Array, a Float64Array, a step count);
 * with `like`, also one whose structure differs from that state's.
 *
 * @example
 * ```ts
 * import { sgd, adam, serializeState, deserializeState } from '@descent/optimizers';
 * const saved = serializeState(sgd, sgd.init({ lr: 0.1 }, new Float64Array(2)));
 * const err = (() => { try { deserializeState(adam, saved); } catch (e) { return e as DescentError; } })();
 * [err?.code, err?.message];
 * // ['INVALID_STATE', "deserializeState(adam): the value is a 'sgd' state, expected 'adam'"]
 * ```
 */
export function deserializeState<S>(method: { readonly name: string }, value: unknown, options: DeserializeStateOptions = {}): S {
  const name = methodName(method, 'deserializeState');
  const where = `deserializeState(${name})`;
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  return deserialize<S>(value, {
    kind: name,
    where,
    check: (s, w) => {
      if (options.like !== undefined) assertStateLike(s, options.like, w);
      if (isMethodName(method)) checkMethodState(s, w);
    },
  });
}

// Transforms' states have no common fields; a method's always has x, query and t.
function isMethodName(m: object): boolean {
  return 'observes' in m;
}

function checkMethodState(s: unknown, where: string): void {
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, msg);
  };
  if (s === null || typeof s !== 'object' || Array.isArray(s)) fail('the state is not an object');
  const o = s as Record<string, unknown>;
  if (!(o.x instanceof Float64Array) || o.x.length === 0) fail('state.x is not a non-empty Float64Array');
  if (!(o.query instanceof Float64Array)) fail('state.query is not a Float64Array');
  if (typeof o.t !== 'number' || !Number.isSafeInteger(o.t) || o.t < 0) fail(`state.t is ${String(o.t)}, expected a step count`);
}

function methodName(m: { readonly name: string }, where: string): string {
  if (m === null || typeof m !== 'object' || typeof m.name !== 'string') throw new DescentError('INVALID_CONFIG', where, 'expected a method or a transform (an object with a name)');
  return m.name;
}
