import { DescentError } from './errors.js';
import { portableExp, portableLog, sinCosTurn } from './portable-math.js';
import { assertArrayLike, assertVector, describeValue, MAX_ELEMENTS } from './validate.js';

/**
 * A PRNG key: two unsigned 32-bit words. Keys are values: every draw is a pure function of its key,
 * and a key is never advanced in place. Make new keys with {@link split} or {@link foldIn}.
 */
export type Key = readonly [number, number];

// Threefry-2x32 with 20 rounds (Salmon et al. 2011, as in JAX). Pure 32-bit integer arithmetic, so
// the bit stream is identical on every platform.
const ROT = [13, 15, 26, 6, 17, 29, 16, 24];
const out2 = new Uint32Array(2);

function threefry(k0: number, k1: number, c0: number, c1: number): Uint32Array {
  const k2 = (k0 ^ k1 ^ 0x1bd11bda) >>> 0;
  const ks = [k0 >>> 0, k1 >>> 0, k2];
  let x0 = (c0 + ks[0]!) >>> 0;
  let x1 = (c1 + ks[1]!) >>> 0;
  for (let block = 0; block < 5; block++) {
    const r0 = block % 2 === 0 ? 0 : 4;
    for (let j = 0; j < 4; j++) {
      x0 = (x0 + x1) >>> 0;
      const r = ROT[r0 + j]!;
      x1 = ((x1 << r) | (x1 >>> (32 - r))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(block + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(block + 2) % 3]! + block + 1) >>> 0;
  }
  out2[0] = x0;
  out2[1] = x1;
  return out2;
}

// Counter domains keep draws and splits of one key on disjoint streams.
const DRAW = 0;
const SPLIT = 0x9e3779b9;
const FOLD = 0x7f4a7c15;

/**
 * A key from an integer seed (any safe integer; equal seeds give equal streams).
 *
 * @example
 * ```ts
 * const k = key(42);
 * uniform(k, 2).length;
 * // 2
 * ```
 */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed)) {
    throw new DescentError('INVALID_CONFIG', 'key', `seed must be a safe integer, got ${seed}`);
  }
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const lo = seed >>> 0;
  const w = threefry(0, 0, hi, lo);
  return [w[0]!, w[1]!];
}

/**
 * Splits a key into `n` independent keys (default 2). Use one for each consumer; never reuse the
 * parent key for draws after splitting it.
 *
 * @example
 * ```ts
 * const [a, b] = split(key(0));
 * a[0] !== b[0];
 * // true
 * ```
 */
export function split(k: Key, n = 2): Key[] {
  assertKey(k, 'split');
  if (!Number.isInteger(n) || n < 1) throw new DescentError('INVALID_CONFIG', 'split', `n must be a positive integer, got ${n}`);
  checkCount(n, 'split');
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    const w = threefry(k[0], k[1], SPLIT, i);
    keys.push([w[0]!, w[1]!]);
  }
  return keys;
}

/**
 * Derives a key from `k` and an integer (a step number, a worker id), so that a loop can take a
 * fresh key per iteration without carrying a chain of splits.
 *
 * @example
 * ```ts
 * foldIn(key(0), 7)[0] === foldIn(key(0), 7)[0];
 * // true
 * ```
 */
export function foldIn(k: Key, data: number): Key {
  assertKey(k, 'foldIn');
  if (!Number.isSafeInteger(data)) throw new DescentError('INVALID_CONFIG', 'foldIn', `data must be a safe integer, got ${data}`);
  const w = threefry(k[0], k[1], (FOLD ^ Math.floor(data / 2 ** 32)) >>> 0, data >>> 0);
  return [w[0]!, w[1]!];
}

/**
 * Fills `out` with random 32-bit words drawn from `k` (word i depends only on k and i).
 *
 * @example
 * ```ts
 * randomBitsInto(key(1), new Uint32Array(4)).length;
 * // 4
 * ```
 */
