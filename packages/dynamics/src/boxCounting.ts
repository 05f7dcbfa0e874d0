import { assertKnownKeys, DescentError, assertArrayLike } from '@descent/linalg';
import { requireFiniteVector, requireInteger, requireF64, requireU8, requireOptions } from './validate.js';

function checkImage(len: number, n1: number, n2: number, where: string): void {
  requireInteger(n1, 1, where, 'n1');
  requireInteger(n2, 1, where, 'n2');
  if (len !== n1 * n2) throw new DescentError('SHAPE_MISMATCH', where, `image has ${len} pixels, expected ${n1}×${n2} = ${n1 * n2}`);
}

/**
 * The boundary of a class image: pixel (i, j) (index j·n1 + i) is on the boundary iff one of its
 * 4-neighbours has a different class (spec §e.1; `sides: 'both'`, the default), so the boundary is two
 * pixels thick. With `sides: 'one'` only the pixel of the larger class of each differing pair is
 * marked: a one-pixel-thick curve, which avoids box counting's grid-alignment artifact on straight
 * axis-parallel boundaries (a 2-px line straddling box edges at small scales only). Classes can be
 * binary (converged or not) or multi-class (minimizer labels plus "not converged").
 *
 * @example
 * ```ts
 * boundaryMask(new Uint8Array([0, 0, 1, 1]), 4, 1);
 * // Uint8Array [0, 1, 1, 0]
 * ```
 */
export function boundaryMask(classes: ArrayLike<number>, n1: number, n2: number, options: { sides?: 'both' | 'one' } = {}): Uint8Array {
  assertKnownKeys(options, ['sides'], 'boundaryMask', 'options');
  assertArrayLike(classes, 'boundaryMask', 'classes');
  checkImage(classes.length, n1, n2, 'boundaryMask');
  const sides = options.sides ?? 'both';
  if (sides !== 'both' && sides !== 'one') throw new DescentError('INVALID_CONFIG', 'boundaryMask', `sides must be 'both' or 'one', got ${String(sides)}`);
  const one = sides === 'one';
  const out = new Uint8Array(n1 * n2);
  for (let j = 0; j < n2; j++) {
    for (let i = 0; i < n1; i++) {
      const p = j * n1 + i;
      const c = classes[p]!;
      const differs = (q: number): boolean => (one ? classes[q]! < c : classes[q] !== c);
      if ((i > 0 && differs(p - 1)) || (i + 1 < n1 && differs(p + 1)) || (j > 0 && differs(p - n1)) || (j + 1 < n2 && differs(p + n1))) {
        out[p] = 1;
      }
    }
  }
  return out;
}

/** A box-counting dimension estimate with everything needed to judge it. */
export interface BoxDimension {
  /** The OLS slope of log N(s) against log(1/s) over the fit range; NaN if the mask is empty. */
  readonly dimension: number;
  /** Its standard error, sqrt(Σe²/(K−2) / Σ(x−x̄)²); NaN with fewer than 3 fitted scales. */
  readonly standardError: number;
  /** Every box side s (pixels), ascending. */
  readonly sizes: Int32Array;
  /** N(s): boxes holding at least one mask pixel, for every side. */
  readonly counts: Float64Array;
  /** The sides used in the fit, [smallest, largest]. */
  readonly fitRange: readonly [number, number];
  /** Number K of scales in the fit. */
  readonly scales: number;
  /** Local slopes −Δlog N/Δlog s between consecutive sides (shows curvature of the log-log plot). */
  readonly localSlopes: Float64Array;
  /** Why the estimate is NaN, if it is. */
  readonly reason?: 'empty' | 'too few scales';
}

/**
 * Box-counting dimension of a pixel set (spec §e.1, [RECON] recipe): sides s = 2^k, boxes aligned at
 * pixel (0, 0), partial boxes at the far edges dropped, N(s) = boxes containing a set pixel, OLS fit of
 * log N against log(1/s) over `minBox` ≤ s ≤ `maxBox` (default 2 … min(n1, n2)/8). Exactly log₂3 on
 * the Sierpinski set (i & j) = 0; ≈ 1 (+0.03…0.1 pixelation bias) on smooth curves.
 * An empty mask gives `dimension: NaN, reason: 'empty'` (empty maps are legitimate, e.g. η ≥ 2/y).
 *
 * @example
 * ```ts
 * const n = 256, m = new Uint8Array(n * n);
 * for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) m[j * n + i] = (i & j) === 0 ? 1 : 0;
 * boxCountingDimension(m, n, n).dimension.toFixed(4);
 * // '1.5850'
 * ```
 */
