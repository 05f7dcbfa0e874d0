import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { key, normal } from '@descent/linalg';
import { wasmApi } from '@descent/linalg/wasm';
import { adam, adamw, iterate, minimize, type AdamState } from '@descent/optimizers';
import { firstDifference, pingPongMatchesStep } from '@descent/optimizers/laws';
import { adamConfigs } from './arbitraries.js';
import { ARENA_MIN_LENGTH, PARALLEL_MIN_LENGTH, isArenaBuffer, resetAdamModules } from '../src/internal/adam-wasm.js';
import { terminateAdamWorkers } from '../src/internal/adam-threads.js';

// An engine may refuse to compile the kernel synchronously (a browser's main thread above a size
// limit) or throw on bytes it validated. Adam must then lay its ping-pong pair out in ordinary arrays
// and step with the JavaScript kernel, giving the same bits, instead of failing in the drivers.

// wasmApi is the global WebAssembly namespace, so this replaces the constructor the kernel calls.
const refuse = () =>
  vi.spyOn(wasmApi!, 'Module').mockImplementation(function () {
    throw new RangeError('WebAssembly.Module(): synchronous compilation refused');
  });

const runs = fc
  .tuple(adamConfigs, fc.constantFrom(ARENA_MIN_LENGTH, ARENA_MIN_LENGTH + 1), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1 << 30 }))
  .map(([config, n, steps, seed]) => ({ config, x0: normal(key(seed), n), obs: Array.from({ length: steps }, (_, k) => normal(key(seed + k + 1), n)) }));

describe('Adam when the WebAssembly module does not compile', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    resetAdamModules();
    terminateAdamWorkers();
  });

  test('pingPongStates hands out ordinary arrays (one and several threads) and the compiler is asked once', () => {
    resetAdamModules();
    const spy = refuse();
    for (const threads of [1, 2]) {
      const s = adam.init({ threads }, normal(key(1), PARALLEL_MIN_LENGTH));
      const [a, b] = adam.pingPongStates!(s);
      expect(isArenaBuffer(a.x.buffer) || isArenaBuffer(b.x.buffer)).toBe(false);
      expect(a.x.buffer).not.toBe(b.x.buffer);
      expect(firstDifference(a, s)).toBeUndefined();
    }
    // Both the private and the shared module were tried, and the refusal is cached.
    expect(spy).toHaveBeenCalledTimes(2);
    adam.pingPongStates!(adam.init({}, new Float64Array(ARENA_MIN_LENGTH)));
    expect(spy).toHaveBeenCalledTimes(2);
  });

  for (const m of [adam, adamw]) {
    test(`${m.name}: stepInto between the fallback pingPongStates is bit-identical to step`, () => {
      resetAdamModules();
      const spy = refuse();
      fc.assert(pingPongMatchesStep(m, runs), { numRuns: 10 });
      expect(spy).toHaveBeenCalled();
    });
  }

  test('minimize and iterate run and give the pure loop\'s bits, which the WebAssembly arena also gives', () => {
    const n = 2500;
    const target = normal(key(3), n);
    const oracle = (x: Float64Array) => {
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) g[i] = ((i % 7) + 1) * (x[i]! - target[i]!);
      return g;
    };
    const s0 = adamw.init({ lr: 0.05, amsgrad: true }, new Float64Array(n));
    let pure: AdamState = s0;
    for (let k = 0; k < 30; k++) pure = adamw.step(pure, oracle(pure.query));

    // Without the stub the drivers do use an arena, so the comparison below is between two engines.
    resetAdamModules();
    expect(isArenaBuffer(adamw.pingPongStates!(s0)[0].x.buffer)).toBe(true);
    const wasm = minimize(adamw, oracle, { state: s0, maxSteps: 30 });

    resetAdamModules();
    const spy = refuse();
    expect(isArenaBuffer(adamw.pingPongStates!(s0)[0].x.buffer)).toBe(false);
    const js = minimize(adamw, oracle, { state: s0, maxSteps: 30 });
    let last: AdamState | undefined;
    for (const s of iterate(adamw, oracle, { state: s0, steps: 30 })) last = s;
    expect(spy).toHaveBeenCalled();

    expect(firstDifference(js.state, pure)).toBeUndefined();
    expect(firstDifference(last, pure)).toBeUndefined();
    expect(firstDifference(js.state, wasm.state)).toBeUndefined();
  });
});