export function randomBitsInto(k: Key, out: Uint32Array): Uint32Array {
  assertKey(k, 'randomBits');
  if (!(out instanceof Uint32Array)) throw new DescentError('SHAPE_MISMATCH', 'randomBitsInto', `out must be a Uint32Array, got ${describeValue(out)}`);
  const n = out.length;
  for (let i = 0; 2 * i < n; i++) {
    const w = threefry(k[0], k[1], DRAW, i);
    out[2 * i] = w[0]!;
    if (2 * i + 1 < n) out[2 * i + 1] = w[1]!;
  }
  return out;
}

/**
 * Writes `out.length` uniform draws on [0, 1) with 53 random bits each. The same key always gives
 * the same numbers, on every platform.
 *
 * @example
 * ```ts
 * const u = uniformInto(key(3), new Float64Array(3));
 * u.every((v) => v >= 0 && v < 1);
 * // true
 * ```
 */
export function uniformInto(k: Key, out: Float64Array, low = 0, high = 1): Float64Array {
  assertKey(k, 'uniform');
  assertVector(out, 'uniformInto', 'out');
  if (!(Number.isFinite(low) && Number.isFinite(high) && high >= low)) {
    throw new DescentError('INVALID_CONFIG', 'uniform', `need finite low <= high, got [${low}, ${high})`);
  }
  const k0 = k[0];
  const k1 = k[1];
  const span = high - low;
  for (let i = 0; i < out.length; i++) {
    const w = threefry(k0, k1, DRAW, i);
    // 27 high bits of one word and 26 of the other: a double on the 2^-53 grid.
    const u = ((w[0]! >>> 5) * 67108864 + (w[1]! >>> 6)) / 9007199254740992;
    out[i] = low + span * u;
  }
  return out;
}

/**
 * `n` uniform draws on [low, high) (default [0, 1)).
 *
 * @example
 * ```ts
 * uniform(key(0), 2).length;
 * // 2
 * ```
 */
export function uniform(k: Key, n: number, low = 0, high = 1): Float64Array {
  return uniformInto(k, new Float64Array(checkCount(n, 'uniform')), low, high);
}

/** sin and cos of the current draw's turn (module scratch: normalInto allocates nothing). */
const SIN_COS = new Float64Array(2);

/**
 * Writes standard normal draws (times `std`, plus `mean`) into `out` by the Box–Muller transform.
 * The logarithm, sine and cosine are the library's own ({@link portableLog} and fdlibm's kernels),
 * not `Math`'s, whose last bits differ between engines: the draws are identical everywhere.
 *
 * @example
 * ```ts
 * normalInto(key(0), new Float64Array(4)).length;
 * // 4
 * ```
 */
export function normalInto(k: Key, out: Float64Array, mean = 0, std = 1): Float64Array {
  assertKey(k, 'normal');
  assertVector(out, 'normalInto', 'out');
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new DescentError('INVALID_CONFIG', 'normal', `need finite mean and std >= 0, got ${mean}, ${std}`);
  }
  const k0 = k[0];
  const k1 = k[1];
  const n = out.length;
  const sc = SIN_COS;
  for (let i = 0; 2 * i < n; i++) {
    const wa = threefry(k0, k1, DRAW, 2 * i);
    // (1 - u) lies in (0, 1], so the log is finite.
    const u1 = 1 - ((wa[0]! >>> 5) * 67108864 + (wa[1]! >>> 6)) / 9007199254740992;
    const wb = threefry(k0, k1, DRAW, 2 * i + 1);
    const u2 = ((wb[0]! >>> 5) * 67108864 + (wb[1]! >>> 6)) / 9007199254740992;
    const r = Math.sqrt(-2 * portableLog(u1));
    sinCosTurn(u2, sc);
    out[2 * i] = mean + std * r * sc[1]!;
    if (2 * i + 1 < n) out[2 * i + 1] = mean + std * r * sc[0]!;
  }
  return out;
}

/**
 * `n` normal draws with the given mean and standard deviation (default standard normal).
 *
 * @example
 * ```ts
 * normal(key(0), 3).length;
 * // 3
 * ```
 */
