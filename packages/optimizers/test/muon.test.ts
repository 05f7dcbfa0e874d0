import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Layout } from '@descent/linalg';
import { minimize, muon, orthogonalizeInto, type MuonConfig } from '@descent/optimizers';
import {
  muonBand,
  muonInvariances,
  muonMomentumConventionsAgree,
  muonRankPreserved,
  muonScaleInvariance,
  muonSpectralForm,
  muonUpdateRms,
} from '@descent/optimizers/laws';

describe('Muon laws (spec §4.1(d))', () => {
  test('1. spectral form NS5(G) = U f(S) Vᵀ', () => fc.assert(muonSpectralForm(), { numRuns: 120 }));
  test('2. band [0.68, 1.21]', () => fc.assert(muonBand(), { numRuns: 120 }));
  test('3. zero singular values stay zero', () => fc.assert(muonRankPreserved(), { numRuns: 120 }));
  test('4. invariances (sign exact, transpose, orthogonal)', () => fc.assert(muonInvariances(), { numRuns: 120 }));
  test('5. scale invariance (guard ε = 0)', () => fc.assert(muonScaleInvariance(), { numRuns: 120 }));
  test('6. EMA and SGD momentum conventions give the same update', () => fc.assert(muonMomentumConventionsAgree(), { numRuns: 120 }));
  test('7. update RMS: 1/√B, 1/√A, 0.2', () => fc.assert(muonUpdateRms(), { numRuns: 120 }));
  test('5 (boundary): with the default guard ε = 1e-7 a tiny gradient degenerates, as documented', () => {
    // X₀ = G/(‖G‖_F + 1e-7) has σ ≈ 1e-5 for ‖G‖ ~ 1e-12, and five steps only amplify by a⁵ ≈ 485.
    const g = { rows: 2, cols: 2, data: new Float64Array([1e-12, 0, 0, 1e-12]) };
    const o = orthogonalizeInto(g, { rows: 2, cols: 2, data: new Float64Array(4) });
    const big = orthogonalizeInto({ rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) }, { rows: 2, cols: 2, data: new Float64Array(4) });
    expect(o.data[0]!).toBeLessThan(0.01 * big.data[0]!);
  });
});

// Fixture: scripts/fixtures/optimizers_muon.py (NumPy float64 transcription of muon.py / torch docs).
const fx = JSON.parse(readFileSync(new URL('./fixtures/muon_numpy.json', import.meta.url), 'utf8')) as {
  ns5: { rows: number; cols: number; g: number[]; out: number[] }[];
  trajectories: { style: string; config: Omit<MuonConfig, 'layout'>; layout: Layout; x0: number[]; grads: number[][]; xs: number[][] }[];
};

describe('cross-check against the NumPy float64 transcription', () => {
  for (const c of fx.ns5) {
    test(`Newton–Schulz NS5 ${c.rows}×${c.cols} agrees to 1e-12`, () => {
      const out = orthogonalizeInto({ rows: c.rows, cols: c.cols, data: Float64Array.from(c.g) }, { rows: c.rows, cols: c.cols, data: new Float64Array(c.g.length) });
      let worst = 0;
      for (let i = 0; i < c.out.length; i++) worst = Math.max(worst, Math.abs(out.data[i]! - c.out[i]!));
      // Entries are O(1) (up to a⁵ ≈ 485 for amplified tiny σ); only gemm summation order differs.
      expect(worst).toBeLessThan(1e-12 * Math.max(1, ...c.out.map(Math.abs)));
    });
  }
  for (const tr of fx.trajectories) {
    test(`six Muon steps (${tr.style} convention, AdamW for the bias) agree to 1e-12 relative`, () => {
      let s = muon.init({ ...tr.config, layout: tr.layout }, Float64Array.from(tr.x0));
      tr.grads.forEach((g, k) => {
        s = muon.step(s, Float64Array.from(g));
        const ref = tr.xs[k]!;
        let num = 0, den = 0;
        for (let i = 0; i < ref.length; i++) {
          num = Math.max(num, Math.abs(s.x[i]! - ref[i]!));
          den = Math.max(den, Math.abs(ref[i]!));
        }
        expect(num / den).toBeLessThan(1e-12);
      });
    });
  }
});

describe('Muon in a loop', () => {
  test('fits a matrix least-squares problem with a bias, through minimize', () => {
    // f(W, b) = ½‖W − T‖_F² + ½‖b − c‖²: Muon on W, AdamW on b.
    const T = new Float64Array([1, -0.5, 0.25, 2, 0.5, -1]);
    const cvec = new Float64Array([0.3, -0.2, 0.1]);
    const layout = [{ name: 'W', shape: [2, 3] }, { name: 'b', shape: [3] }];
    const oracle = (x: Float64Array) => {
      const g = new Float64Array(9);
      let v = 0;
      for (let i = 0; i < 6; i++) {
        g[i] = x[i]! - T[i]!;
        v += 0.5 * g[i]! ** 2;
      }
      for (let i = 0; i < 3; i++) {
        g[6 + i] = x[6 + i]! - cvec[i]!;
        v += 0.5 * g[6 + i]! ** 2;
      }
      return { value: v, grad: g };
    };
    const r = minimize(muon, oracle, { config: { layout, lr: 0.02, adamw: { lr: 0.01 } }, x0: new Float64Array(9), maxSteps: 600, trace: true });
    expect(r.trace!.value[599]!).toBeLessThan(1e-2 * r.trace!.value[0]!);
  });
});
