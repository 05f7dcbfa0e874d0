import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import {
  Status,
  createRegionPool,
  ellipseValue,
  gridAxis,
  randomSlice,
  regionMap,
  scalarVectorObjective,
  scalarVectorRegion,
  scalarVectorRegionParallel,
  squareGrid,
} from '@descent/dynamics';
import { decode, fixture } from './fixture.js';

interface GridCase { y: number; lam: number; eta: number; r: number; n: number; T: number; rule: 'gradient' | 'lossThreshold'; status: string; label: string; steps: string; x: string; z: string; counts: number[]; totalSteps: number }

describe('convergence-region maps against the NumPy reference (bit for bit)', () => {
  for (const c of fixture.grids as GridCase[]) {
    test(`y=${c.y} λ=${c.lam} η=${c.eta} ${c.n}² T=${c.T} ${c.rule}`, () => {
      const r = scalarVectorRegion({ y: c.y, lambda: c.lam, eta: c.eta, grid: squareGrid(c.r, c.n), maxSteps: c.T, rule: c.rule });
      // Same float64 operations in the same order: the maps must agree exactly, final states included.
      expect(Array.from(r.status)).toEqual(Array.from(decode(c.status, Uint8Array)));
      expect(Array.from(r.label)).toEqual(Array.from(decode(c.label, Uint8Array)));
      expect(Array.from(r.steps)).toEqual(Array.from(decode(c.steps, Int32Array)));
      expect(Array.from(r.x)).toEqual(Array.from(decode(c.x, Float64Array)));
      expect(Array.from(r.z)).toEqual(Array.from(decode(c.z, Float64Array)));
      expect([r.counts.undecided, r.counts.converged, r.counts.diverged, r.counts.saddle]).toEqual(c.counts);
      expect(r.totalSteps).toBe(c.totalSteps);
      // Divergence is a result: every stored number is finite.
      expect(r.x.every(Number.isFinite) && r.z.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('regions', () => {
  test('grid axes: exact endpoints and mirror symmetry', () => {
    const a = gridAxis(-3, 3, 101);
    expect(a[0]).toBe(-3);
    expect(a[100]).toBe(3);
    expect(a[50]).toBe(0);
    for (let i = 0; i < 101; i++) expect(a[i] === -a[100 - i]!).toBe(true);
  });

  test('unregularized: the converged set is the ellipse E < 1 (spec §b.2)', () => {
    // Allow 0.5% of pixels (the spec observed 0 mismatches at 512² with T = 2·10⁴); pixels with
    // |E − 1| < 0.02 are excluded: their convergence time exceeds any fixed budget.
    for (const eta of [0.2, 0.5, 0.9]) {
      const n = 128;
      const r = scalarVectorRegion({ y: 1, eta, grid: squareGrid(3, n), maxSteps: 20000 });
      const a = gridAxis(-3, 3, n);
      let mismatch = 0;
      let counted = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const e = ellipseValue(new Float64Array([a[i]!, a[j]!]), 1, eta);
          if (Math.abs(e - 1) < 0.02) continue;
          counted++;
          // Saddle lines (u = −v inside the ellipse) are measure zero; count them as inside.
          const inside = r.status[j * n + i] === Status.CONVERGED || r.status[j * n + i] === Status.SADDLE;
          if (inside !== e < 1) mismatch++;
        }
      }
      expect(mismatch / counted).toBeLessThan(0.005);
    }
  });

  test('d > 1 slices through the exact planar reduction agree with the generic map on the full loss', () => {
    const y = 1;
    const lambda = 0.3;
    const eta = 1;
    const slice = randomSlice(key(0), 10);
    const grid = squareGrid(3, 24);
    const fast = scalarVectorRegion({ y, lambda, eta, grid, slice, maxSteps: 1000 });
    const slow = regionMap(scalarVectorObjective({ d: 5, y, lambda }), { eta, grid, slice, maxSteps: 1000 });
    let agree = 0;
    for (let p = 0; p < fast.status.length; p++) if (fast.status[p] === slow.status[p]) agree++;
    // Rounding differs between the reduced and the full iteration; a pixel may flip only where the
    // orbit is itself sensitive (boundary). Observed: all 576 agree.
    expect(agree / fast.status.length).toBeGreaterThan(0.99);
    expect(fast.counts.converged).toBeGreaterThan(0);
    expect(fast.counts.diverged).toBeGreaterThan(0);
  });

  test('worker-thread mode gives the single-thread result bit for bit', async () => {
    const cfg = { y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 96), maxSteps: 1000 };
    const one = scalarVectorRegion(cfg);
    const pool = createRegionPool(2);
    try {
      const par = await pool.scalarVectorRegion(cfg);
      expect(Array.from(par.status)).toEqual(Array.from(one.status));
      expect(Array.from(par.label)).toEqual(Array.from(one.label));
      expect(Array.from(par.steps)).toEqual(Array.from(one.steps));
      expect(Array.from(par.x)).toEqual(Array.from(one.x));
      expect(par.totalSteps).toBe(one.totalSteps);
      // A second job on the same pool (sliced, unregularized).
      const cfg2 = { y: 1, eta: 0.9, grid: squareGrid(2, 40), slice: randomSlice(key(3), 6), maxSteps: 5000 };
      const par2 = await pool.scalarVectorRegion(cfg2);
      expect(Array.from(par2.status)).toEqual(Array.from(scalarVectorRegion(cfg2).status));
    } finally {
      await pool.close();
    }
    const again = await scalarVectorRegionParallel(cfg, { workers: 3 });
    expect(Array.from(again.x)).toEqual(Array.from(one.x));
  });

  test('worker-thread bare map equals the single-thread kernel', async () => {
    const { scalarMapKernel, sharedFloat64 } = await import('@descent/dynamics');
    const n = 2048;
    const x = sharedFloat64(n);
    const z = sharedFloat64(n);
    const x1 = new Float64Array(n);
    const z1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = x1[i] = Math.sin(i) * 0.8;
      z[i] = z1[i] = Math.cos(i * 1.3) * 0.8;
    }
    scalarMapKernel(x1, z1, 0, n, 0.5, 1, 0, 50);
    const pool = createRegionPool(2);
    try {
      await pool.scalarMap(x, z, { eta: 0.5, y: 1, steps: 50 });
    } finally {
      await pool.close();
    }
    expect(Array.from(x)).toEqual(Array.from(x1));
    expect(Array.from(z)).toEqual(Array.from(z1));
  });

  test('Fig. 3 setting: converged fraction ≈ 0.21, the two minimizers split evenly (symmetry)', () => {
    const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 256), maxSteps: 1000 });
    // Spec: 0.2101 at 256² counting θ → 0 with the converged (authors' rule); we separate saddles.
    expect((r.counts.converged + r.counts.saddle) / 65536).toBeCloseTo(0.2101, 3);
    let plus = 0;
    let minus = 0;
    for (let p = 0; p < r.label.length; p++) {
      if (r.label[p] === 1) plus++;
      if (r.label[p] === 2) minus++;
    }
    expect(plus).toBe(minus);
    // Every pixel decided well within the budget (spec: ≤ 73 steps).
    expect(r.counts.undecided).toBe(0);
    expect(Math.max(...r.steps)).toBeLessThan(100);
  });
});

