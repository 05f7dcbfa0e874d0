import { describe, expect, test } from 'vitest';
import { formatRateExperiment, logLogSlope, portfolioRateExperiment, robustPortfolioExperiment } from '../src/experiments/risk-runs.js';

describe('the robust experiment', () => {
  test('returns ρ₀, final ρ below ρ* and quantile distances per run', () => {
    const rows = robustPortfolioExperiment({ runs: [{ setting: 'cvar', form: 'qf' }, { setting: 'discontinuous', form: 'hybrid' }], iterations: 1500, replications: 1 });
    expect(rows.map((r) => r.form)).toEqual(['qf', 'hybrid']);
    for (const r of rows) {
      expect(r.rhoFinal[0]!).toBeGreaterThan(r.rho0);
      expect(r.rhoFinal[0]!).toBeLessThanOrEqual(r.optimum + 1e-9);
      expect(r.quantileDistance.length).toBe(1);
    }
  });
});

describe('the rate experiment', () => {
  test('returns its figures for QF, DM and hybrid with the paper rates; slope of a power law is exact', () => {
    const r = portfolioRateExperiment({ iterations: 3000, replications: 2, saaSizes: [500] });
    expect(r.rows.map((x) => x.form)).toEqual(['qf', 'dm', 'hybrid']);
    expect(r.rows[0]!.paperRate).toBeCloseTo(-2 / 3, 15);
    expect(r.rows[1]!.paperRate).toBeCloseTo(-4 / 7, 15);
    for (const row of r.rows) {
      expect(row.mse.length).toBe(row.checkpoints.length);
      expect(row.mse[row.mse.length - 1]!).toBeLessThan(row.mse[0]!);
    }
    expect(r.saa[0]!.N).toBe(500);
    expect(formatRateExperiment(r)).toMatch(/O\(k\^-4\/7\)/);
    expect(logLogSlope([10, 100, 1000], [3, 0.3 * 10 ** -0.5 * 10 ** 0.5, 0.03])).toBeCloseTo(-1, 12);
  });
});