export function normal(k: Key, n: number, mean = 0, std = 1): Float64Array {
  return normalInto(k, new Float64Array(checkCount(n, 'normal')), mean, std);
}

/**
 * `n` Bernoulli(p) draws as 0/1 bytes.
 *
 * @example
 * ```ts
 * bernoulli(key(0), 1, 5);
 * // Uint8Array [1, 1, 1, 1, 1]
 * ```
 */
export function bernoulli(k: Key, p: number, n: number): Uint8Array {
  if (!(p >= 0 && p <= 1)) throw new DescentError('DOMAIN', 'bernoulli', `p must be in [0, 1], got ${p}`);
  const u = uniform(k, n);
  const out = new Uint8Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = u[i]! < p ? 1 : 0;
  return out;
}

/**
 * `n` draws from the categorical distribution with the given (unnormalised, nonnegative) weights,
 * by inverse-CDF binary search. Zero-weight categories are never drawn.
 *
 * @example
 * ```ts
 * categorical(key(0), new Float64Array([0, 1, 0]), 3);
 * // Int32Array [1, 1, 1]
 * ```
 */
export function categorical(k: Key, weights: ArrayLike<number>, n: number): Int32Array {
  assertArrayLike(weights, 'categorical', 'weights');
  const m = weights.length;
  if (m === 0) throw new DescentError('SHAPE_MISMATCH', 'categorical', 'weights is empty');
  const cdf = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const w = weights[j]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new DescentError('DOMAIN', 'categorical', `weights[${j}] = ${w} is not a finite nonnegative number`);
    total += w;
    cdf[j] = total;
  }
  if (!(total > 0)) throw new DescentError('DOMAIN', 'categorical', 'weights sum to zero');
  const u = uniform(k, n);
  const out = new Int32Array(u.length);
  for (let i = 0; i < u.length; i++) {
    const t = u[i]! * total;
    let lo = 0;
    let hi = m - 1;
    // First j with cdf[j] > t: skips zero-weight categories because their cdf equals the previous one.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

/**
 * `n` categorical draws given log-weights (any finite or -Infinity values, not all -Infinity).
 * The weights are {@link portableExp} of the shifted logits, so the draws are the same in every engine.
 *
 * @example
 * ```ts
 * categoricalLogits(key(0), new Float64Array([-Infinity, 0]), 2);
 * // Int32Array [1, 1]
 * ```
 */
export function categoricalLogits(k: Key, logits: ArrayLike<number>, n: number): Int32Array {
  assertArrayLike(logits, 'categoricalLogits', 'logits');
  let max = -Infinity;
  for (let j = 0; j < logits.length; j++) {
    const v = logits[j]!;
    if (Number.isNaN(v) || v === Infinity) throw new DescentError('DOMAIN', 'categoricalLogits', `logits[${j}] is ${v}`);
    if (v > max) max = v;
  }
  const w = new Float64Array(logits.length);
  for (let j = 0; j < logits.length; j++) w[j] = portableExp(logits[j]! - max);
  return categorical(k, w, n);
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher–Yates).
 *
 * @example
 * ```ts
 * Array.from(permutation(key(0), 4)).sort();
 * // [0, 1, 2, 3]
 * ```
 */
export function permutation(k: Key, n: number): Int32Array {
  const p = new Int32Array(checkCount(n, 'permutation'));
  for (let i = 0; i < n; i++) p[i] = i;
  const u = uniform(k, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

function checkCount(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 0) throw new DescentError('INVALID_CONFIG', where, `count must be a non-negative integer, got ${n}`);
  if (n > MAX_ELEMENTS) throw new DescentError('INVALID_CONFIG', where, `count ${n} is above the allocation limit of ${MAX_ELEMENTS}`);
  return n;
}

function assertKey(k: Key, where: string): void {
  if (!Array.isArray(k) || k.length !== 2 || !Number.isInteger(k[0]) || !Number.isInteger(k[1])) {
    throw new DescentError('INVALID_CONFIG', where, 'key must be a pair of 32-bit integers made by key(seed)');
  }
}
