import { DescentError, describeValue, MAX_ELEMENTS } from '@descent/linalg';

/** Throws `INVALID_CONFIG` unless `f` is a function (callers without TypeScript pass anything). @internal */
export function assertFunction(f: unknown, where: string, what: string): asserts f is (...args: never[]) => unknown {
  if (typeof f !== 'function') throw new DescentError('INVALID_CONFIG', where, `${what} must be a function, got ${describeValue(f)}`);
}

/**
 * Throws `INVALID_CONFIG` when a request would allocate more than linalg's `MAX_ELEMENTS` entries:
 * checked before the allocation and before any loop over it, so a huge size fails at once. @internal
 */
export function assertAllocation(count: number, where: string, what: string): void {
  if (!(count <= MAX_ELEMENTS)) throw new DescentError('INVALID_CONFIG', where, `${what} asks for ${count} entries, above the allocation limit of ${MAX_ELEMENTS}`);
}

/** Throws `INVALID_CONFIG` unless `x` is an integer in [lo, hi]. @internal */
export function assertIntIn(x: unknown, lo: number, hi: number, where: string, what: string): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be an integer in [${lo}, ${hi}], got ${describeValue(x)}`);
  }
}

/** Throws unless `xs` is an array of Float64Arrays of one length (returned), each entry finite. @internal */
export function assertPoints(xs: unknown, where: string, what: string, min = 1): number {
  if (!Array.isArray(xs) || xs.length < min) throw new DescentError('INVALID_CONFIG', where, `${what} must be an array of at least ${min} Float64Arrays, got ${describeValue(xs)}`);
  if (xs.length === 0) return 0;
  const first: unknown = xs[0];
  if (!(first instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `${what}[0] must be a Float64Array, got ${describeValue(first)}`);
  const D = first.length;
  for (let i = 0; i < xs.length; i++) {
    const p: unknown = xs[i];
    if (!(p instanceof Float64Array) || p.length !== D) throw new DescentError('SHAPE_MISMATCH', where, `${what}[${i}] must be a Float64Array of length ${D}`);
    for (let k = 0; k < D; k++) if (!Number.isFinite(p[k]!)) throw new DescentError('NON_FINITE', where, `${what}[${i}][${k}] is ${p[k]}`);
  }
  return D;
}
