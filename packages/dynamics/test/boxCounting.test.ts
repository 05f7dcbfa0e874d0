import { describe, expect, test } from 'vitest';
import { boundaryMask, boxCountingDimension, scalarVectorRegion, sohlBoxCountingDimension, squareGrid } from '@descent/dynamics';
import { decode, fixture } from './fixture.js';

const bc = fixture.boxCounting;

describe('box-counting dimension against the NumPy recipe', () => {
  test('circle boundary: counts N(s) and slope', () => {
    const n = bc.n;
    const mask = boundaryMask(decode(bc.circle.labels, Uint8Array), n, n);
    const d = boxCountingDimension(mask, n, n);
    expect(Array.from(d.sizes)).toEqual(bc.circle.sizes);
    expect(Array.from(d.counts)).toEqual(bc.circle.counts);
    expect(d.dimension).toBeCloseTo(bc.circle.dimension, 12);
    expect(d.standardError).toBeCloseTo(bc.circle.se, 12);
    expect(d.fitRange).toEqual([2, 32]);
    expect(d.scales).toBe(5);
    // Spec §e.1: 1.105 ± 0.036 at n = 256.
    expect(Math.abs(d.dimension - 1)).toBeLessThan(0.12);
  });

  test('Sierpinski: exactly log₂ 3 with zero standard error', () => {
    const n = bc.n;
    const m = new Uint8Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) m[j * n + i] = (i & j) === 0 ? 1 : 0;
    const d = boxCountingDimension(m, n, n);
    expect(Array.from(d.counts)).toEqual(bc.sierpinski.counts);
    expect(d.dimension).toBeCloseTo(Math.log(3) / Math.LN2, 12);
    expect(d.standardError).toBeLessThan(1e-12);
    expect(Array.from(d.localSlopes).every((s) => Math.abs(s - Math.log2(3)) < 1e-12)).toBe(true);
  });

  test('Koch curve (rasterized): matches NumPy; ≈ log 4/log 3 with the pixelation bias', () => {
    const n = bc.n;
    const d = boxCountingDimension(decode(bc.koch.mask, Uint8Array), n, n);
    expect(Array.from(d.counts)).toEqual(bc.koch.counts);
    expect(d.dimension).toBeCloseTo(bc.koch.dimension, 12);
    // Spec §e.1: 1.325 ± 0.024 at 256 for log 4/log 3 = 1.262.
    expect(Math.abs(d.dimension - Math.log(4) / Math.log(3))).toBeLessThan(0.1);
  });

  test("one-sided boundaries: a vertical line straddling box edges reads 1 (the two-sided mask's alignment artifact)", () => {
    const n = 512;
    const lab = new Uint8Array(n * n);
    // Boundary between columns 247 and 248: the two-sided mask marks both, which fall in different
    // boxes for s ≤ 8 and in the same box for s ≥ 16, doubling N(s) at small scales only.
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) lab[j * n + i] = i < 248 ? 1 : 0;
    const both = boxCountingDimension(boundaryMask(lab, n, n), n, n);
    const one = boxCountingDimension(boundaryMask(lab, n, n, { sides: 'one' }), n, n);
    expect(both.dimension).toBeGreaterThan(1.2);
    expect(one.dimension).toBeCloseTo(1, 12);
    expect(Array.from(one.counts)).toEqual([512, 256, 128, 64, 32, 16, 8, 4, 2, 1]);
    // One pixel per differing pair: the class-1 side.
    expect(Array.from(boundaryMask(new Uint8Array([0, 0, 1, 1]), 4, 1, { sides: 'one' }))).toEqual([0, 0, 1, 0]);
  });

  test('empty masks are a result, not an error; fit range options', () => {
    const d = boxCountingDimension(new Uint8Array(64 * 64), 64, 64);
    expect(d.reason).toBe('empty');
    expect(Number.isNaN(d.dimension)).toBe(true);
    const full = new Uint8Array(64 * 64).fill(1);
    const d2 = boxCountingDimension(full, 64, 64, { minBox: 1, maxBox: 64 });
    expect(d2.dimension).toBeCloseTo(2, 12);
    expect(d2.scales).toBe(7);
    const d3 = boxCountingDimension(full, 64, 64, { minBox: 4, maxBox: 8 });
    expect(d3.scales).toBe(2);
    expect(Number.isNaN(d3.standardError)).toBe(true);
  });

  test('Sohl-Dickstein/porespy estimator: ≈ 1 on a circle, > 1 on the Fig. 3 boundary', () => {
    const n = 256;
    const s = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) s[j * n + i] = Math.hypot(i - 128, j - 128) < 90 ? -1 : 1;
    const c = sohlBoxCountingDimension(s, n, n);
    expect(c.sizes[0]).toBe(10);
    expect(Math.abs(c.dimension - 1)).toBeLessThan(0.15);
    const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, n), maxSteps: 1000 });
    const signed = Float64Array.from(r.status, (st) => (st === 1 ? -1 : 1));
    expect(sohlBoxCountingDimension(signed, n, n).dimension).toBeGreaterThan(1.05);
  });
});

