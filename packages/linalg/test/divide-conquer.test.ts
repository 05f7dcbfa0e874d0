import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { eigh, gemm, key, normal, qr, svd, type Matrix } from '@descent/linalg';
import { maxAbs, maxAbsDiff, orthonormalityError, thrownCode, usv } from '@descent/linalg/laws';
import { loadFixture } from './fixtures.js';

const EPS = 2 ** -52;

interface SymmetricCase { name: string; a: Matrix; eigenvalues: number[] }
interface GeneralCase { name: string; a: Matrix; svd_s: number[] }
const fx = loadFixture<{ symmetric: SymmetricCase[]; general: GeneralCase[] }>('divide_conquer.json');

/** Backward error and orthogonality of an eigendecomposition, relative to ‖A‖_max (n·ε units). */
function eighHolds(a: Matrix, values: Float64Array, vectors: Matrix): boolean {
  const n = a.rows;
  const top = Math.max(maxAbs(a.data), Number.MIN_VALUE);
  for (let i = 1; i < n; i++) if (!(values[i]! >= values[i - 1]!)) return false;
  return orthonormalityError(vectors) <= 32 * n * EPS && maxAbsDiff(usv(vectors, values, vectors).data, a.data) <= 32 * n * EPS * top;
}

function orthogonal(n: number, seed: number): Matrix {
  return qr({ rows: n, cols: n, data: normal(key(seed), n * n) }).q;
}

function symmetricTridiagonal(d: ArrayLike<number>, e: ArrayLike<number>): Matrix {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = d[i]!;
  for (let i = 0; i + 1 < n; i++) a[i * n + i + 1] = a[(i + 1) * n + i] = e[i]!;
  return { rows: n, cols: n, data: a };
}

describe('divide and conquer against NumPy/LAPACK on its hard cases', () => {
  test.each(fx.symmetric.map((c) => [c.name, c] as const))('eigh: %s', (_name, c) => {
    const n = c.a.rows;
    const top = Math.max(maxAbs(c.eigenvalues), maxAbs(c.a.data), Number.MIN_VALUE);
    for (const method of ['dc', 'qr'] as const) {
      const { values, vectors } = eigh(c.a, { method });
      // Weyl: a backward error E moves every eigenvalue by at most ‖E‖₂.
      expect(maxAbsDiff(values, c.eigenvalues)).toBeLessThanOrEqual(32 * n * EPS * top);
      expect(orthonormalityError(vectors)).toBeLessThanOrEqual(32 * n * EPS);
      expect(maxAbsDiff(usv(vectors, values, vectors).data, c.a.data)).toBeLessThanOrEqual(32 * n * EPS * top);
    }
  });

  test.each(fx.general.map((c) => [c.name, c] as const))('svd: %s', (_name, c) => {
    const { a } = c;
    const k = Math.max(a.rows, a.cols);
    const top = Math.max(c.svd_s[0] ?? 0, Number.MIN_VALUE);
    const f = svd(a);
    expect(maxAbsDiff(f.s, c.svd_s)).toBeLessThanOrEqual(32 * k * EPS * top);
    expect(orthonormalityError(f.u)).toBeLessThanOrEqual(32 * k * EPS);
    expect(orthonormalityError(f.v)).toBeLessThanOrEqual(32 * k * EPS);
    expect(maxAbsDiff(usv(f.u, f.s, f.v).data, a.data)).toBeLessThanOrEqual(32 * k * EPS * top);
  });
});

