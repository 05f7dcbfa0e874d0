import { assertKnownKeys, assertVector, DescentError, describeValue, isDescentError, type Key } from '@descent/linalg';
import { checkTransform } from './internal/method-check.js';
import { cloneState, type FirstOrderMethod, type MethodState } from './method.js';
import { checkGrad, checkOut, checkX0, flag } from './internal/checks.js';
import type { Mutable } from './internal/mutable.js';
import { assertSameBuffers, checkInto, checkState } from './internal/state-check.js';

/**
 * A gradient transformation in the spirit of optax's `GradientTransformation`: it maps an incoming
 * update (at first the gradient) to an outgoing update, carrying its own plain-data state. Updates are
 * *added* to the parameters (x ← x + u), so a chain ends with {@link scaleByLearningRate} (−lr).
 * Transforms compose with {@link chain} and {@link route}, and become a {@link FirstOrderMethod} with
 * {@link fromTransform}.
 *
 * `init` gets one block of parameters and its shape (`[n]` for a flat vector, `[rows, cols]` for a
 * matrix block under {@link route}); matrix transforms throw `SHAPE_MISMATCH` on anything but 2-D.
 * `updateInto` reads `g`, `state` and the current parameters `x`, writes the outgoing update into `u`
 * (which may be the same array as `g`) and the next state into `out` (same shape as `state`, separate
 * buffers), and returns `out`; it never writes `g` (unless it is `u`), `state` or `x`.
 *
 * @example
 * ```ts
 * import { chain, clipByGlobalNorm, scaleByLearningRate, applyTransform } from '@descent/optimizers';
 * const t = chain(clipByGlobalNorm(1), scaleByLearningRate(0.1));
 * const s = t.init(new Float64Array(2), [2]);
 * Array.from(applyTransform(t, new Float64Array([3, 4]), s, new Float64Array(2)).update, (v) => +v.toFixed(12));
 * // [-0.06, -0.08]
 * ```
 */
export interface Transform<S = unknown> {
  readonly name: string;
  init(x0: Float64Array, shape: readonly number[], key?: Key): S;
  updateInto(g: Float64Array, state: S, x: Float64Array, u: Float64Array, out: S): S;
}

/**
 * Applies a transform purely: returns the outgoing update and the next state, leaving `g`, `state`
 * and `x` untouched (optax's `update`).
 *
 * @example
 * ```ts
 * import { scale, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(scale(2), new Float64Array([1, 2]), {}, new Float64Array(2)).update);
 * // [2, 4]
 * ```
 */
export function applyTransform<S>(transform: Transform<S>, g: Float64Array, state: S, x: Float64Array): { update: Float64Array; state: S } {
  checkTransform('applyTransform', transform);
  assertVector(g, 'applyTransform', 'g');
  assertVector(x, 'applyTransform', 'x', g.length);
  if (state === null || typeof state !== 'object') throw new DescentError('INVALID_STATE', 'applyTransform', `state must be the transform's state (an object), got ${describeValue(state)}`);
  const u = new Float64Array(g.length);
  const out = cloneState(state);
  const next = transform.updateInto(g, state, x, u, out);
  return { update: u, state: next };
}

/** Config of a method made by {@link fromTransform}. */
export interface TransformMethodConfig {
  /** Check every gradient for finiteness (O(n)). Default true; the length is always checked. */
  readonly check?: boolean;
}

/** State of a method made from a transform: the parameters, the transform's state and its plain config. */
export interface TransformMethodState<S, C = unknown> extends MethodState {
  readonly inner: S;
  readonly config: C;
  readonly check: boolean;
}

/**
 * Builds a first-order method from a transform-valued config: `build(config)` returns the transform
 * and the plain-data config stored in the state (so that `step`, which only sees the state, can
 * rebuild the transform; rebuilt transforms are cached per config object). x ← x + u.
 * Internal building block of `fromTransform`, `muon`, `reg`.
 */
