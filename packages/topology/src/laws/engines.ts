import fc from 'fast-check';
import { ripsPersistence, type PersistenceResult, type RipsOptions } from '../rips.js';
import type { MetricInput } from '../metric-input.js';
import { lowerOf, pointCloud } from './arbitraries.js';

const wasmHere = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object';

/** Every bar (bit for bit, in canonical order) and every counter except `engine`. */
function fingerprint(r: PersistenceResult): string {
  const { engine: _engine, ...stats } = r.stats;
  return JSON.stringify([r.diagrams.map((d) => [d.dim, Array.from(d.birth), Array.from(d.death)]), stats]);
}

/**
 * L25: the WebAssembly kernel and the JS engine give the same result: identical diagrams (bit for bit)
 * and identical counters (columns, apparent and emergent pairs, additions), on random clouds in R¹–R³
 * (coordinates optionally snapped to a coarse grid, which makes many distances tie), point / lower /
 * graph input, forced sparse runs, Z/2, Z/3, Z/5, Z/7, thresholds below the enclosing radius, ratio,
 * keepZero, float32 storage and dimensions 0–3. Where WebAssembly exists, the default engine must have
 * used the kernel on every dense run (so the law cannot compare JS with itself). Tolerance: none.
 *
 * @example
 * ```ts
 * fc.check(engineAgreement(), { numRuns: 5 }).failed;
 * // false
 * ```
 */
export function engineAgreement() {
  return fc.property(
    fc.integer({ min: 1, max: 3 }).chain((d) => pointCloud(2, 28, d)),
    fc.record({
      kind: fc.constantFrom('points', 'lower', 'sparse', 'graph'),
      grid: fc.constantFrom(0, 2, 4),
      maxDim: fc.integer({ min: 0, max: 3 }),
      modulus: fc.constantFrom(2, 3, 5, 7),
      threshold: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
      ratio: fc.constantFrom(1, 1.5),
      keepZero: fc.boolean(),
      float32: fc.boolean(),
    }),
    (cloud, o) => {
      const n = cloud.n;
      // snapped coordinates: many equal distances (ties in the filtration order)
      const data = o.grid === 0 ? cloud.data : cloud.data.map((v) => Math.round(v * o.grid) / o.grid);
      const c = { ...cloud, data };
      // dimension 3 enumerates C(n, 5) simplices: keep it to small clouds
      const maxDim = n > 16 ? Math.min(o.maxDim, 2) : o.maxDim;
      let x: MetricInput;
      if (o.kind === 'points') x = { kind: 'points', n, d: c.d, data };
      else if (o.kind === 'graph') {
        const D = lowerOf(c);
        const ei: number[] = [];
        const ej: number[] = [];
        const w: number[] = [];
        for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) if (D[k]! < 1.2) (ei.push(i), ej.push(j), w.push(D[k]!));
        x = { kind: 'graph', n, i: Int32Array.from(ei), j: Int32Array.from(ej), w: Float64Array.from(w) };
      } else x = { kind: 'lower', n, data: lowerOf(c) };
      const base: RipsOptions = { maxDim, modulus: o.modulus, ratio: o.ratio, keepZero: o.keepZero, float32: o.float32 };
      if (o.threshold !== undefined) base.threshold = o.threshold;
      if (o.kind === 'sparse') base.sparse = true;
      const js = ripsPersistence(x, { ...base, engine: 'js' });
      const auto = ripsPersistence(x, base);
      if (js.stats.engine !== 'js') return false;
      const dense = o.kind !== 'graph' && !auto.stats.sparse;
      if (wasmHere && dense && auto.stats.engine !== 'wasm') return false;
      return fingerprint(js) === fingerprint(auto);
    },
  );
}
