import { assertKnownKeys, assertSize, DescentError, describeValue, type Key } from '@descent/linalg';
import { checkMethod } from './internal/method-check.js';
import type { Method, MethodState, Oracle } from './method.js';
import { detachState, pingPongStates } from './internal/ping-pong.js';
import { callOracle, distance, norm, observation, type Observed } from './internal/observe.js';

/** Where a driver starts: an existing state, or a config and a starting point for `method.init`. */
export type Start<Cfg, State> = { readonly state: State } | { readonly config: Cfg; readonly x0: Float64Array; readonly key?: Key };

/** What a driver reports after each step (one object, reused between steps). */
export interface StepInfo {
  /** Steps taken so far (after this step). */
  t: number;
  /** Loss at the point the step observed (NaN when the oracle gives no value). */
  value: number;
  /** ‖gradient‖₂ at the point the step observed. */
  gradNorm: number;
  /** ‖x_{t} − x_{t−1}‖₂, the length of the step just taken. */
  stepNorm: number;
}

/** Options of {@link minimize}. */
export type MinimizeOptions<Cfg, State> = Start<Cfg, State> & {
  /** Most steps to take (required: drivers never loop forever). */
  readonly maxSteps: number;
  /** Record loss, gradient norm and step norm of every step (preallocated; no allocation in the loop). */
  readonly trace?: boolean;
  /** Stop before stepping once the observed gradient has ‖g‖₂ ≤ gradTol. */
  readonly gradTol?: number;
  /** Stop after a step when this returns true. `info` is reused between calls: copy what you keep. */
  readonly stop?: (info: Readonly<StepInfo>, state: State) => boolean;
};

/** The trace of a driver run: entry i describes step i+1. */
export interface Trace {
  readonly value: Float64Array;
  readonly gradNorm: Float64Array;
  readonly stepNorm: Float64Array;
}

/** The outcome of {@link minimize}. */
export interface MinimizeResult<State> {
  /** The final state (owned by the caller: the driver keeps no reference to it). */
  readonly state: State;
  /** Steps taken in this run. */
  readonly steps: number;
  /** Why the run ended. */
  readonly reason: 'maxSteps' | 'gradTol' | 'stop';
  /** Present when `trace: true`: arrays of length `steps`. */
  readonly trace?: Trace;
}

/** The keys of a {@link Start}: every driver's options take them. */
export const START_KEYS: readonly string[] = ['state', 'config', 'x0', 'key'];