export function boxCountingDimension(
  mask: Uint8Array,
  n1: number,
  n2: number,
  options: { minBox?: number; maxBox?: number } = {},
): BoxDimension {
  const where = 'boxCountingDimension';
  options = requireOptions(options, where);
  requireU8(mask, where, 'mask');
  checkImage(mask.length, n1, n2, where);
  const n = Math.min(n1, n2);
  const minBox = requireInteger(options.minBox ?? 2, 1, where, 'minBox');
  const maxBox = requireInteger(options.maxBox ?? Math.max(1, Math.floor(n / 8)), 1, where, 'maxBox');
  if (maxBox < minBox) throw new DescentError('INVALID_CONFIG', where, `maxBox ${maxBox} < minBox ${minBox}`);
  const kmax = Math.floor(Math.log2(n));
  const sizes = new Int32Array(kmax + 1);
  const counts = new Float64Array(kmax + 1);
  // Occupancy at side 1, then OR-pool 2×2 blocks: floor(n/2^(k+1)) = floor(floor(n/2^k)/2), so
  // pooling full boxes gives exactly the full boxes of the next side.
  let w = n1;
  let h = n2;
  let occ = Uint8Array.from(mask, (v) => (v !== 0 ? 1 : 0));
  for (let k = 0; k <= kmax; k++) {
    sizes[k] = 1 << k;
    let c = 0;
    for (let q = 0; q < w * h; q++) c += occ[q]!;
    counts[k] = c;
    if (k === kmax) break;
    const w2 = w >> 1;
    const h2 = h >> 1;
    const next = new Uint8Array(w2 * h2);
    for (let j = 0; j < h2; j++) {
      for (let i = 0; i < w2; i++) {
        const a = 2 * j * w + 2 * i;
        next[j * w2 + i] = occ[a]! | occ[a + 1]! | occ[a + w]! | occ[a + w + 1]!;
      }
    }
    occ = next;
    w = w2;
    h = h2;
  }
  const localSlopes = new Float64Array(kmax);
  for (let k = 0; k < kmax; k++) localSlopes[k] = -(Math.log(counts[k + 1]!) - Math.log(counts[k]!)) / Math.LN2;
  const idx: number[] = [];
  for (let k = 0; k <= kmax; k++) if (sizes[k]! >= minBox && sizes[k]! <= maxBox) idx.push(k);
  const fitRange = [idx.length ? sizes[idx[0]!]! : NaN, idx.length ? sizes[idx[idx.length - 1]!]! : NaN] as const;
  const base = { sizes, counts, fitRange, scales: idx.length, localSlopes };
  if (counts[0] === 0) return { ...base, dimension: NaN, standardError: NaN, reason: 'empty' };
  if (idx.length < 2) return { ...base, dimension: NaN, standardError: NaN, reason: 'too few scales' };
  const xs = idx.map((k) => -Math.log(sizes[k]!));
  const ys = idx.map((k) => Math.log(counts[k]!));
  const fit = olsSlope(xs, ys);
  return { ...base, dimension: fit.slope, standardError: fit.se };
}

/**
 * Ordinary least squares y ≈ a + b x: slope b, its standard error (NaN for fewer than 3 points) and
 * the intercept.
 *
 * @example
 * ```ts
 * olsSlope([0, 1, 2], [1, 3, 5]).slope;
 * // 2
 * ```
 */
export function olsSlope(xs: readonly number[], ys: readonly number[]): { slope: number; se: number; intercept: number } {
  requireFiniteVector(xs, 'olsSlope', 'xs');
  requireFiniteVector(ys, 'olsSlope', 'ys');
  if (ys.length !== xs.length) throw new DescentError('SHAPE_MISMATCH', 'olsSlope', `xs has ${xs.length} points, ys has ${ys.length}`);
  if (xs.length < 2) throw new DescentError('SHAPE_MISMATCH', 'olsSlope', `a slope needs at least 2 points, got ${xs.length}`);
  const k = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < k; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= k;
  my /= k;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < k; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const se = k >= 3 ? Math.sqrt(sse / (k - 2) / sxx) : NaN;
  return { slope, se, intercept };
}

/** The Sohl-Dickstein/porespy estimate. */
export interface SohlBoxDimension {
  /** The median of the local slopes. */
  readonly dimension: number;
  /** Tile sides used. */
  readonly sizes: Int32Array;
  /** Tiles that are partly, not wholly, edge. */
  readonly counts: Float64Array;
  /** −gradient(log N, log s) (NumPy's second-order central differences, one-sided at the ends). */
  readonly localSlopes: Float64Array;
  readonly reason?: 'empty';
}

