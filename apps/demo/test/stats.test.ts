import fc from 'fast-check';
import { foldIn, key, normal } from '@descent/linalg';
import { describe, expect, test } from 'vitest';
import { verdictOf } from '../src/experiment.js';
import { formatTable, TABLE_WIDTHS, wrap } from '../src/report.js';
import { bootstrapCi, effect, mean, meanCi, ols, pairedCi, permutationPValue, t975, wilsonCi } from '../src/stats.js';

describe('intervals', () => {
  test('the t interval of a known sample (checked against scipy.stats.t.interval)', () => {
    // [1, 2, 3, 4, 5]: mean 3, sd √2.5, t_{0.975,4} = 2.776 → 3 ± 1.963.
    const ci = meanCi([1, 2, 3, 4, 5]);
    expect(ci.estimate).toBe(3);
    expect(ci.hi - ci.estimate).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 12);
    expect(meanCi([7]).lo).toBe(-Infinity);
    expect(t975(1)).toBe(12.706);
    expect(Math.abs(t975(60) - 2.0003)).toBeLessThan(0.002);
    expect(Math.abs(t975(200) - 1.9719)).toBeLessThan(0.002);
  });

  test('paired intervals see the pairing: a constant shift has a zero-width interval', () => {
    const a = [0.3, 0.9, 0.1, 0.5];
    const ci = pairedCi(a.map((v) => v + 0.2), a);
    expect(ci.estimate).toBeCloseTo(0.2, 15);
    expect(ci.hi - ci.lo).toBeLessThan(1e-12);
  });

  test('Wilson interval (textbook value for 10 of 100)', () => {
    const ci = wilsonCi(10, 100);
    expect(ci.lo).toBeCloseTo(0.0552, 3);
    expect(ci.hi).toBeCloseTo(0.1744, 3);
  });

  test('bootstrap: deterministic in its key, contains the estimate of a symmetric sample, shrinks with n', () => {
    const xs = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const a = bootstrapCi(xs, mean, key(1));
    expect(bootstrapCi(xs, mean, key(1))).toEqual(a);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
    const wide = bootstrapCi(xs.slice(0, 10), mean, key(1));
    expect(wide.hi - wide.lo).toBeGreaterThan(a.hi - a.lo);
  });

  test('t intervals cover the true mean in about 95% of normal samples', () => {
    // 400 samples of 5 standard normals each: coverage ~ Binomial(400, 0.95), SD 1.1%; ±4 SD.
    let covered = 0;
    const k = key(9);
    for (let i = 0; i < 400; i++) {
      const ci = meanCi(Array.from(normal(foldIn(k, i), 5)));
      if (ci.lo <= 0 && ci.hi >= 0) covered++;
    }
    expect(Math.abs(covered / 400 - 0.95)).toBeLessThan(0.045);
  });

  test('OLS and the permutation test: an exact line has R² 1 and a small p-value; noise does not', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    expect(ols(x, x.map((v) => 2 * v + 1)).slope).toBeCloseTo(2, 12);
    expect(ols(x, x.map((v) => 2 * v + 1)).r2).toBeCloseTo(1, 12);
    expect(permutationPValue(x, x.map((v) => 2 * v + 1), key(2), 199)).toBe(1 / 200);
    expect(permutationPValue(x, x.map((v) => Math.sin(7 * v)), key(2), 199)).toBeGreaterThan(0.05);
  });
});

describe('criteria can pass, fail, or stay inconclusive', () => {
  test('above and below, by where the interval lies', () => {
    const iv = (lo: number, hi: number) => ({ estimate: (lo + hi) / 2, lo, hi, n: 5, method: 't' as const });
    expect(effect('x', iv(0.1, 0.3), 'above', 0).outcome).toBe('pass');
    expect(effect('x', iv(-0.3, -0.1), 'above', 0).outcome).toBe('fail');
    expect(effect('x', iv(-0.1, 0.1), 'above', 0).outcome).toBe('inconclusive');
    expect(effect('x', iv(-0.9, -0.7), 'below', -0.67).outcome).toBe('pass');
    expect(effect('x', iv(-0.6, -0.5), 'below', -0.67).outcome).toBe('fail');
  });

  test('verdicts from outcomes', () => {
    const e = (outcome: 'pass' | 'fail' | 'inconclusive') => ({ ...effect('x', { estimate: 0, lo: 0, hi: 0, n: 2, method: 't' }, 'above', 0), outcome });
    expect(verdictOf([e('pass'), e('pass')])).toBe('reproduced');
    expect(verdictOf([e('fail'), e('fail')])).toBe('not reproduced');
    expect(verdictOf([e('fail'), e('inconclusive')])).toBe('not reproduced');
    expect(verdictOf([e('inconclusive')])).toBe('inconclusive');
    expect(verdictOf([e('pass'), e('fail')])).toBe('partially reproduced');
    expect(verdictOf([e('pass'), e('inconclusive')])).toBe('partially reproduced');
  });
});

describe('the terminal table', () => {
  test('wrap keeps every word and respects the width', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,30}$/), { maxLength: 30 }), fc.integer({ min: 5, max: 40 }), (words, w) => {
        const lines = wrap(words.join(' '), w);
        expect(lines.every((l) => l.length <= w)).toBe(true);
        expect(lines.join('').replace(/\s+/g, '')).toBe(words.join(''));
      }),
    );
  });

  test('fits 100 columns, whatever the cell contents', () => {
    expect(TABLE_WIDTHS.reduce((a, b) => a + b, 0) + 3 * (TABLE_WIDTHS.length - 1)).toBe(100);
    const long = 'omega-supercalifragilisticexpialidocious-long-token '.repeat(5);
    const table = formatTable([
      {
        experiment: { id: 'x', paper: long, claim: long, run: () => { throw new Error('unused'); } },
        seconds: 0,
        result: { setup: long, seeds: 5, effects: [effect(long, { estimate: 1, lo: 0.5, hi: 1.5, n: 5, method: 't' }, 'above', 0)], verdict: 'partially reproduced', details: '', deviations: [], plot: {}, data: {} },
      },
    ]);
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(table).toMatch(/5 seeds/);
  });
});
