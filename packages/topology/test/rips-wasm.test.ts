import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { key, uniform } from '@descent/linalg';
import { parseRipserArgs, ripserOutput, ripsPersistence, type PersistenceResult } from '@descent/topology';
import * as laws from '@descent/topology/laws';
import { ripsWasmBytes } from '../src/internal/rips-wasm.js';
import { fixture } from './helpers.js';
import { thrownError } from '@descent/linalg/laws';

// The WebAssembly kernel (assembly/rips.ts) is the JS engine's algorithm for dense input in dimensions
// 0 and 1: every result must be the JS engine's, bit for bit.

const bars = (r: PersistenceResult) => JSON.stringify(r.diagrams.map((d) => [Array.from(d.birth), Array.from(d.death)]));

describe('WebAssembly kernel', () => {
  test('the committed bytes are assembly/rips.ts compiled by the pinned AssemblyScript', async () => {
    const root = new URL('..', import.meta.url);
    const build = (await import(fileURLToPath(new URL('scripts/build-wasm.mjs', root)))) as {
      fresh(): Promise<{ bytes: Uint8Array; text: string; committed: string }>;
    };
    const { bytes, text, committed } = await build.fresh();
    expect(Buffer.from(ripsWasmBytes()).equals(Buffer.from(bytes))).toBe(true);
    expect(committed).toBe(text);
  });

  test('L25 WebAssembly kernel = JS engine (law)', () => {
    fc.assert(laws.engineAgreement(), { numRuns: 300, seed: 20261207 });
  });

  test('larger clouds: same bars and counters, H1 and H2, Z/2 and Z/3, with and without a threshold', () => {
    for (const [n, maxDim, modulus, threshold] of [
      [300, 1, 2, undefined],
      [250, 2, 2, undefined],
      [200, 2, 3, undefined],
      [400, 1, 2, 0.6],
    ] as const) {
      const x = { kind: 'points' as const, n, d: 3, data: uniform(key(n + maxDim), 3 * n) };
      for (const float32 of [false, true]) {
        const o = { maxDim, modulus, float32, ...(threshold !== undefined ? { threshold } : {}) };
        const js = ripsPersistence(x, { ...o, engine: 'js' });
        const wasm = ripsPersistence(x, { ...o, engine: 'wasm' });
        expect(wasm.stats.engine).toBe('wasm');
        expect(js.stats.engine).toBe('js');
        expect(bars(wasm)).toBe(bars(js));
        expect({ ...wasm.stats, engine: 'js' }).toEqual(js.stats);
      }
    }
  });

  test('options the kernel lacks run in JS (same result); engine is validated', () => {
    const x = { kind: 'points' as const, n: 40, d: 2, data: uniform(key(3), 80) };
    const withCocycles = ripsPersistence(x, { cocycles: true, engine: 'wasm' });
    expect(withCocycles.stats.engine).toBe('js');
    expect(bars(withCocycles)).toBe(bars(ripsPersistence(x, { engine: 'wasm' })));
    expect(ripsPersistence(x, { generators: true }).stats.engine).toBe('js');
    expect(ripsPersistence(x, { onProgress: () => {} }).stats.engine).toBe('js');
    expect(ripsPersistence(x, { sparse: true, engine: 'wasm' }).stats.engine).toBe('js');
    const err = thrownError(() => ripsPersistence(x, { engine: 'fast' as 'js' }));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/engine/);
  });

  test('the CLI prints the same with --engine js and the default engine on every fixture', () => {
    const cases = fixture<Array<{ name: string; args: string[]; input?: string; inputBase64?: string; stdout: string }>>('topology_ripser_cli.json');
    for (const c of cases) {
      const input = c.inputBase64 !== undefined ? new Uint8Array(Buffer.from(c.inputBase64, 'base64')) : c.input!;
      const { options } = parseRipserArgs(c.args);
      expect(ripserOutput(input, { ...options, engine: 'js' })).toBe(c.stdout);
      expect(ripserOutput(input, { ...options, engine: 'wasm' })).toBe(c.stdout);
    }
    expect(parseRipserArgs(['--engine', 'js']).options.engine).toBe('js');
    expect(() => parseRipserArgs(['--engine', 'gpu'])).toThrow(/--engine/);
  });

  test('without WebAssembly: auto runs JS with the same result, wasm is INVALID_CONFIG', async () => {
    const x = { kind: 'points' as const, n: 60, d: 3, data: uniform(key(11), 180) };
    const withKernel = ripsPersistence(x, { maxDim: 2 });
    expect(withKernel.stats.engine).toBe('wasm');
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    try {
      const fresh = (await import('../src/rips.js')) as typeof import('../src/rips.js');
      const io = (await import('../src/ripser-io.js')) as typeof import('../src/ripser-io.js');
      const r = fresh.ripsPersistence(x, { maxDim: 2 });
      expect(r.stats.engine).toBe('js');
      expect(bars(r)).toBe(bars(withKernel));
      expect(() => fresh.ripsPersistence(x, { engine: 'wasm' })).toThrow(/WebAssembly is not available/);
      const text = '0,0\n1,0\n1,1\n0,1\n';
      expect(io.ripserOutput(text, { format: 'point-cloud' })).toBe(ripserOutput(text, { format: 'point-cloud' }));
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