describe('eigh by divide and conquer: deflation-heavy spectra', () => {
  test('eigenvalues drawn from a few values (multiplicities up to n) in a random basis', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1e9 }), (n, pool, seed) => {
        const lam = Float64Array.from({ length: n }, (_, i) => pool[i % pool.length]!);
        const q = orthogonal(n, seed);
        const a = usv(q, lam, q);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[i * n + j] = a.data[j * n + i]!;
        const { values, vectors } = eigh(a);
        const sorted = Array.from(lam).sort((x, y) => x - y);
        return eighHolds(a, values, vectors) && maxAbsDiff(values, sorted) <= 32 * n * EPS * 3;
      }),
      { numRuns: 30 },
    );
  });

  test('c·I + ρ·uuᵀ: n − 1 equal eigenvalues and one separated (any sign of ρ, entries rounded to 1e-2 so the matrix is exactly rank-one plus cI up to rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 90 }), fc.integer({ min: -400, max: 400 }).map((k) => k / 100), fc.integer({ min: -200, max: 200 }).map((k) => k / 100), fc.integer({ min: 0, max: 1e9 }), (n, c, rho, seed) => {
        const u = normal(key(seed), n);
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = (i === j ? c : 0) + rho * u[i]! * u[j]!;
        const m = { rows: n, cols: n, data: a };
        const { values, vectors } = eigh(m);
        let equal = 0;
        for (const v of values) if (Math.abs(v - c) <= 32 * n * EPS * Math.max(maxAbs(a), 1e-300)) equal++;
        return eighHolds(m, values, vectors) && equal >= n - 1;
      }),
      { numRuns: 40 },
    );
  });

  test('tridiagonal matrices with random splits, ties and couplings from 0 to 1 (glued blocks)', () => {
    const entry = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(1e-15), fc.constant(1e-8), fc.double({ min: -2, max: 2, noNaN: true }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }).chain((n) => fc.tuple(fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.constant(-1), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: n, maxLength: n }), fc.array(entry, { minLength: n - 1, maxLength: n - 1 }))), ([d, e]) => {
        const a = symmetricTridiagonal(d, e);
        const f = eigh(a);
        const g = eigh(a, { method: 'qr' });
        const top = Math.max(maxAbs(a.data), Number.MIN_VALUE);
        return eighHolds(a, f.values, f.vectors) && maxAbsDiff(f.values, g.values) <= 64 * d.length * EPS * top;
      }),
      { numRuns: 60 },
    );
  });

  test('sizes around the leaf size (20…60) agree with QL and scale exactly by powers of two', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 60 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1e9 }), (n, e, seed) => {
        const g = normal(key(seed), n * n);
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j]! + g[j * n + i]!;
        const m = { rows: n, cols: n, data: a };
        const f = eigh(m);
        const ql = eigh(m, { method: 'qr' });
        const scaled = eigh({ rows: n, cols: n, data: a.map((v) => v * 2 ** e) });
        const top = maxAbs(a);
        return (
          eighHolds(m, f.values, f.vectors) &&
          maxAbsDiff(f.values, ql.values) <= 32 * n * EPS * top &&
          maxAbsDiff(scaled.vectors.data, f.vectors.data) === 0 &&
          scaled.values.every((v, i) => v === f.values[i]! * 2 ** e || Math.abs(v - f.values[i]! * 2 ** e) <= 2 ** e * 1e-300)
        );
      }),
      { numRuns: 20 },
    );
  });

  test('graded tridiagonals (entries over 30 orders of magnitude) and tiny or huge scalings', () => {
    for (const n of [26, 75, 130]) {
      const d = Float64Array.from({ length: n }, (_, i) => 10 ** (-30 * i / (n - 1)));
      const e = Float64Array.from({ length: n - 1 }, (_, i) => 10 ** (-30 * (i + 0.5) / (n - 1)));
      for (const s of [1, 1e-300, 1e300]) {
        const a = symmetricTridiagonal(d.map((v) => v * s), e.map((v) => v * s));
        const f = eigh(a);
        expect(eighHolds(a, f.values, f.vectors)).toBe(true);
      }
    }
  });

  test('does not mutate its input; method and options are checked', () => {
    const g = gemm({ rows: 30, cols: 30, data: normal(key(3), 900) }, { rows: 30, cols: 30, data: normal(key(3), 900) }, { transB: true });
    const copy = g.data.slice();
    eigh(g);
    expect(g.data).toEqual(copy);
    expect(thrownCode(() => eigh(g, { method: 'jacobi' as 'dc' }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => eigh(g, { methd: 'qr' } as never))).toBe('INVALID_CONFIG');
  });
});

describe('divide and conquer falls back when a secular equation does not converge', () => {
  // No ordinary input makes the secular solvers fail, so a test switch makes every root fail: the
  // solvers must then give exactly what method 'qr' gives (their fallback), not garbage. Orders above
  // the leaf size (25), below which divide and conquer solves by QL without a secular equation; svd
  // both below (unblocked) and above (blocked) its blocking threshold of 48 columns.
  const bits = (x: Float64Array) => Array.from(x);
  test('eigh and svd (unblocked and blocked, tall and wide) = their QR method, bit for bit', async () => {
    const { forceSecularFailure } = await import('../src/decompositions/secular-failure.js');
    for (const [rows, cols] of [[50, 40], [40, 45], [80, 64], [64, 96]] as const) {
      const a = { rows, cols, data: normal(key(rows * 1000 + cols), rows * cols) };
      const sym = gemm(a, a, { transA: true });
      const qrSvd = svd(a, { method: 'qr' });
      const qrEigh = eigh(sym, { method: 'qr' });
      // Without the switch, divide and conquer takes its own path (other bits).
      expect(bits(svd(a).u.data)).not.toEqual(bits(qrSvd.u.data));
      expect(bits(eigh(sym).vectors.data)).not.toEqual(bits(qrEigh.vectors.data));
      forceSecularFailure(true);
      try {
        const s = svd(a);
        const e = eigh(sym);
        expect(bits(s.s)).toEqual(bits(qrSvd.s));
        expect(bits(s.u.data)).toEqual(bits(qrSvd.u.data));
        expect(bits(s.v.data)).toEqual(bits(qrSvd.v.data));
        expect(bits(e.values)).toEqual(bits(qrEigh.values));
        expect(bits(e.vectors.data)).toEqual(bits(qrEigh.vectors.data));
      } finally {
        forceSecularFailure(false);
      }
    }
  });
});