/**
 * The box-counting estimator of Sohl-Dickstein's "boundary of neural network trainability is fractal"
 * notebook [CODE, spec §e.2]: edges are the 2×2 windows of a signed image whose max·min < 0
 * ((n1−1)×(n2−1) pixels), counted by porespy's `boxcount` (sides int(logspace(1, log10 min, bins)),
 * tiles from 0 with partial tiles kept, a tile counts iff it holds an edge but is not all edge),
 * dimension = median of −gradient(log N, log s). For a region, pass −1 for converged and +1 otherwise.
 *
 * @example
 * ```ts
 * const n = 200, s = new Float64Array(n * n);
 * for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) s[j * n + i] = Math.hypot(i - 100, j - 100) < 70 ? -1 : 1;
 * Math.abs(sohlBoxCountingDimension(s, n, n).dimension - 1) < 0.15;
 * // true
 * ```
 */
export function sohlBoxCountingDimension(signed: Float64Array, n1: number, n2: number, options: { bins?: number } = {}): SohlBoxDimension {
  const where = 'sohlBoxCountingDimension';
  assertKnownKeys(options, ['bins'], where, 'options');
  requireF64(signed, where, 'signed');
  checkImage(signed.length, n1, n2, where);
  requireFiniteVector(signed, where, 'signed');
  if (n1 < 12 || n2 < 12) throw new DescentError('INVALID_CONFIG', where, `image ${n1}×${n2} is smaller than the smallest tile side 10 + 2`);
  const bins = requireInteger(options.bins ?? 10, 2, where, 'bins');
  const w = n1 - 1;
  const h = n2 - 1;
  const edge = new Uint8Array(w * h);
  let any = 0;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const a = signed[j * n1 + i]!;
      const b = signed[j * n1 + i + 1]!;
      const c = signed[(j + 1) * n1 + i]!;
      const d = signed[(j + 1) * n1 + i + 1]!;
      const mx = Math.max(a, b, c, d);
      const mn = Math.min(a, b, c, d);
      if (mx * mn < 0) {
        edge[j * w + i] = 1;
        any++;
      }
    }
  }
  const top = Math.log10(Math.min(w, h));
  const raw: number[] = [];
  for (let q = 0; q < bins; q++) raw.push(Math.trunc(Math.pow(10, 1 + ((top - 1) * q) / (bins - 1))));
  const sizes = Int32Array.from([...new Set(raw)].sort((a, b) => a - b));
  const counts = new Float64Array(sizes.length);
  sizes.forEach((s, q) => {
    let c = 0;
    for (let j0 = 0; j0 < h; j0 += s) {
      for (let i0 = 0; i0 < w; i0 += s) {
        let ones = 0;
        let cells = 0;
        for (let j = j0; j < Math.min(h, j0 + s); j++) {
          for (let i = i0; i < Math.min(w, i0 + s); i++) {
            ones += edge[j * w + i]!;
            cells++;
          }
        }
        if (ones > 0 && ones < cells) c++;
      }
    }
    counts[q] = c;
  });
  const K = sizes.length;
  const localSlopes = new Float64Array(K);
  if (any === 0 || K < 2) return { dimension: NaN, sizes, counts, localSlopes: localSlopes.fill(NaN), reason: 'empty' };
  const x = Array.from(sizes, (s) => Math.log(s));
  const f = Array.from(counts, (c) => Math.log(c));
  localSlopes[0] = -(f[1]! - f[0]!) / (x[1]! - x[0]!);
  localSlopes[K - 1] = -(f[K - 1]! - f[K - 2]!) / (x[K - 1]! - x[K - 2]!);
  for (let i = 1; i < K - 1; i++) {
    const hl = x[i]! - x[i - 1]!;
    const hr = x[i + 1]! - x[i]!;
    localSlopes[i] = -(hl * hl * f[i + 1]! - hr * hr * f[i - 1]! + (hr * hr - hl * hl) * f[i]!) / (hl * hr * (hl + hr));
  }
  const sorted = Array.from(localSlopes).sort((a, b) => a - b);
  const med = K % 2 ? sorted[(K - 1) / 2]! : (sorted[K / 2 - 1]! + sorted[K / 2]!) / 2;
  return { dimension: med, sizes, counts, localSlopes };
}
