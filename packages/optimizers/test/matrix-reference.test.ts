import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { svd } from '@descent/linalg';
import { egdDirectionInto, reg, type RegConfig } from '@descent/optimizers';

// Fixture: scripts/fixtures/optimizers_matrix.py (NumPy float64: EGD's preconditioners as written in
// the reference scripts; REG steps from the spec's formulas).
const fx = JSON.parse(readFileSync(new URL('./fixtures/matrix_numpy.json', import.meta.url), 'utf8')) as {
  egd: { rows: number; cols: number; g: number[]; pinv: number[]; clamp: number[]; colnorm: number[] }[];
  reg: { racs: 'sinkhorn' | 'oneshot' | 'gong'; config: Partial<RegConfig>; rows: number; cols: number; x0: number[]; grads: number[][]; xs: number[][] }[];
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('EGD preconditioners against NumPy', () => {
  for (const c of fx.egd) {
    test(`${c.rows}×${c.cols}: pinv, clamp and colnorm`, () => {
      const g = { rows: c.rows, cols: c.cols, data: Float64Array.from(c.g) };
      const out = () => ({ rows: c.rows, cols: c.cols, data: new Float64Array(c.g.length) });
      // The polar factor's sensitivity to rounding is ε·σ₀/σ_r (σ_r the smallest kept singular value):
      // τ = 50·max(m,n)·ε·σ₀/σ_r + 1e-12 — 1e-12 for the Gaussian cases, 2e-5 for σ = (3, 1, 1e-8).
      const f = svd(g);
      const tauPolar = (50 * Math.max(c.rows, c.cols) * 2 ** -52 * f.s[0]!) / f.s[f.rank - 1]! + 1e-12;
      expect(maxDiff(egdDirectionInto(g, out()).data, c.pinv)).toBeLessThan(tauPolar);
      expect(maxDiff(egdDirectionInto(g, out(), { variant: 'colnorm' }).data, c.colnorm)).toBeLessThan(1e-14);
      // The clamp keeps directions with σ < c = 1e-6 as σ/c, so SVD rounding (≈ max(m,n)·ε·σ₀) in
      // small or null directions shows up divided by c: τ = 50·max(m,n)·ε·σ₀/c + 1e-12.
      let s0 = 0;
      for (const v of c.g) s0 += v * v;
      const tau = (50 * Math.max(c.rows, c.cols) * 2 ** -52 * Math.sqrt(s0)) / 1e-6 + 1e-12;
      expect(maxDiff(egdDirectionInto(g, out(), { variant: 'clamp' }).data, c.clamp)).toBeLessThan(tau);
    });
  }
});

describe('REG steps against NumPy (spec §4.2(b) formulas)', () => {
  for (const c of fx.reg) {
    test(`five REG steps with racs '${c.racs}' agree to 1e-12 relative`, () => {
      const layout = [{ name: 'W', shape: [c.rows, c.cols] }];
      let s = reg.init({ ...c.config, layout, racs: c.racs }, Float64Array.from(c.x0));
      c.grads.forEach((g, k) => {
        s = reg.step(s, Float64Array.from(g));
        const ref = c.xs[k]!;
        expect(maxDiff(s.x, ref) / Math.max(...ref.map(Math.abs))).toBeLessThan(1e-12);
      });
    });
  }
});
