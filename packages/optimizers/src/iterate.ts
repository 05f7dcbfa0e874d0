import { assertKnownKeys, DescentError } from '@descent/linalg';
import type { Method, MethodState, Oracle } from './method.js';
import { checkMethod } from './internal/method-check.js';
import { pingPongStates } from './internal/ping-pong.js';
import { callOracle, observation, type Observed } from './internal/observe.js';
import { START_KEYS, startState, type Start } from './minimize.js';

/** Options of {@link iterate}. */
export type IterateOptions<Cfg, State> = Start<Cfg, State> & {
  /** Steps to take; unbounded when omitted (stop by breaking out of the loop). */
  readonly steps?: number;
};

/**
 * Steps `method` against `oracle` lazily, yielding each new state. The loop ping-pongs two states
 * through `stepInto` (no allocation per step): a yielded state is valid until the generator is
 * resumed twice, so `cloneState` it to keep it. The state given is never written.
 *
 * @example
 * ```ts
 * import { iterate, sgd } from '@descent/optimizers';
 * const xs: number[] = [];
 * for (const s of iterate(sgd, (x) => new Float64Array([x[0]!]), { config: { lr: 0.5 }, x0: new Float64Array([1]), steps: 3 })) xs.push(s.x[0]!);
 * xs;
 * // [0.5, 0.25, 0.125]
 * ```
 */
export function iterate<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  oracle: Oracle,
  options: IterateOptions<Cfg, State>,
): Generator<State, State, undefined> {
  // Arguments are checked here, when iterate is called, not at the first next() of the generator.
  checkMethod('iterate', method);
  const where = `iterate(${method.name})`;
  assertKnownKeys(options, START_KEYS.concat('steps'), where, 'options');
  const steps = options.steps ?? Infinity;
  if (!(steps >= 0) || (steps !== Infinity && !Number.isInteger(steps))) {
    throw new DescentError('INVALID_CONFIG', where, `steps must be a non-negative integer, got ${String(steps)}`);
  }
  const state = startState(where, method, options);
  if (typeof oracle !== 'function') throw new DescentError('INVALID_CONFIG', where, 'oracle must be a function');
  return run(method, oracle, steps, state, where);
}

function* run<Cfg, State extends MethodState, Obs>(method: Method<Cfg, State, Obs>, oracle: Oracle, steps: number, start: State, where: string): Generator<State, State, undefined> {
  let state = start;
  const stepInto = method.stepInto;
  const [a, b] = stepInto !== undefined && steps > 0 ? pingPongStates(method as Method<unknown, State, unknown>, state) : [undefined, undefined];
  const o: Observed = { value: NaN, grad: new Float64Array(0), raw: new Float64Array(0) };
  const vg = { value: 0, grad: o.grad };
  for (let k = 0; k < steps; k++) {
    callOracle(where, oracle, state.query, o);
    const obs = observation(where, method as Method<unknown, State, unknown>, o, vg) as Obs;
    state = stepInto !== undefined ? stepInto.call(method, state, obs, k % 2 === 0 ? a! : b!) : method.step(state, obs);
    yield state;
  }
  return state;
}
