import { DescentError, type Key } from '@descent/linalg';
import { isArenaBuffer } from './internal/adam-wasm.js';

/**
 * The step contract every iterative method in descent follows (DESIGN.md, "The step contract").
 *
 * - `init` validates the config and returns the first state.
 * - `step` is pure: it never mutates `state` or `obs`, and returns a fresh state.
 * - `stepInto` writes the same result into `out`'s buffers (bit-identical to `step`) so a driver can
 *   ping-pong two states with no allocation. `out` must not be `state` nor share buffers with it;
 *   it must have the shape of `state` (for example a {@link cloneState} of it). When `stepInto`
 *   throws, `state` is untouched but `out`'s contents are unspecified.
 *
 * `Obs` is what the caller measured at `state.query`: a gradient for first-order methods, or
 * `{ value, grad }` for methods that need the loss value.
 *
 * @example
 * ```ts
 * import { adam } from '@descent/optimizers';
 * const s0 = adam.init({ lr: 0.1 }, new Float64Array([1]));
 * +adam.step(s0, new Float64Array([2])).x[0].toFixed(6); // Adam's first step moves every coordinate by lr (up to ε)
 * // 0.9
 * ```
 */
export interface Method<Cfg, State extends MethodState, Obs> {
  /** A short identifier, e.g. `'adamw'`. */
  readonly name: string;
  /**
   * What `step` needs: the gradient alone (`'grad'`), the loss value with it (`'valueAndGrad'`), or
   * the oracle's answer exactly as the caller's oracle returns it (`'oracle'`: a gradient with extra
   * information such as a Fisher matrix or per-sample gradients; drivers pass it through untouched).
   */
  readonly observes: 'grad' | 'valueAndGrad' | 'oracle';
  init(cfg: Cfg, x0: Float64Array, key?: Key): State;
  step(state: State, obs: Obs): State;
  stepInto?(state: State, obs: Obs, out: State): State;
  /**
   * Optional: two states equal to `state`, laid out where `stepInto` runs fastest between them. Drivers
   * ping-pong these instead of two {@link cloneState} copies. Adam and AdamW put them in one WebAssembly
   * memory so their step runs as 128-bit SIMD (bit-identical to the JavaScript kernel).
   */
  pingPongStates?(state: State): readonly [State, State];
}

/** What every method state has: plain data that can be cloned, compared and checkpointed. */
export interface MethodState {
  /** The current parameters (the method's output). */
  readonly x: Float64Array;
  /** Where the next observation must be taken (often the same array as `x`). */
  readonly query: Float64Array;
  /** Steps taken so far. */
  readonly t: number;
}

/** The observation of a method that needs the loss value as well as its gradient. */
export interface ValueAndGrad {
  readonly value: number;
  readonly grad: Float64Array;
}

// ---------------------------------------------------------------------------------------------
// Additions by the optimizers-core engineer (issue 3). Everything above is unchanged.
//   FirstOrderMethod, Oracle, OracleResult, cloneState.
// ---------------------------------------------------------------------------------------------

/**
 * A method whose observation is the gradient alone: `(state, grad) => state`.
 *
 * @example
 * ```ts
 * import { sgd, type FirstOrderMethod } from '@descent/optimizers';
 * const m: FirstOrderMethod<Parameters<typeof sgd.init>[0], ReturnType<typeof sgd.init>> = sgd;
 * m.observes;
 * // 'grad'
 * ```
 */
export type FirstOrderMethod<Cfg, State extends MethodState> = Method<Cfg, State, Float64Array>;

/**
 * What an oracle returns at a point: the gradient, or the loss value with it (and, for methods that
 * observe `'oracle'`, any further fields they read, e.g. `fisher` or `perSample`).
 */
export type OracleResult = Float64Array | { readonly value?: number; readonly grad: Float64Array };

/**
 * The caller's model: evaluated at `state.query`, it returns the gradient there (and the loss value
 * when it has it). It may return the same buffer on every call: the drivers read it before calling
 * the oracle again.
 *
 * @example
 * ```ts
 * import type { Oracle } from '@descent/optimizers';
 * const quadratic: Oracle = (x) => ({ value: 0.5 * x[0]! * x[0]!, grad: new Float64Array([x[0]!]) });
 * quadratic(new Float64Array([3])).grad[0];
 * // 3
 * ```
 */
export type Oracle = (x: Float64Array) => OracleResult;

/**
 * A deep copy of a plain-data state: typed arrays are copied, and arrays that are shared inside the
 * state (`query` that is `x`) stay shared in the copy. Use it to keep a state a driver will reuse,
 * or to make the `out` argument of `stepInto`. Arrays that live in a driver's WebAssembly arena are
 * copied element by element (the copy holds ordinary arrays, not the arena).
 *
 * @example
 * ```ts
 * import { sgd, cloneState } from '@descent/optimizers';
 * const s = sgd.init({ lr: 0.1 }, new Float64Array([1, 2]));
 * const c = cloneState(s);
 * [c.x !== s.x, c.query === c.x];
 * // [true, true]
 * ```
 */
export function cloneState<S>(state: S): S {
  // structuredClone copies a view's whole buffer: right for ordinary state arrays, but an arena view
  // would drag the entire WebAssembly memory (both ping-pong states) along.
  if (holdsArenaView(state)) return copyOutOfArena(state, new Map()) as S;
  try {
    return structuredClone(state);
  } catch (e) {
    // A function, symbol or class with private slots somewhere in it: not plain data.
    throw new DescentError('INVALID_STATE', 'cloneState', `a state is plain data (typed arrays, numbers, strings, plain objects): ${e instanceof Error ? e.message : String(e)}`);
  }
}

function holdsArenaView(v: unknown): boolean {
  if (ArrayBuffer.isView(v)) return isArenaBuffer(v.buffer);
  if (Array.isArray(v)) return v.some(holdsArenaView);
  if (v !== null && typeof v === 'object') return Object.values(v).some(holdsArenaView);
  return false;
}

function copyOutOfArena(v: unknown, seen: Map<unknown, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  let copy: unknown;
  if (v instanceof Float64Array && isArenaBuffer(v.buffer)) copy = v.slice();
  else if (ArrayBuffer.isView(v)) copy = structuredClone(v);
  else if (Array.isArray(v)) copy = v.map((e) => copyOutOfArena(e, seen));
  else copy = Object.fromEntries(Object.entries(v).map(([k, e]) => [k, copyOutOfArena(e, seen)]));
  seen.set(v, copy);
  return copy;
}
