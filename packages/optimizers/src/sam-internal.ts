import { DescentError } from '@descent/linalg';

// Helpers shared by the multi-observation methods (SAM, ARSAM, O2NC, ODOG). Not exported from the
// package entry point.

/** A state type with its readonly fields writable (for `stepInto`, which fills a caller-owned state). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Copies plain-data `src` into the matching buffers of `dst` (typed arrays by `set`, numbers, strings
 * and booleans by assignment, objects and arrays recursively) and returns `dst`. Arrays that alias
 * each other in `dst` (a `query` that is `x`) stay aliased. Throws `SHAPE_MISMATCH` when `dst` does
 * not have `src`'s shape.
 */
export function copyInto<T>(src: T, dst: T, where: string, path = 'state'): T {
  if (src === dst) return dst;
  if (ArrayBuffer.isView(src)) {
    const s = src as unknown as Float64Array;
    const d = dst as unknown as Float64Array;
    if (!ArrayBuffer.isView(d) || d.length !== s.length || d.constructor !== s.constructor) {
      throw new DescentError('SHAPE_MISMATCH', where, `stepInto: out ${path} does not match the state's shape`);
    }
    d.set(s);
    return dst;
  }
  if (src === null || typeof src !== 'object') return src;
  if (dst === null || typeof dst !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `stepInto: out ${path} is missing`);
  const s = src as Record<string, unknown>;
  const d = dst as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    const v = s[k];
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v) && !Array.isArray(d[k])) throw new DescentError('SHAPE_MISMATCH', where, `stepInto: out ${path}.${k} is missing`);
      // Keys (readonly tuples) and small arrays of numbers: replace by a copy when lengths differ.
      d[k] = copyInto(v, d[k], where, `${path}.${k}`);
    } else {
      d[k] = v;
    }
  }
  return dst;
}

/** The gradient inside an observation (`Float64Array` or `{ grad }`). */
export function gradOf(obs: unknown, where: string): Float64Array {
  if (obs instanceof Float64Array) return obs;
  if (obs !== null && typeof obs === 'object' && (obs as { grad?: unknown }).grad instanceof Float64Array) return (obs as { grad: Float64Array }).grad;
  throw new DescentError('SHAPE_MISMATCH', where, 'the observation must be a Float64Array gradient or { value, grad }');
}

/** The observation with its gradient replaced by `g` (keeps a loss value for loss-aware bases). */
export function withGrad<O>(obs: O, g: Float64Array): O {
  if (obs instanceof Float64Array) return g as unknown as O;
  return { ...(obs as object), grad: g } as O;
}

/** Throws unless `g` has length n; with `check`, also unless it is finite. */
export function checkGradient(where: string, g: Float64Array, n: number, check: boolean): void {
  if (g.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `gradient has length ${g.length}, the parameters have ${n}`);
  if (check) {
    for (let i = 0; i < n; i++) {
      const v = g[i]!;
      if (v - v !== 0) throw new DescentError('NON_FINITE', where, `gradient[${i}] is ${v}`);
    }
  }
}

/** Euclidean norm with four accumulators. */
export function norm2(x: Float64Array, from = 0, to = x.length): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    s0 += x[i]! * x[i]!;
    s1 += x[i + 1]! * x[i + 1]!;
    s2 += x[i + 2]! * x[i + 2]!;
    s3 += x[i + 3]! * x[i + 3]!;
  }
  for (; i < to; i++) s0 += x[i]! * x[i]!;
  return Math.sqrt(s0 + s1 + (s2 + s3));
}

/** Reads an optional number from a config with a default and a predicate. */
export function numberParam(where: string, name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${String(v)}`);
  return v;
}

/** Reads an optional boolean from a config. */
export function booleanParam(where: string, name: string, value: boolean | undefined, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `${name} must be a boolean, got ${String(v)}`);
  return v;
}