describe('fractal boundaries of the paper (spec §e.3)', () => {
  test('Fig. 3 setting: dimension of the converge/diverge boundary in (1.05, 1.35), growing with n; 3-class ≈ 1.27', () => {
    const dims = [256, 512].map((n) => {
      const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, n), maxSteps: 1000 });
      const bin = Uint8Array.from(r.status, (s) => (s === 1 ? 1 : 0));
      return {
        binary: boxCountingDimension(boundaryMask(bin, n, n), n, n),
        label: boxCountingDimension(boundaryMask(r.label, n, n), n, n),
      };
    });
    for (const d of dims) {
      expect(d.binary.dimension).toBeGreaterThan(1.05);
      expect(d.binary.dimension).toBeLessThan(1.35);
      // Spec: 1.270 ± 0.011 (256), 1.278 ± 0.007 (512).
      expect(Math.abs(d.label.dimension - 1.274)).toBeLessThan(0.03);
    }
    // Spec: 1.106 → 1.126 (sub-pixel spikes resolve as n grows).
    expect(dims[1]!.binary.dimension).toBeGreaterThan(dims[0]!.binary.dimension);
  });

  test('unregularized below η*: the converge/diverge boundary is smooth (≈ 1), the minimizer-label one is not', () => {
    const n = 256;
    const r = scalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(3, n), maxSteps: 20000 });
    const bin = Uint8Array.from(r.status, (s) => (s === 1 || s === 3 ? 1 : 0));
    const smooth = boxCountingDimension(boundaryMask(bin, n, n), n, n);
    // Spec: 1.108 ± 0.011 at 256 (the ellipse, with the pixelation bias).
    expect(Math.abs(smooth.dimension - 1)).toBeLessThan(0.12);
    const rough = boxCountingDimension(boundaryMask(r.label, n, n), n, n);
    // Spec: 1.391 ± 0.016.
    expect(rough.dimension).toBeGreaterThan(1.3);
  });
});

describe("Sohl-Dickstein's convergence measure", () => {
  test('matches the NumPy reference and feeds the porespy estimator', async () => {
    const { sohlConvergenceMeasure } = await import('@descent/dynamics');
    for (const c of fixture.sohl as { y: number; lam: number; eta: number; r: number; n: number; T: number; measure: string; converged: string }[]) {
      const m = sohlConvergenceMeasure({ y: c.y, lambda: c.lam, eta: c.eta, grid: squareGrid(c.r, c.n), maxSteps: c.T });
      const want = decode(c.measure, Float64Array);
      expect(Array.from(m.converged)).toEqual(Array.from(decode(c.converged, Uint8Array)));
      // Same operations, but sums of up to 300 ratios accumulate in the same order: equal to rounding.
      for (let p = 0; p < want.length; p++) expect(Math.abs(m.measure[p]! - want[p]!)).toBeLessThanOrEqual(1e-12 * Math.abs(want[p]!));
      expect(m.measure.every(Number.isFinite)).toBe(true);
    }
    const n = 128;
    const m = sohlConvergenceMeasure({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, n), maxSteps: 100 });
    // Its convergence verdict agrees with the gradient classifier away from the boundary.
    const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, n), maxSteps: 100 });
    let agree = 0;
    for (let p = 0; p < n * n; p++) if ((m.converged[p] === 1) === (r.status[p] === 1 || r.status[p] === 3)) agree++;
    expect(agree / (n * n)).toBeGreaterThan(0.99);
    expect(sohlBoxCountingDimension(m.measure, n, n).dimension).toBeGreaterThan(1);
  });
});
