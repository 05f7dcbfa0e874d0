// Elementary functions built only from IEEE 754 basic operations (+, −, ×, ÷, comparisons) and exact
// bit manipulation, so they return the same bits in every JavaScript engine. `Math.log`, `Math.exp`,
// `Math.sin` and `Math.cos` are implementation-approximated by the ECMAScript spec and differ between
// engines in the last bit, which would make seeded streams engine-dependent. The algorithms and
// coefficients are fdlibm's (Sun Microsystems, freely redistributable): e_log.c, e_exp.c, k_sin.c,
// k_cos.c; all are accurate to within 1 ulp. JavaScript never contracts a*b+c into a fused
// multiply-add, so each expression rounds exactly as written.

// Big-endian DataView access: word order does not depend on the platform's byte order.
const scratch = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  scratch.setFloat64(0, x);
  return scratch.getInt32(0);
}

function lowWord(x: number): number {
  scratch.setFloat64(0, x);
  return scratch.getUint32(4);
}

function fromWords(hi: number, lo: number): number {
  scratch.setUint32(0, hi >>> 0);
  scratch.setUint32(4, lo >>> 0);
  return scratch.getFloat64(0);
}

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const TWO54 = 1.8014398509481984e16; // 2^54
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * The natural logarithm, bit-identical in every JavaScript engine (fdlibm's algorithm: error below
 * 1 ulp). Special values as `Math.log`: log(0) = −∞, log(x < 0) = NaN, log(∞) = ∞.
 *
 * @example
 * ```ts
 * [portableLog(1), portableLog(Math.E), portableLog(0) === -Infinity];
 * // [0, 1, true]
 * ```
 */
export function portableLog(x: number): number {
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // Zero, negative or subnormal.
    if (((hx & 0x7fffffff) | lowWord(x)) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // Normalise x or x/2 into [√2/2, √2).
  x = fromWords(hx | (i ^ 0x3ff00000), lowWord(x));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

const INV_LN2 = 1.44269504088896338700;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.45133219101941108420e2;
const TWO_M1000 = 9.33263618503218878990e-302; // 2^-1000

/**
 * e^x, bit-identical in every JavaScript engine (fdlibm's algorithm: error below 1 ulp). Special
 * values as `Math.exp`: exp(−∞) = 0, exp(∞) = ∞, overflow to ∞ above 709.78, underflow to 0 below
 * −745.13.
 *
 * @example
 * ```ts
 * [portableExp(0), portableExp(1), portableExp(-Infinity)];
 * // [1, 2.7182818284590455, 0]
 * ```
 */
export function portableExp(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const ax = highWord(x) & 0x7fffffff;
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax > 0x3fd62e42) {
    // |x| > ln2/2: x = k·ln2 + r with |r| ≤ ln2/2, ln2 split so k·LN2_HI is exact.
    if (ax < 0x3ff0a2b2) {
      k = x < 0 ? -1 : 1;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    } else {
      k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < 0x3e300000) {
    // |x| < 2^-28
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // Scale by 2^k through the exponent field: exact, and one rounding when the result is subnormal.
  if (k >= -1021) return fromWords(highWord(y) + (k << 20), lowWord(y));
  return fromWords(highWord(y) + ((k + 1000) << 20), lowWord(y)) * TWO_M1000;
}

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;

/** sin(x) for |x| ≤ π/4 (fdlibm's __kernel_sin with no tail). */
function kernelSin(x: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x + v * (S1 + z * r);
}

/** cos(x) for |x| ≤ π/4 (fdlibm's __kernel_cos with no tail). */
function kernelCos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - z * r);
  // |x| ≥ 0.3: subtract qx ≈ |x|/4 (exact) first, so the leading subtraction loses no bits.
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  return 1 - qx - (hz - z * r);
}

const TWO_PI = 6.283185307179586;

/**
 * Writes sin(2πu) and cos(2πu) into out[0] and out[1] for u in [0, 1], bit-identically in every engine.
 * The turn u is reduced to the nearest quarter exactly (u − q/4 is exact for u on the 2^-53 grid the
 * PRNG produces, and for any u in [0, 1] the reduction error is that of one subtraction), so only
 * the kernels' polynomials on [−π/4, π/4] run.
 */
export function sinCosTurn(u: number, out: Float64Array): Float64Array {
  const q = Math.round(4 * u);
  const x = (u - q / 4) * TWO_PI;
  const s = kernelSin(x);
  const c = kernelCos(x);
  switch (q & 3) {
    case 0:
      out[0] = s;
      out[1] = c;
      break;
    case 1:
      out[0] = c;
      out[1] = -s;
      break;
    case 2:
      out[0] = -s;
      out[1] = -c;
      break;
    default:
      out[0] = -c;
      out[1] = s;
  }
  return out;
}

const TURN = new Float64Array(2);

/**
 * sin(2πu), bit-identical in every JavaScript engine (the turn is reduced to the nearest quarter
 * exactly, then fdlibm's kernels run on [−π/4, π/4]). Defined on every number like `Math.sin`:
 * NaN and ±∞ give NaN.
 *
 * @example
 * ```ts
 * [portableSinTurn(0.25), portableSinTurn(0.75), portableSinTurn(1 / 12)];
 * // [1, -1, 0.49999999999999994]
 * ```
 */
export function portableSinTurn(u: number): number {
  return sinCosTurn(u, TURN)[0]!;
}

/**
 * cos(2πu), bit-identical in every JavaScript engine; see {@link portableSinTurn}.
 *
 * @example
 * ```ts
 * [portableCosTurn(0), portableCosTurn(0.5), portableCosTurn(1 / 6)];
 * // [1, -1, 0.5]
 * ```
 */
export function portableCosTurn(u: number): number {
  return sinCosTurn(u, TURN)[1]!;
}