describe('SIMD map', () => {
  test('WebAssembly SIMD map equals the scalar kernel bit for bit (any length, tail included)', async () => {
    const { createWasmMap, iterateScalarMap, scalarMapKernel, sharedFloat64 } = await import('@descent/dynamics');
    expect(createWasmMap()).toBeDefined();
    for (const n of [1, 7, 8, 9, 1000, 4099]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 1.3);
      const z = Float64Array.from({ length: n }, (_, i) => Math.cos(1.7 * i) * 1.3);
      const x1 = x.slice();
      const z1 = z.slice();
      iterateScalarMap(x, z, { eta: 0.5, y: 1, lambda: 0.1, steps: 60 });
      scalarMapKernel(x1, z1, 0, n, 0.5, 1, 0.1, 60);
      expect(Array.from(x)).toEqual(Array.from(x1));
      expect(Array.from(z)).toEqual(Array.from(z1));
    }
    // And on the worker pool (SIMD in each worker).
    const n = 3 * 1024;
    const xs = sharedFloat64(n);
    const zs = sharedFloat64(n);
    const x1 = new Float64Array(n);
    const z1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = x1[i] = Math.sin(i) * 0.9;
      zs[i] = z1[i] = Math.cos(i * 0.3) * 0.9;
    }
    scalarMapKernel(x1, z1, 0, n, 0.7, 1, 0.2, 40);
    const pool = createRegionPool(2);
    try {
      await pool.scalarMap(xs, zs, { eta: 0.7, y: 1, lambda: 0.2, steps: 40 });
    } finally {
      await pool.close();
    }
    expect(Array.from(xs)).toEqual(Array.from(x1));
    expect(Array.from(zs)).toEqual(Array.from(z1));
  });
});