/** Validates a start and returns the initial state. */
export function startState<Cfg, State extends MethodState, Obs>(where: string, method: Method<Cfg, State, Obs>, start: Start<Cfg, State>): State {
  if ('state' in start && start.state !== undefined) {
    const x = (start.state as { x?: unknown } | null)?.x;
    if (!(x instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', where, `options.state must be a state of the method (an object with a Float64Array x), got ${describeValue(start.state)}`);
    return start.state;
  }
  if ('config' in start && 'x0' in start) return method.init(start.config, start.x0, start.key);
  throw new DescentError('INVALID_CONFIG', where, 'give either { state } or { config, x0 }');
}

/**
 * Runs `method` against `oracle` for at most `maxSteps` steps and returns the final state. Each step
 * evaluates the oracle at `state.query` and passes the gradient (or `{ value, grad }` to methods that
 * observe the loss) to the method. The loop ping-pongs two states through `stepInto` when the method
 * has it, so it allocates nothing per step beyond what the oracle allocates; the state given is never
 * written.
 *
 * Stop rules: `maxSteps`; `gradTol` (checked on each observation, before stepping); `stop(info, state)`
 * (checked after each step).
 *
 * @example
 * ```ts
 * import { minimize, sgd } from '@descent/optimizers';
 * const r = minimize(sgd, (x) => ({ value: 0.5 * x[0]! ** 2, grad: new Float64Array([x[0]!]) }),
 *   { config: { lr: 0.5 }, x0: new Float64Array([1]), maxSteps: 100, gradTol: 1e-6, trace: true });
 * [r.reason, r.steps, r.trace!.value[0]];
 * // ['gradTol', 20, 0.5]
 * ```
 */
export function minimize<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  oracle: Oracle,
  options: MinimizeOptions<Cfg, State>,
): MinimizeResult<State> {
  checkMethod('minimize', method);
  const where = `minimize(${method.name})`;
  assertKnownKeys(options, START_KEYS.concat('maxSteps', 'trace', 'gradTol', 'stop'), where, 'options');
  const maxSteps = options.maxSteps;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 0) {
    throw new DescentError('INVALID_CONFIG', where, `maxSteps must be a non-negative integer, got ${String(maxSteps)}`);
  }
  const gradTol = options.gradTol;
  if (gradTol !== undefined && (typeof gradTol !== 'number' || !(gradTol >= 0))) {
    throw new DescentError('INVALID_CONFIG', where, `gradTol must be non-negative, got ${String(gradTol)}`);
  }
  const stop = options.stop;
  if (stop !== undefined && typeof stop !== 'function') throw new DescentError('INVALID_CONFIG', where, `stop must be a function, got ${describeValue(stop)}`);
  const traced = options.trace ?? false;
  if (typeof traced !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `trace must be a boolean, got ${describeValue(traced)}`);
  // The trace holds three arrays of maxSteps entries: bounded like every other allocation.
  if (traced) assertSize(maxSteps, where, 'maxSteps (with trace)');
  const trace: Trace | undefined = traced
    ? { value: new Float64Array(maxSteps), gradNorm: new Float64Array(maxSteps), stepNorm: new Float64Array(maxSteps) }
    : undefined;
  const needNorms = traced || stop !== undefined;

  let state = startState(where, method, options);
  const stepInto = method.stepInto;
  // Ping-pong buffers: never write the caller's state; allocate both copies once.
  let a: State | undefined;
  let b: State | undefined;
  if (stepInto !== undefined && maxSteps > 0) [a, b] = pingPongStates(method as Method<unknown, State, unknown>, state);
  const o: Observed = { value: NaN, grad: new Float64Array(0), raw: new Float64Array(0) };
  const vg = { value: 0, grad: o.grad };
  const info: StepInfo = { t: state.t, value: NaN, gradNorm: NaN, stepNorm: NaN };
  let reason: MinimizeResult<State>['reason'] = 'maxSteps';
  let steps = 0;
  while (steps < maxSteps) {
    callOracle(where, oracle, state.query, o);
    const gradNorm = needNorms || gradTol !== undefined ? norm(o.grad) : NaN;
    if (gradTol !== undefined && gradNorm <= gradTol) {
      reason = 'gradTol';
      break;
    }
    const obs = observation(where, method as Method<unknown, State, unknown>, o, vg) as Obs;
    const prev = state;
    if (stepInto !== undefined) {
      const out = steps % 2 === 0 ? a! : b!;
      state = stepInto.call(method, prev, obs, out);
    } else {
      state = method.step(prev, obs);
    }
    steps++;
    if (needNorms) {
      info.t = state.t;
      info.value = o.value;
      info.gradNorm = gradNorm;
      info.stepNorm = distance(state.x, prev.x);
      if (trace !== undefined) {
        trace.value[steps - 1] = info.value;
        trace.gradNorm[steps - 1] = gradNorm;
        trace.stepNorm[steps - 1] = info.stepNorm;
      }
      if (stop !== undefined && stop(info, state)) {
        reason = 'stop';
        break;
      }
    }
  }
  const result: MinimizeResult<State> = {
    state: detachState(state),
    steps,
    reason,
    ...(trace !== undefined
      ? { trace: { value: trace.value.slice(0, steps), gradNorm: trace.gradNorm.slice(0, steps), stepNorm: trace.stepNorm.slice(0, steps) } }
      : {}),
  };
  return result;
}
