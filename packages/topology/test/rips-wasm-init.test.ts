import { describe, expect, test, vi } from 'vitest';
import { key, uniform } from '@descent/linalg';
import { initRipsWasm, ripserOutput, ripsPersistence, type PersistenceResult } from '@descent/topology';
import { DenseKernel, keptRipsKernelMemory, ripsWasmModule, setRipsKernelKeep } from '../src/internal/rips-wasm.js';

const bars = (r: PersistenceResult) => JSON.stringify(r.diagrams.map((d) => [Array.from(d.birth), Array.from(d.death)]));
const cloud = (n: number, seed: number) => ({ kind: 'points' as const, n, d: 3, data: uniform(key(seed), 3 * n) });

// What a browser's main thread says to `new WebAssembly.Module(bytes)` over its size limit.
const REFUSAL = 'WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB. Use WebAssembly.compile, or compile on a worker thread.';

type Topology = typeof import('../src/index.js');
type Linalg = typeof import('@descent/linalg');

/** Runs `f` on fresh module instances under a replaced global `WebAssembly` (undefined: none). */
async function withWebAssembly(replacement: object | undefined, f: (topology: Topology, linalg: Linalg) => Promise<void>): Promise<void> {
  vi.stubGlobal('WebAssembly', replacement);
  vi.resetModules();
  try {
    const topology = (await import('../src/index.js')) as Topology;
    const linalg = (await import('@descent/linalg')) as Linalg;
    await f(topology, linalg);
  } finally {
    vi.unstubAllGlobals();
    vi.resetModules();
  }
}

/** The real `WebAssembly` with `Module` (the synchronous compilation) and optionally `compile` replaced. */
function refusingWebAssembly(counts: { sync: number; async: number }, compileFails = false): object {
  const real = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;
  const Module = class {
    constructor() {
      counts.sync++;
      throw new RangeError(REFUSAL);
    }
  };
  const compile = (bytes: Uint8Array) => {
    counts.async++;
    return compileFails ? Promise.reject(new Error('CompileError: refused by the page policy')) : real.compile(bytes);
  };
  return new Proxy(real as object, { get: (t, k) => (k === 'Module' ? Module : k === 'compile' ? compile : Reflect.get(t, k)) });
}

describe('initRipsWasm', () => {
  test('resolves true in Node, returns the same promise every time, and the kernel runs after it', async () => {
    const p = initRipsWasm();
    expect(initRipsWasm()).toBe(p);
    expect(await p).toBe(true);
    expect(initRipsWasm()).toBe(p);
    const x = cloud(50, 1);
    const r = ripsPersistence(x);
    expect(r.stats.engine).toBe('wasm');
    expect(bars(r)).toBe(bars(ripsPersistence(x, { engine: 'js' })));
  });

  test('where the synchronous compilation is refused: auto runs JS and wasm throws until initRipsWasm; after it both run the kernel', async () => {
    const x = cloud(60, 2);
    const reference = ripsPersistence(x, { maxDim: 2, engine: 'js' });
    const text = '0,0\n1,0\n1,1\n0,1\n2,2\n';
    const cliReference = ripserOutput(text, { format: 'point-cloud', engine: 'js' });
    const counts = { sync: 0, async: 0 };
    await withWebAssembly(refusingWebAssembly(counts), async (t, l) => {
      const before = t.ripsPersistence(x, { maxDim: 2 });
      expect(counts.sync).toBeGreaterThan(0);
      expect(before.stats.engine).toBe('js');
      expect(bars(before)).toBe(bars(reference));
      let err: unknown;
      try {
        t.ripsPersistence(x, { engine: 'wasm' });
      } catch (e) {
        err = e;
      }
      expect(l.isDescentError(err, 'INVALID_CONFIG')).toBe(true);
      expect((err as Error).message).toMatch(/^ripsPersistence: .*engine 'wasm': WebAssembly is not available here/);
      expect(() => t.ripserOutput(text, { format: 'point-cloud', engine: 'wasm' })).toThrow(/WebAssembly is not available/);

      const p = t.initRipsWasm();
      expect(t.initRipsWasm()).toBe(p);
      expect(await p).toBe(true);
      expect(counts.async).toBe(1);
      const sync = counts.sync;
      for (const engine of ['auto', 'wasm'] as const) {
        const r = t.ripsPersistence(x, { maxDim: 2, engine });
        expect(r.stats.engine).toBe('wasm');
        expect(bars(r)).toBe(bars(reference));
        expect({ ...r.stats, engine: 'js' }).toEqual(reference.stats);
        expect(t.ripserOutput(text, { format: 'point-cloud', engine })).toBe(cliReference);
      }
      // the compiled module is used: no further synchronous attempt
      expect(counts.sync).toBe(sync);
      expect(await t.initRipsWasm()).toBe(true);
      expect(counts.async).toBe(1);
    });
  });

  test('resolves false (never rejects) where the compilation fails or WebAssembly is missing; the JS engine stays in use', async () => {
    const x = cloud(40, 3);
    const reference = bars(ripsPersistence(x, { engine: 'js' }));
    const counts = { sync: 0, async: 0 };
    await withWebAssembly(refusingWebAssembly(counts, true), async (t) => {
      expect(await t.initRipsWasm()).toBe(false);
      expect(counts.async).toBe(1);
      const r = t.ripsPersistence(x);
      expect(r.stats.engine).toBe('js');
      expect(bars(r)).toBe(reference);
      expect(() => t.ripsPersistence(x, { engine: 'wasm' })).toThrow(/WebAssembly is not available/);
    });
    await withWebAssembly(undefined, async (t) => {
      expect(await t.initRipsWasm()).toBe(false);
      expect(t.ripsPersistence(x).stats.engine).toBe('js');
    });
  });
});

