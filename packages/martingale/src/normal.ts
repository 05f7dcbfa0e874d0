// The standard normal distribution: CDF, log-CDF and quantile, accurate to a few ulps far into the tails.
// Φ comes from W. J. Cody's rational Chebyshev approximations of erfc (Math. Comp. 1969, netlib
// specfun/erf); Φ⁻¹ is Wichura's AS241 (PPND16, Appl. Statist. 1988), accurate to about 1e-16.
import { DescentError, describeValue } from '@descent/linalg';

const SQRT1_2 = Math.SQRT1_2;
const SQRPI = 0.56418958354775628695; // 1/sqrt(pi)

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

// erf(y) for |y| <= 0.46875.
function erfSmall(y: number): number {
  const ysq = y * y;
  let xnum = A[4]! * ysq;
  let xden = ysq;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + A[i]!) * ysq;
    xden = (xden + B[i]!) * ysq;
  }
  return (y * (xnum + A[3]!)) / (xden + B[3]!);
}

// exp(y²) erfc(y) for y > 0.46875 (the scaled complementary error function).
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let xnum = C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    return (xnum + C[7]!) / (xden + D[7]!);
  }
  if (y >= 6.71e7) return SQRPI / y;
  const ysq = 1 / (y * y);
  let xnum = P[5]! * ysq;
  let xden = ysq;
  for (let i = 0; i < 4; i++) {
    xnum = (xnum + P[i]!) * ysq;
    xden = (xden + Q[i]!) * ysq;
  }
  const r = (ysq * (xnum + P[4]!)) / (xden + Q[4]!);
  return (SQRPI - r) / y;
}

// exp(-y²) computed as exp(-ys²) exp(-(y-ys)(y+ys)) with ys = y rounded to 1/16, as Cody does, so the
// relative error does not grow with y².
function expNegSquare(y: number): number {
  const ys = Math.trunc(y * 16) / 16;
  return Math.exp(-ys * ys) * Math.exp(-(y - ys) * (y + ys));
}

/**
 * The standard normal CDF Φ(x), with full relative accuracy in the lower tail (Cody's erfc).
 *
 * @example
 * ```ts
 * normalCdf(0);
 * // 0.5
 * ```
 */
export function normalCdf(x: number): number {
  checkArgument(x, 'normalCdf');
  const y = -x * SQRT1_2; // Φ(x) = erfc(y) / 2
  const ay = Math.abs(y);
  if (ay <= 0.46875) return 0.5 * (1 - erfSmall(y));
  const tail = ay >= 26.7 ? 0 : 0.5 * expNegSquare(ay) * erfcxLarge(ay); // erfc(|y|)/2
  return y > 0 ? tail : 1 - tail;
}

/**
 * log Φ(x), finite for every finite x (for x → -∞ it follows -x²/2 - log(-x√(2π))).
 *
 * @example
 * ```ts
 * Math.round(logNormalCdf(-40));
 * // -805
 * ```
 */
export function logNormalCdf(x: number): number {
  checkArgument(x, 'logNormalCdf');
  if (x === -Infinity) return -Infinity;
  const y = -x * SQRT1_2;
  if (y > 0.46875) {
    // log(erfc(y)/2) = log(erfcx(y)/2) - y², split as Cody does to keep the square exact enough.
    const ys = Math.trunc(y * 16) / 16;
    return Math.log(0.5 * erfcxLarge(y)) - ys * ys - (y - ys) * (y + ys);
  }
  // For x > 0, log Φ(x) = log1p(-Φ(-x)) keeps full relative accuracy as Φ(x) → 1.
  return x > 0 ? Math.log1p(-normalCdf(-x)) : Math.log(normalCdf(x));
}

/**
 * The standard normal quantile Φ⁻¹(p) for p in [0, 1] (AS241; -Infinity at 0, +Infinity at 1); a p
 * outside [0, 1] or NaN is a `DOMAIN` error.
 *
 * @example
 * ```ts
 * normalQuantile(0.975).toFixed(6);
 * // '1.959964'
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(typeof p === 'number' && p >= 0 && p <= 1)) throw new DescentError('DOMAIN', 'normalQuantile', `p must be in [0, 1], got ${describeValue(p)}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r +
          1.3731693765509461125e4) *
          r +
          1.9715909503065514427e3) *
          r +
          1.3314166789178437745e2) *
          r +
          3.387132872796366608)) /
      (((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.930789580009271061e4) * r + 2.1213794301586595867e4) * r +
        5.3941960214247511077e3) *
        r +
        6.871870074920579083e2) *
        r +
        4.2313330701600911252e1) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  if (r === 0) return q < 0 ? -Infinity : Infinity;
  r = Math.sqrt(-Math.log(r));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z =
      (((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r + 1.4810397642748007459e-1) * r +
        6.8976733498510000455e-1) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    z =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r + 2.6532189526576123093e-2) * r +
        2.9656057182850489123e-1) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        1.48753612908506148525e-2) *
        r +
        1.3692988092273580531e-1) *
        r +
        5.9983220655588793769e-1) *
        r +
        1);
  }
  return q < 0 ? -z : z;
}

/**
 * The standard normal density φ(x).
 *
 * @example
 * ```ts
 * normalPdf(0).toFixed(6);
 * // '0.398942'
 * ```
 */
export function normalPdf(x: number): number {
  checkArgument(x, 'normalPdf');
  return 0.3989422804014327 * Math.exp(-0.5 * x * x);
}

// ±Infinity is a valid argument of the CDFs and the density (their limits); NaN and non-numbers are not.
function checkArgument(x: number, where: string): void {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new DescentError('DOMAIN', where, `x must be a number, got ${describeValue(x)}`);
}
