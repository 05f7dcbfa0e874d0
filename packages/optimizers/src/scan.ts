import { assertKnownKeys, DescentError } from '@descent/linalg';
import { checkMethod } from './internal/method-check.js';
import type { Method, MethodState } from './method.js';
import { detachState, pingPongStates } from './internal/ping-pong.js';
import { START_KEYS, startState, type Start } from './minimize.js';

/** Options of {@link scan}. */
export type ScanOptions<Cfg, State> = Start<Cfg, State> & {
  /** Called after each step with the new state (reused buffers: copy what you keep) and the step index. */
  readonly each?: (state: State, k: number) => void;
};

/**
 * Folds a method over a sequence of observations (JAX's `lax.scan` without stacked outputs): for a
 * stream of gradients, scores, samples or batch statistics that does not depend on the state (use
 * {@link minimize} or {@link iterate} when the observation is taken at `state.query`). Ping-pongs two
 * states through `stepInto` (no allocation per step); the state given is never written.
 *
 * @example
 * ```ts
 * import { scan, sgd } from '@descent/optimizers';
 * const grads = [new Float64Array([1]), new Float64Array([2]), new Float64Array([3])];
 * scan(sgd, grads, { config: { lr: 0.1 }, x0: new Float64Array([0]) }).state.x[0];
 * // -0.6000000000000001
 * ```
 */
export function scan<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  observations: Iterable<Obs>,
  options: ScanOptions<Cfg, State>,
): { readonly state: State; readonly steps: number } {
  checkMethod('scan', method);
  const where = `scan(${method.name})`;
  assertKnownKeys(options, START_KEYS.concat('each'), where, 'options');
  if (observations === null || observations === undefined || typeof (observations as Iterable<Obs>)[Symbol.iterator] !== 'function') {
    throw new DescentError('INVALID_CONFIG', where, 'observations must be iterable');
  }
  let state = startState(where, method, options);
  const stepInto = method.stepInto;
  let bufs: readonly [State, State] | undefined;
  let k = 0;
  for (const obs of observations) {
    if (stepInto !== undefined) {
      bufs ??= pingPongStates(method as Method<unknown, State, unknown>, state);
      state = stepInto.call(method, state, obs, bufs[k % 2]!);
    } else {
      state = method.step(state, obs);
    }
    options.each?.(state, k);
    k++;
  }
  return { state: detachState(state), steps: k };
}
