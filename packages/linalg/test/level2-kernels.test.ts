import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { eigh, key, normal, qr, svd, type Matrix } from '@descent/linalg';
import { maxAbsDiff } from '@descent/linalg/laws';
import { level2Kernels, level2WasmBytes, useJsLevel2Kernels, type Level2Kernels } from '../src/kernels/level2-kernels.js';

// The level-2 kernels of eigh and svd (assembly/level2.ts) run as WebAssembly SIMD or, where that is missing,
// as JavaScript doing the same operations in the same order: both must give the same bits, and both
// must be the products they claim to be.

afterEach(() => useJsLevel2Kernels(false));

/** Both kernel sets, each with a heap of `size` doubles filled from `seed` (the same data in both). */
function pair(size: number, seed: number): [Level2Kernels, Level2Kernels] {
  useJsLevel2Kernels(true);
  const js = level2Kernels(size);
  useJsLevel2Kernels(false);
  const wasm = level2Kernels(size);
  const data = normal(key(seed), size);
  js.heap.set(data, js.start);
  wasm.heap.set(data, wasm.start);
  return [js, wasm];
}

const region = (k: Level2Kernels, from: number, len: number) => Array.from(k.heap.subarray(k.start + from, k.start + from + len));

describe('level-2 kernels of the reductions', () => {
  test('the committed bytes are assembly/level2.ts compiled by the pinned AssemblyScript', async () => {
    const root = new URL('..', import.meta.url);
    const build = (await import(fileURLToPath(new URL('scripts/build-wasm.mjs', root)))) as {
      fresh(): Promise<{ bytes: Uint8Array; text: string; committed: string }>;
    };
    const { bytes, text, committed } = await build.fresh();
    expect(Buffer.from(level2WasmBytes()).equals(Buffer.from(bytes))).toBe(true);
    expect(committed).toBe(text);
  });

  test('the module stays under 4 KiB, the largest a browser compiles synchronously on its main thread', () => {
    expect(level2WasmBytes().length).toBeLessThan(4096);
  });

  test('a problem beyond the kept size gets kernels of its own and leaves the kept ones as they were', () => {
    const small = level2Kernels(1000);
    const bytes = small.heap.byteLength;
    const big = level2Kernels(2 * 512 * 512 + 1);
    expect(big).not.toBe(small);
    expect(level2Kernels(1000)).toBe(small);
    expect(small.heap.byteLength).toBe(bytes);
  });

  test('this runtime has the WebAssembly kernels (so the comparisons below compare two engines)', () => {
    expect(level2Kernels(16).wasm).toBe(true);
    useJsLevel2Kernels(true);
    expect(level2Kernels(16).wasm).toBe(false);
  });

  test('symvLower: WebAssembly = JavaScript bit for bit, and = the full symmetric product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 37 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.nat(), (n, pad, shift, seed) => {
        const lda = n + pad;
        // a (lda·n), x (n), y (n) at odd offsets too: the kernels must not assume alignment.
        const a = shift;
        const x = a + lda * n + 1;
        const y = x + n + shift;
        const [js, wasm] = pair(y + n + 4, seed);
        const y0 = region(js, y, n);
        js.symvLower(js.start + a, lda, js.start + x, js.start + y, n);
        wasm.symvLower(wasm.start + a, lda, wasm.start + x, wasm.start + y, n);
        expect(region(wasm, 0, y + n + 4)).toEqual(region(js, 0, y + n + 4));
        const h = js.heap;
        const s = js.start;
        for (let i = 0; i < n; i++) {
          let t = y0[i]!;
          let mag = Math.abs(t);
          for (let j = 0; j < n; j++) {
            const term = h[s + a + Math.min(i, j) * lda + Math.max(i, j)]! * h[s + x + j]!;
            t += term;
            mag += Math.abs(term);
          }
          // Two summation orders of n + 1 terms differ by at most 2(n + 1)·ε·Σ|terms|.
          expect(Math.abs(h[s + y + i]! - t)).toBeLessThanOrEqual(2 * (n + 1) * 2 ** -53 * mag);
        }
      }),
      { numRuns: 150, seed: 1207 },
    );
  });

  test('gemvPairSub and gemvPairDots: WebAssembly = JavaScript bit for bit, and = the sums they claim', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 41 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 4 }), fc.nat(), (n, np, pad, seed) => {
        const ld = n + pad;
        const a = 1;
        const b = a + ld * np + 3;
        const s = b + ld * np;
        const t = s + np + 1;
        const y = t + np;
        const size = y + n + 2;
        const [js, wasm] = pair(size, seed);
        const h = js.heap;
        const o = js.start;
        const y0 = region(js, y, n);
        js.gemvPairSub(o + y, o + a, o + b, ld, np, o + s, o + t, n);
        wasm.gemvPairSub(wasm.start + y, wasm.start + a, wasm.start + b, ld, np, wasm.start + s, wasm.start + t, n);
        expect(region(wasm, 0, size)).toEqual(region(js, 0, size));
        for (let r = 0; r < n; r++) {
          let v = y0[r]!;
          for (let p = 0; p < np; p++) v -= h[o + a + p * ld + r]! * h[o + s + p]! + h[o + b + p * ld + r]! * h[o + t + p]!;
          expect(h[o + y + r]).toBe(v);
        }
        js.gemvPairDots(o + a, o + b, ld, np, o + y, n, o + s, o + t);
        wasm.gemvPairDots(wasm.start + a, wasm.start + b, ld, np, wasm.start + y, n, wasm.start + s, wasm.start + t);
        expect(region(wasm, 0, size)).toEqual(region(js, 0, size));
        for (let p = 0; p < np; p++) {
          let sa = 0;
          let sb = 0;
          let mag = 0;
          for (let r = 0; r < n; r++) {
            sa += h[o + a + p * ld + r]! * h[o + y + r]!;
            sb += h[o + b + p * ld + r]! * h[o + y + r]!;
            mag += Math.abs(h[o + y + r]!) * (Math.abs(h[o + a + p * ld + r]!) + Math.abs(h[o + b + p * ld + r]!));
          }
          // Two summation orders of n products differ by at most 2n·ε·Σ|terms|.
          expect(Math.abs(h[o + s + p]! - sa)).toBeLessThanOrEqual(2 * n * 2 ** -53 * mag);
          expect(Math.abs(h[o + t + p]! - sb)).toBeLessThanOrEqual(2 * n * 2 ** -53 * mag);
        }
      }),
      { numRuns: 200, seed: 1208 },
    );
  });

  test('gemvT, gemvN and rank1Update: WebAssembly = JavaScript bit for bit, and = the sums they claim', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 3 }), fc.nat(), (m, n, pad, seed) => {
        const lda = m + pad;
        const a = 3;
        const x = a + lda * n + 1;
        const y = x + Math.max(m, n) + 1;
        const size = y + Math.max(m, n) + 2;
        const [js, wasm] = pair(size, seed);
        const h = js.heap;
        const o = js.start;
        js.gemvT(o + a, lda, m, n, o + x, o + y);
        wasm.gemvT(wasm.start + a, lda, m, n, wasm.start + x, wasm.start + y);
        expect(region(wasm, 0, size)).toEqual(region(js, 0, size));
        for (let c = 0; c < n; c++) {
          let t = 0;
          let mag = 0;
          for (let r = 0; r < m; r++) {
            const term = h[o + a + c * lda + r]! * h[o + x + r]!;
            t += term;
            mag += Math.abs(term);
          }
          // Two summation orders of m terms differ by at most 2m·ε·Σ|terms|.
          expect(Math.abs(h[o + y + c]! - t)).toBeLessThanOrEqual(2 * m * 2 ** -53 * mag);
        }
        const y0 = region(js, y, m);
        js.gemvN(o + a, lda, m, n, o + x, o + y);
        wasm.gemvN(wasm.start + a, lda, m, n, wasm.start + x, wasm.start + y);
        expect(region(wasm, 0, size)).toEqual(region(js, 0, size));
        for (let r = 0; r < m; r++) {
          let t = y0[r]!;
          for (let c = 0; c < n; c++) t += h[o + a + c * lda + r]! * h[o + x + c]!;
          expect(h[o + y + r]).toBe(t);
        }
        // rank1Update: A[:, c] += x·y[c], one multiply and one add per entry.
        const a0 = region(js, a, lda * n);
        js.rank1Update(o + a, lda, m, n, o + x, o + y);
        wasm.rank1Update(wasm.start + a, lda, m, n, wasm.start + x, wasm.start + y);
        expect(region(wasm, 0, size)).toEqual(region(js, 0, size));
        for (let c = 0; c < n; c++) {
          for (let r = 0; r < lda; r++) {
            const before = a0[c * lda + r]!;
            expect(h[o + a + c * lda + r]).toBe(r < m ? before + h[o + x + r]! * h[o + y + c]! : before);
          }
        }
      }),
      { numRuns: 200, seed: 1209 },
    );
  });

  test('eigh, svd and qr give the same bits on either engine (sizes around the panel widths and the SIMD widths)', () => {
    const sym = (n: number, seed: number): Matrix => {
      const g = normal(key(seed), n * n);
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = g[i * n + j]! + g[j * n + i]!;
      return { rows: n, cols: n, data };
    };
    const bits = (...xs: Float64Array[]) => xs.map((x) => Array.from(x));
    const both = <T>(f: () => T): [T, T] => {
      const w = f();
      useJsLevel2Kernels(true);
      try {
        return [w, f()];
      } finally {
        useJsLevel2Kernels(false);
      }
    };
    for (const n of [1, 2, 3, 5, 8, 31, 33, 34, 65, 97]) {
      const a = sym(n, n);
      const [w, j] = both(() => eigh(a));
      expect(bits(w.values, w.vectors.data)).toEqual(bits(j.values, j.vectors.data));
    }
    for (const [rows, cols] of [[3, 2], [7, 5], [49, 48], [50, 63], [97, 65], [64, 130]] as const) {
      const a = { rows, cols, data: normal(key(rows * 1000 + cols), rows * cols) };
      const [ws, js] = both(() => svd(a));
      expect(bits(ws.s, ws.u.data, ws.v.data)).toEqual(bits(js.s, js.u.data, js.v.data));
      const [wq, jq] = both(() => qr(a));
      expect(bits(wq.q.data, wq.r.data)).toEqual(bits(jq.q.data, jq.r.data));
    }
  });
});