describe('one kept instance', () => {
  test('consecutive runs reuse it and give the same bits as the JS engine, whatever ran before', () => {
    setRipsKernelKeep();
    const a = cloud(80, 4);
    const b = { ...cloud(70, 5), data: uniform(key(5), 210).map((v) => Math.round(v * 8) / 8) }; // ties
    const first = ripsPersistence(a, { maxDim: 2 });
    const memory = keptRipsKernelMemory();
    expect(memory).toBeDefined();
    const other = ripsPersistence(b, { modulus: 3, float32: true });
    const again = ripsPersistence(a, { maxDim: 2 });
    expect(keptRipsKernelMemory()).toBe(memory);
    for (const r of [first, other, again]) expect(r.stats.engine).toBe('wasm');
    expect(bars(again)).toBe(bars(first));
    expect(again.stats).toEqual(first.stats);
    expect(bars(first)).toBe(bars(ripsPersistence(a, { maxDim: 2, engine: 'js' })));
    expect(bars(other)).toBe(bars(ripsPersistence(b, { modulus: 3, float32: true, engine: 'js' })));
  });

  test('a matrix beyond the kept size gets an instance of its own: the kept one does not grow', () => {
    for (const [limits, small, big, maxDim] of [
      // the defaults: 1100² float64 distances = 9.7 MB, beyond the 8 MiB kept matrix
      [undefined, 30, 1100, 1],
      // a kept matrix of 40² float64: H0 only keeps the kept memory small, so any growth would show
      [{ matrixBytes: 40 * 40 * 8, memoryBytes: 96 * 2 ** 20 }, 40, 400, 0],
    ] as const) {
      try {
        setRipsKernelKeep(limits);
        const first = ripsPersistence(cloud(small, 6), { maxDim });
        expect(first.stats.engine).toBe('wasm');
        const memory = keptRipsKernelMemory()!;
        const bytes = memory.buffer.byteLength;
        const large = ripsPersistence(cloud(big, 7), { maxDim });
        expect(large.stats.engine).toBe('wasm');
        expect(large.stats.sparse).toBe(false);
        expect(keptRipsKernelMemory()).toBe(memory);
        expect(memory.buffer.byteLength).toBe(bytes);
        // the kept instance still gives the JS engine's bits
        const x = cloud(small, 8);
        expect(bars(ripsPersistence(x, { maxDim }))).toBe(bars(ripsPersistence(x, { maxDim, engine: 'js' })));
        expect(keptRipsKernelMemory()).toBe(memory);
      } finally {
        setRipsKernelKeep();
      }
    }
  });

  test('a run that grows the kept memory beyond its limit drops it, and the next run starts a new one', () => {
    try {
      setRipsKernelKeep({ matrixBytes: 8 * 2 ** 20, memoryBytes: 2 ** 20 });
      const x = cloud(40, 9);
      const r = ripsPersistence(x);
      expect(r.stats.engine).toBe('wasm');
      expect(keptRipsKernelMemory()).toBeUndefined();
      expect(bars(ripsPersistence(x))).toBe(bars(r));
    } finally {
      setRipsKernelKeep();
    }
  });

  test('a kernel whose kept instance a later run has taken refuses to touch it', () => {
    setRipsKernelKeep();
    const module = ripsWasmModule()!;
    const first = new DenseKernel(module, 5, true);
    first.matrix();
    const second = new DenseKernel(module, 6, false);
    expect(second.matrix().every((v) => v === 0)).toBe(true);
    expect(() => first.matrix()).toThrow(/taken by a later run/);
    expect(() => first.run(1, 2, Infinity, 1, false, false)).toThrow(/taken by a later run/);
  });
});