export function transformMethod<Cfg, C extends object>(
  name: string,
  resolve: (cfg: Cfg, x0: Float64Array) => C,
  build: (config: C) => Transform<unknown>,
  checkOf: (cfg: Cfg) => boolean | undefined,
): FirstOrderMethod<Cfg, TransformMethodState<unknown, C>> {
  const cache = new WeakMap<object, Transform<unknown>>();
  const transformOf = (config: C): Transform<unknown> => {
    let t = cache.get(config);
    if (t === undefined) {
      t = build(config);
      cache.set(config, t);
    }
    return t;
  };
  // The inner state of the first state seen with each config (from init, or the first step of a
  // restored state): later states must have its structure, so a state edited by hand is rejected
  // before the transform reads past a buffer.
  const shapes = new WeakMap<object, unknown>();
  const checkMethodState = (where: string, s: TransformMethodState<unknown, C>, out?: unknown) => {
    checkState(where, s, { check: 'boolean' });
    const config: unknown = s.config;
    if (config === null || typeof config !== 'object') throw new DescentError('INVALID_STATE', where, 'state.config is not a config this method resolved');
    if (!cache.has(config)) {
      // A config this process did not resolve (a restored state): build its transform, turning
      // anything but a DescentError into one (the config is data from outside).
      try {
        transformOf(config as C);
      } catch (e) {
        if (isDescentError(e)) throw e;
        throw new DescentError('INVALID_STATE', where, `state.config is not a config of ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    let like = shapes.get(config);
    if (like === undefined) {
      // A restored state: the structure its inner state must have is the one init makes.
      try {
        like = transformOf(config as C).init(new Float64Array(s.x.length), [s.x.length]);
      } catch {
        like = s.inner;
      }
      shapes.set(config, like);
    }
    assertSameBuffers(where, like, s.inner, 'state.inner');
    if (out !== undefined) checkInto(where, s, out);
  };
  const into = (s: TransformMethodState<unknown, C>, g: Float64Array, out: Mutable<TransformMethodState<unknown, C>>) => {
    const n = s.x.length;
    checkGrad(`${name}.step`, g, n, s.check);
    const t = transformOf(s.config);
    // The update is computed into out.x (distinct from g and s.x), then x is added in place.
    const u = out.x;
    out.inner = t.updateInto(g, s.inner, s.x, u, out.inner);
    const x = s.x;
    // acc += v − v is NaN exactly when some new parameter is not finite: an update that overflowed
    // (a momentum buffer or Nesterov mix past the largest double, say) is rejected, never returned.
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]! + u[i]!;
      u[i] = v;
      acc += v - v;
    }
    if (acc !== 0 && s.check) {
      let i = 0;
      while (u[i]! - u[i]! === 0) i++;
      throw new DescentError('NON_FINITE', `${name}.step`, `the update overflowed at coordinate ${i} (gradient or momentum too large for a finite step)`);
    }
    out.query = u;
    out.t = s.t + 1;
    out.config = s.config;
    out.check = s.check;
    return out;
  };
  return {
    name,
    observes: 'grad',
    init(cfg: Cfg, x0: Float64Array, key?: Key) {
      const where = `${name}.init`;
      checkX0(where, x0);
      const config = resolve(cfg, x0);
      const t = transformOf(config);
      const x = x0.slice();
      const inner = t.init(x, [x.length], key);
      shapes.set(config, inner);
      return { x, query: x, t: 0, inner, config, check: flag(where, 'check', checkOf(cfg), true) };
    },
    step(s, g) {
      checkMethodState(`${name}.step`, s);
      const x = new Float64Array(s.x.length);
      return into(s, g, { ...s, x, query: x, inner: cloneState(s.inner) });
    },
    stepInto(s, g, out) {
      checkMethodState(`${name}.stepInto`, s);
      checkState(`${name}.stepInto`, out, {});
      checkOut(`${name}.stepInto`, s, out);
      checkInto(`${name}.stepInto`, s, out);
      return into(s, g, out as Mutable<TransformMethodState<unknown, C>>);
    },
  };
}

/**
 * Turns a transform (usually a {@link chain} ending in {@link scaleByLearningRate}) into a
 * first-order method: x ← x + u. The transform sees the whole parameter vector as one block of shape
 * `[n]`; wrap it in {@link route} to give matrix blocks their shapes.
 *
 * @example
 * ```ts
 * import { fromTransform, chain, traceMomentum, scaleByLearningRate } from '@descent/optimizers';
 * const heavyBall = fromTransform(chain(traceMomentum({ momentum: 0.9 }), scaleByLearningRate(0.1)), 'heavy-ball');
 * const s = heavyBall.step(heavyBall.init({}, new Float64Array([1])), new Float64Array([1]));
 * s.x[0];
 * // 0.9
 * ```
 */
export function fromTransform<S>(transform: Transform<S>, name = transform.name): FirstOrderMethod<TransformMethodConfig, TransformMethodState<S, { readonly transform: string }>> {
  if (transform === null || typeof transform !== 'object' || typeof transform.updateInto !== 'function') {
    throw new DescentError('INVALID_CONFIG', 'fromTransform', 'expected a Transform');
  }
  return transformMethod<TransformMethodConfig, { readonly transform: string }>(
    name,
    (cfg) => {
      assertKnownKeys(cfg, ['check'], `${name}.init`);
      return { transform: transform.name };
    },
    () => transform as Transform<unknown>,
    (cfg) => cfg?.check,
  ) as FirstOrderMethod<TransformMethodConfig, TransformMethodState<S, { readonly transform: string }>>;
}