describe('matrix factorization regions', () => {
  test('a slice through the first aligned mode of MF (k = 1) reproduces the scalar region with y = σ₁', async () => {
    const { alignedInit, matrixFactorizationObjective } = await import('@descent/dynamics');
    const { svd } = await import('@descent/linalg');
    const { matrix } = await import('@descent/linalg');
    const Y = matrix(3, 2, Float64Array.from([1.2, 0.3, -0.4, 0.9, 0.5, 0.1]));
    const f = matrixFactorizationObjective({ Y, k: 1 });
    // e1 moves α (U = α·a₁), e2 moves β (V = β·b₁): θ(α, β) = (α a₁, β b₁).
    const e1 = alignedInit(Y, 1, new Float64Array([1]), new Float64Array([0])).theta;
    const e2 = alignedInit(Y, 1, new Float64Array([0]), new Float64Array([1])).theta;
    const sigma1 = svd(Y).s[0]!;
    const grid = squareGrid(2, 32);
    const eta = 0.8 / sigma1;
    const mf = regionMap(f, { eta, grid, slice: { center: new Float64Array(f.dim), e1, e2 }, maxSteps: 5000 });
    const sc = scalarVectorRegion({ y: sigma1, eta, grid, maxSteps: 5000 });
    let agree = 0;
    for (let p = 0; p < mf.status.length; p++) if (mf.status[p] === sc.status[p]) agree++;
    // The MF iteration rounds differently from the scalar one; only pixels whose orbits are
    // sensitive (near the ellipse) may flip. Observed: 1024 of 1024 agree.
    expect(agree / mf.status.length).toBeGreaterThan(0.98);
    expect(mf.counts.converged).toBeGreaterThan(100);
    expect(mf.counts.diverged).toBeGreaterThan(100);
  });
});

describe('SIMD classification kernel', () => {
  test('bit-identical to the scalar kernel on random settings (property)', async () => {
    const fc = (await import('fast-check')).default;
    const { createWasmRegionKernel, scalarRegionKernel, planScalarVectorRegion, fillScalarStarts } = await import('@descent/dynamics');
    const wk = createWasmRegionKernel();
    expect(wk).toBeDefined();
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.double({ min: 0.05, max: 2.5, noNaN: true }),
        fc.integer({ min: 2, max: 37 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom<'gradient' | 'lossThreshold'>('gradient', 'lossThreshold'),
        fc.constantFrom<'sign' | 'signAndBalance'>('sign', 'signAndBalance'),
        (y, lambda, c, n, maxSteps, rule, label) => {
          const plan = planScalarVectorRegion({ y, lambda, eta: c / Math.max(0.1, Math.abs(y)), grid: squareGrid(3, n), maxSteps, rule, label }, 't');
          const N = n * n;
          const x0 = new Float64Array(N);
          const z0 = new Float64Array(N);
          fillScalarStarts(plan, x0, z0);
          const run = (k: typeof scalarRegionKernel) => {
            const o = { x: x0.slice(), z: z0.slice(), st: new Uint8Array(N), lb: new Uint8Array(N), sp: new Int32Array(N), total: 0 };
            // A sub-range exercises the start/end offsets.
            o.total = k(o.x, o.z, o.st, o.lb, o.sp, 1, N, ...plan.kernelArgs);
            return o;
          };
          const a = run(scalarRegionKernel);
          const b = run(wk!);
          if (a.total !== b.total) return false;
          for (let i = 0; i < N; i++) {
            if (!Object.is(a.x[i], b.x[i]) || !Object.is(a.z[i], b.z[i]) || a.st[i] !== b.st[i] || a.lb[i] !== b.lb[i] || a.sp[i] !== b.sp[i]) return false;
          }
          return true;
        },
      ),
      { numRuns: 150, seed: 21 },
    );
    // And through the public API with simd on and off.
    const cfg = { y: 1, eta: 0.95, grid: squareGrid(3, 64), maxSteps: 20000, slice: randomSlice(key(4), 6) };
    const on = scalarVectorRegion(cfg);
    const off = scalarVectorRegion({ ...cfg, simd: false });
    expect(Array.from(on.x)).toEqual(Array.from(off.x));
    expect(Array.from(on.steps)).toEqual(Array.from(off.steps));
    expect(on.totalSteps).toBe(off.totalSteps);
  });
});
