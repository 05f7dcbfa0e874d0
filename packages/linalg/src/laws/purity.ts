import fc from 'fast-check';

function snapshot(v: unknown): unknown {
  if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint32Array || v instanceof Uint8Array) {
    return Array.from(v);
  }
  if (Array.isArray(v)) return v.map(snapshot);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = snapshot(x);
    return o;
  }
  return v;
}

/**
 * A function never mutates its inputs: every typed array, array and object reachable from the
 * arguments compares equal (bit for bit, NaN-aware via Object.is) before and after the call,
 * whether the call returns or throws.
 *
 * @example
 * ```ts
 * fc.check(doesNotMutate((a: Matrix) => transpose(a), gaussianMatrix().map((a) => [a] as [Matrix])), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function doesNotMutate<Args extends unknown[]>(fn: (...args: Args) => unknown, args: fc.Arbitrary<Args>): fc.IPropertyWithHooks<[Args]> {
  return fc.property(args, (xs) => {
    const before = JSON.stringify(snapshot(xs), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    try {
      fn(...xs);
    } catch {
      // Throwing is allowed; mutation is not.
    }
    const after = JSON.stringify(snapshot(xs), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    return before === after;
  });
}
