import fc from 'fast-check';
import type { Key } from '@descent/linalg';
import { cloneState, type Method, type MethodState } from '../method.js';
import { firstDifference } from './same.js';

/** A generated run of a method: a config, a start, and the observations of its first steps. */
export interface MethodRun<Cfg, Obs> {
  readonly config: Cfg;
  readonly x0: Float64Array;
  readonly key?: Key;
  readonly obs: readonly Obs[];
}

function fail(what: string): never {
  throw new Error(what);
}

/**
 * Law: `step` is pure. Stepping through `run.obs` from `init(config, x0)`, no step changes (bit for
 * bit) the state or the observation it was given. Exact: no tolerance.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * import { stepNeverMutatesInputs } from '@descent/optimizers/laws';
 * const runs = fc.constant({ config: { lr: 0.1 }, x0: new Float64Array([1]), obs: [new Float64Array([1])] });
 * fc.check(stepNeverMutatesInputs(sgd, runs)).failed;
 * // false
 * ```
 */
export function stepNeverMutatesInputs<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  runs: fc.Arbitrary<MethodRun<Cfg, Obs>>,
): fc.IPropertyWithHooks<[MethodRun<Cfg, Obs>]> {
  return fc.property(runs, (run) => {
    let s = method.init(run.config, run.x0, run.key);
    for (let k = 0; k < run.obs.length; k++) {
      const o = run.obs[k]!;
      const sBefore = cloneState(s);
      const oBefore = cloneState(o);
      const next = method.step(s, o);
      const ds = firstDifference(s, sBefore);
      if (ds !== undefined) fail(`${method.name}.step ${k} mutated its state at ${ds}`);
      const dobs = firstDifference(o, oBefore);
      if (dobs !== undefined) fail(`${method.name}.step ${k} mutated its observation at ${dobs}`);
      if (next === s) fail(`${method.name}.step ${k} returned its input state`);
      s = next;
    }
  });
}

/**
 * Law: `stepInto` is bit-identical to `step`. Stepping through `run.obs` with `step`, and in parallel
 * with `stepInto` ping-ponging two buffers (which start as stale copies of an unrelated state, so a
 * field `stepInto` forgets to write shows up), gives identical states after every step. Exact.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { adam } from '@descent/optimizers';
 * import { stepIntoMatchesStep } from '@descent/optimizers/laws';
 * const runs = fc.constant({ config: {}, x0: new Float64Array([1, 2]), obs: [new Float64Array([1, -1])] });
 * fc.check(stepIntoMatchesStep(adam, runs)).failed;
 * // false
 * ```
 */
export function stepIntoMatchesStep<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  runs: fc.Arbitrary<MethodRun<Cfg, Obs>>,
): fc.IPropertyWithHooks<[MethodRun<Cfg, Obs>]> {
  return fc.property(runs, (run) => {
    const stepInto = method.stepInto;
    if (stepInto === undefined) fail(`${method.name} has no stepInto`);
    let pure = method.init(run.config, run.x0, run.key);
    // Stale buffers: a state one step ahead, so every field differs from what the next step writes.
    let stale = pure;
    if (run.obs.length > 0) stale = method.step(pure, run.obs[0]!);
    const bufs = [cloneState(stale), cloneState(stale)];
    let fast = cloneState(pure);
    for (let k = 0; k < run.obs.length; k++) {
      const o = run.obs[k]!;
      pure = method.step(pure, o);
      fast = stepInto.call(method, fast, o, bufs[k % 2]!);
      const d = firstDifference(fast, pure);
      if (d !== undefined) fail(`${method.name}: stepInto differs from step after step ${k + 1} at ${d}`);
    }
  });
}

/**
 * Law: a method's own ping-pong layout gives `step`'s results. For methods with `pingPongStates`
 * (Adam and AdamW lay the pair out in WebAssembly memory for their SIMD kernel): the pair it returns
 * equals the state it was given, and stepping through `run.obs` by `stepInto` between the two states
 * of the pair (stale copies of a later state, as in {@link stepIntoMatchesStep}) gives states
 * bit-identical to `step`'s after every step. Exact. Holds vacuously for methods without the hook.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { adam } from '@descent/optimizers';
 * import { pingPongMatchesStep } from '@descent/optimizers/laws';
 * const g = Float64Array.from({ length: 4099 }, (_, i) => Math.sin(i));
 * const runs = fc.constant({ config: { amsgrad: true }, x0: new Float64Array(4099), obs: [g, g, g] });
 * fc.check(pingPongMatchesStep(adam, runs), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function pingPongMatchesStep<Cfg, State extends MethodState, Obs>(
  method: Method<Cfg, State, Obs>,
  runs: fc.Arbitrary<MethodRun<Cfg, Obs>>,
): fc.IPropertyWithHooks<[MethodRun<Cfg, Obs>]> {
  return fc.property(runs, (run) => {
    const stepInto = method.stepInto;
    const pair = method.pingPongStates;
    if (stepInto === undefined || pair === undefined) return;
    let pure = method.init(run.config, run.x0, run.key);
    const stale = run.obs.length > 0 ? method.step(pure, run.obs[0]!) : pure;
    const bufs = pair.call(method, stale);
    for (const b of bufs) {
      const d = firstDifference(b, stale);
      if (d !== undefined) fail(`${method.name}.pingPongStates: a buffer differs from the state given at ${d}`);
    }
    // The first step writes from an ordinary state into the pair; the rest stay within it.
    let fast: State = cloneState(pure);
    for (let k = 0; k < run.obs.length; k++) {
      const o = run.obs[k]!;
      pure = method.step(pure, o);
      fast = stepInto.call(method, fast, o, bufs[k % 2]!);
      const d = firstDifference(fast, pure);
      if (d !== undefined) fail(`${method.name}: stepInto between pingPongStates differs from step after step ${k + 1} at ${d}`);
    }
  });
}
