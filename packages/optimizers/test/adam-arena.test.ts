import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { key, normal } from '@descent/linalg';
import { wasmApi } from '@descent/linalg/wasm';
import { adam, adamw, cloneState, iterate, minimize, type AdamState } from '@descent/optimizers';
import { firstDifference, pingPongMatchesStep } from '@descent/optimizers/laws';
import { adamRange } from '../src/adam.js';
import { adamConfigs } from './arbitraries.js';
import { ARENA_MIN_LENGTH, PARALLEL_MIN_LENGTH, adamModuleBytes, type AdamKernelVariant } from '../src/internal/adam-wasm.js';
import { terminateAdamWorkers } from '../src/internal/adam-threads.js';

// The drivers' Adam/AdamW ping-pong states live in one WebAssembly memory and step by a SIMD kernel
// that must give the JavaScript kernel's bits: for every variant, odd lengths (the last element goes
// through JavaScript), and gradients with zeros of both signs, huge and tiny entries.

const SPECIAL = [0, -0, 1e150, -1e-300, 5e-324, 1e-8]; // 1e150: squares stay finite

/** A gradient of length n: seeded normals times a scale, with special values at chosen places. */
const gradient = (n: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: 1 << 30 }), fc.constantFrom(1e-6, 1, 1e6), fc.array(fc.tuple(fc.nat(n - 1), fc.constantFrom(...SPECIAL)), { maxLength: 8 }))
    .map(([seed, scale, specials]) => {
      const g = normal(key(seed), n).map((v) => v * scale);
      for (const [i, v] of specials) g[i] = v;
      return g;
    });
const arenaRuns = fc
  .tuple(adamConfigs, fc.constantFrom(ARENA_MIN_LENGTH, ARENA_MIN_LENGTH + 1, 4099), fc.integer({ min: 1, max: 4 }))
  .chain(([config, n, steps]) => fc.record({ config: fc.constant(config), x0: gradient(n), obs: fc.array(gradient(n), { minLength: steps, maxLength: steps }) }));

describe('Adam in a WebAssembly arena', () => {
  for (const m of [adam, adamw]) {
    test(`${m.name}: stepInto between pingPongStates is bit-identical to step`, () => fc.assert(pingPongMatchesStep(m, arenaRuns), { numRuns: 25 }));
  }

  test('each kernel variant, called directly, gives adamRange\'s bits', () => {
    const n = 1000; // even: the kernel does every element
    const api = wasmApi!;
    const mem = new api.Memory({ initial: Math.ceil((9 * 8 * n) / 65536) });
    const k = new api.Instance(new api.Module(adamModuleBytes()), { env: { mem } }).exports as Record<AdamKernelVariant, (...a: number[]) => number>;
    const at = (slot: number) => new Float64Array(mem.buffer, 8 * n * slot, n);
    const [x, g, m, v, w, xo, mo, vo, wo] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(at) as Float64Array[] as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    x.set(normal(key(1), n));
    g.set(normal(key(2), n));
    m.set(normal(key(3), n));
    v.set(normal(key(4), n).map(Math.abs));
    w.set(normal(key(5), n).map(Math.abs));
    const cases: [AdamKernelVariant, boolean, number, number, boolean][] = [
      // variant, decoupled, weight decay, gradient sign, amsgrad
      ['plain', true, 0, 1, false],
      ['decay', true, 0.3, 1, false],
      ['general', false, 0.3, -1, false],
      ['amsgrad', false, 0.3, -1, true],
      ['amsgrad', true, 0, 1, true], // after the edits below: NaN gradient, zeros of both signs
    ];
    const edits = () => {
      g[5] = NaN; // check: false lets it through: the ternary keeps vMax where max() would give NaN
      v.set([-0, 0], 6);
      w.set([0, -0], 6);
    };
    for (const [c, [variant, decoupled, wd, sgn, ams]] of cases.entries()) {
      if (c === cases.length - 1) edits();
      const [ex, em, ev, ew] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      const t = 7, lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
      adamRange(x, g, m, v, w, ex, em, ev, ew, 0, n, t, lr, b1, b2, eps, wd, decoupled, ams, sgn, 1);
      const decay = decoupled ? 1 - lr * wd : 1;
      const acc = k[variant](0, 8 * n, 16 * n, 24 * n, 32 * n, 40 * n, 48 * n, 56 * n, 64 * n, 8 * n,
        sgn, decoupled ? 0 : wd, b1, 1 - b1, b2, 1 - b2, decay, -lr / (1 - b1 ** t), Math.sqrt(1 - b2 ** t), eps);
      expect(acc).toBe(c === cases.length - 1 ? NaN : 0);
      expect(firstDifference({ x: xo, m: mo, v: vo }, { x: ex, m: em, v: ev }), variant).toBeUndefined();
      if (ams) expect(firstDifference(wo, ew)).toBeUndefined();
    }
  });

  test('the pair shares one WebAssembly memory; small states get ordinary copies', () => {
    const s = adam.init({}, new Float64Array(ARENA_MIN_LENGTH));
    const [a, b] = adam.pingPongStates!(s);
    expect(a.x.buffer).toBe(b.m.buffer);
    expect(a.x.buffer.byteLength).toBeGreaterThanOrEqual(8 * 7 * ARENA_MIN_LENGTH);
    expect(a.query).toBe(a.x);
    const small = adam.init({}, new Float64Array(ARENA_MIN_LENGTH - 1));
    const [c, d] = adam.pingPongStates!(small);
    expect(c.x.buffer).not.toBe(d.x.buffer);
    expect(firstDifference(c, small)).toBeUndefined();
  });

  test('a non-finite gradient in the arena → NON_FINITE at its index; the state is untouched', () => {
    const n = 3001;
    const s0 = adam.init({ lr: 0.1 }, normal(key(7), n));
    const [a, b] = adam.pingPongStates!(s0);
    const s1 = adam.stepInto!(a, normal(key(8), n), b);
    const before = cloneState(s1);
    for (const bad of [17, n - 1]) {
      const g = normal(key(9), n);
      g[bad] = NaN;
      g[bad + (bad < n - 1 ? 5 : -5)] = Infinity; // a second bad entry: the first index is reported
      const first = Math.min(bad, bad + (bad < n - 1 ? 5 : -5));
      expect(() => adam.stepInto!(s1, g, a)).toThrow(expect.objectContaining({ code: 'NON_FINITE', message: expect.stringContaining(`gradient[${first}] is`) }));
      expect(firstDifference(s1, before)).toBeUndefined();
    }
    const unchecked = adam.pingPongStates!(adam.init({ check: false }, new Float64Array(n)));
    const g = new Float64Array(n);
    g[3] = NaN;
    expect(Number.isNaN(adam.stepInto!(unchecked[0], g, unchecked[1]).x[3])).toBe(true);
  });

  test('cloneState copies an arena state out into ordinary arrays', () => {
    const s = adamw.init({ amsgrad: true }, normal(key(1), 5000));
    const [a] = adamw.pingPongStates!(s);
    const c = cloneState(a);
    expect(firstDifference(c, a)).toBeUndefined();
    expect(c.x.buffer.byteLength).toBe(8 * 5000);
    expect(c.query).toBe(c.x);
    expect(c.m.buffer).not.toBe(c.x.buffer);
  });

  test('drivers: arena runs equal the pure loop, and minimize hands back ordinary arrays', () => {
    const n = 2500;
    const target = normal(key(3), n);
    const oracle = (x: Float64Array) => {
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) g[i] = (i % 7 + 1) * (x[i]! - target[i]!);
      return g;
    };
    const s0 = adamw.init({ lr: 0.05 }, new Float64Array(n));
    let pure: AdamState = s0;
    for (let k = 0; k < 30; k++) pure = adamw.step(pure, oracle(pure.query));
    const r = minimize(adamw, oracle, { state: s0, maxSteps: 30 });
    expect(firstDifference(r.state, pure)).toBeUndefined();
    expect(r.state.x.buffer.byteLength).toBe(8 * n);
    let last: AdamState | undefined;
    for (const s of iterate(adamw, oracle, { state: s0, steps: 30 })) last = s;
    expect(firstDifference(last, pure)).toBeUndefined();
  });
});

