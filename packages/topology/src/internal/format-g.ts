// C's `%g` with precision 6 (what C++ `std::cout << x` prints for a float or double), exact: the
// decimal expansion of the double is rounded half-to-even on its exact value, as glibc does, so ties
// such as 100000.5 print like ripser's output (JavaScript's toFixed rounds them up).

/** The exact decimal digits of a finite positive double and the power of ten of the last digit. */
function exactDigits(x: number): { digits: string; exp10: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) return { digits: (mant << BigInt(e2)).toString(), exp10: 0 };
  // m·2^e = m·5^−e / 10^−e
  return { digits: (mant * 5n ** BigInt(-e2)).toString(), exp10: e2 };
}

/** Rounds the digit string to `p` significant digits, half to even; returns digits and the exponent of the first. */
function roundSignificant(digits: string, exp10: number, p: number): { d: string; x: number } {
  const trimmed = digits.replace(/^0+/, '');
  let x = trimmed.length - 1 + exp10; // exponent of the leading digit
  if (trimmed.length <= p) return { d: trimmed.padEnd(p, '0'), x };
  let head = BigInt(trimmed.slice(0, p));
  const rest = trimmed.slice(p);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  if (first > 5 || (first === 5 && (tail || head % 2n === 1n))) head += 1n;
  let d = head.toString();
  if (d.length > p) {
    d = d.slice(0, p);
    x++;
  }
  return { d, x };
}

/** `printf("%g", x)`: 6 significant digits, trailing zeros removed, exponent form outside [1e−4, 1e6). */
export function formatG(x: number, p = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp10 } = exactDigits(Math.abs(x));
  const { d, x: e } = roundSignificant(digits, exp10, p);
  let out: string;
  if (e < -4 || e >= p) {
    let m = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const ae = Math.abs(e);
    out = `${m}e${e < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  } else if (e >= 0) {
    const int = d.slice(0, e + 1);
    const frac = d.slice(e + 1).replace(/0+$/, '');
    out = frac ? `${int}.${frac}` : int;
  } else {
    const frac = ('0'.repeat(-e - 1) + d).replace(/0+$/, '');
    out = `0.${frac}`;
  }
  return sign + out;
}