describe('Adam in a shared arena stepped by worker threads', () => {
  afterAll(terminateAdamWorkers);
  // Slices are split at even offsets over the calling thread and threads − 1 workers; lengths just
  // above the threshold give uneven last slices and an odd tail.
  const threadedRuns = fc
    .tuple(adamConfigs, fc.constantFrom(2, 3), fc.constantFrom(PARALLEL_MIN_LENGTH, PARALLEL_MIN_LENGTH + 1, PARALLEL_MIN_LENGTH + 7), fc.integer({ min: 1, max: 3 }))
    .chain(([config, threads, n, steps]) =>
      fc.record({ config: fc.constant({ ...config, threads }), x0: gradient(n), obs: fc.array(gradient(n), { minLength: steps, maxLength: steps }) }),
    );
  test('stepInto between pingPongStates with 2 and 3 threads is bit-identical to step', () => {
    fc.assert(pingPongMatchesStep(adam, threadedRuns), { numRuns: 6 });
    fc.assert(pingPongMatchesStep(adamw, threadedRuns), { numRuns: 6 });
  });
  test('threads > 1 lays the pair out in shared memory; below the threshold it stays private', () => {
    const [a] = adam.pingPongStates!(adam.init({ threads: 2 }, new Float64Array(PARALLEL_MIN_LENGTH)));
    expect(Object.prototype.toString.call(a.x.buffer)).toBe('[object SharedArrayBuffer]');
    const [b] = adam.pingPongStates!(adam.init({ threads: 2 }, new Float64Array(PARALLEL_MIN_LENGTH - 1)));
    expect(Object.prototype.toString.call(b.x.buffer)).toBe('[object ArrayBuffer]');
  });
  test('a non-finite gradient in a worker\'s slice is reported at its index; the state is untouched', () => {
    const n = PARALLEL_MIN_LENGTH + 1;
    const [a, b] = adam.pingPongStates!(adam.init({ threads: 2 }, normal(key(4), n)));
    const before = cloneState(a);
    const g = normal(key(5), n);
    g[n - 10] = -Infinity; // in the worker's slice
    expect(() => adam.stepInto!(a, g, b)).toThrow(expect.objectContaining({ code: 'NON_FINITE', message: expect.stringContaining(`gradient[${n - 10}] is -Infinity`) }));
    expect(firstDifference(a, before)).toBeUndefined();
  });
  test('threads must be an integer in [1, 64]', () => {
    for (const threads of [0, 1.5, 65, NaN]) {
      expect(() => adam.init({ threads }, new Float64Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
  });
});
