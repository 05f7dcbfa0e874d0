import { DescentError } from '@descent/linalg';

// Boundary checks shared by every method in this package. They run before any output buffer is
// written, so a rejected observation never leaves a half-updated state behind.

/** Throws unless `g` is a Float64Array of length `n` (always) with finite entries (when `check`). */
export function checkGrad(where: string, g: Float64Array, n: number, check: boolean, what = 'gradient'): void {
  if (!(g instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array`);
  }
  if (g.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${g.length}, the parameters have ${n}`);
  }
  if (check) {
    for (let i = 0; i < n; i++) {
      const v = g[i]!;
      if (v - v !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${v}`);
    }
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `state` is an object whose `x` is a Float64Array and whose named
 * buffers are Float64Arrays of the given lengths (O(1)): a state built or edited by hand, or parsed
 * from JSON, is rejected before a step reads past its buffers and returns NaN.
 */
export function checkBuffers(where: string, state: unknown, lengths: Readonly<Record<string, number>>): void {
  if (state === null || typeof state !== 'object' || !((state as { x?: unknown }).x instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, 'the state must be an object with a Float64Array x');
  }
  for (const name of Object.keys(lengths)) {
    const b = (state as Record<string, unknown>)[name];
    if (!(b instanceof Float64Array) || b.length !== lengths[name]) {
      throw new DescentError('SHAPE_MISMATCH', where, `state.${name} must be a Float64Array of length ${lengths[name]}, got ${b instanceof Float64Array ? `length ${b.length}` : typeof b}`);
    }
  }
}

/** Throws `NON_FINITE` unless `value` is a finite number. */
export function checkValue(where: string, value: number, what = 'loss value'): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DescentError('NON_FINITE', where, `${what} is ${String(value)}`);
  }
}

/** Throws `INVALID_CONFIG` unless `x0` is a non-empty Float64Array with finite entries. */
export function checkX0(where: string, x0: Float64Array): void {
  if (!(x0 instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', where, 'x0 must be a Float64Array');
  if (x0.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x0 is empty');
  for (let i = 0; i < x0.length; i++) {
    const v = x0[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `x0[${i}] is ${v}`);
  }
}

/** Throws `SHAPE_MISMATCH` when `out` cannot receive a step of `state` (wrong sizes or shared buffers). */
export function checkOut(where: string, state: { x: Float64Array }, out: { x: Float64Array }): void {
  if (out === state || out.x === state.x) {
    throw new DescentError('INVALID_CONFIG', where, 'stepInto: out must not be (or share buffers with) state');
  }
  if (out.x.length !== state.x.length) {
    throw new DescentError('SHAPE_MISMATCH', where, `stepInto: out.x has length ${out.x.length}, state.x has ${state.x.length}`);
  }
}

/** Reads an optional number from a config, with a default and a validity predicate. */
export function param(where: string, name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) {
    throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${String(v)}`);
  }
  return v;
}

/** Reads an optional boolean from a config. */
export function flag(where: string, name: string, value: boolean | undefined, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `${name} must be a boolean, got ${String(v)}`);
  return v;
}

/** Reads an optional string option from a fixed set. */
export function choice<T extends string>(where: string, name: string, value: T | undefined, fallback: T, allowed: readonly T[]): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) {
    throw new DescentError('INVALID_CONFIG', where, `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(v)}`);
  }
  return v;
}

export const finite = (v: number): boolean => Number.isFinite(v);
export const nonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;
export const positive = (v: number): boolean => Number.isFinite(v) && v > 0;
export const unitInterval = (v: number): boolean => v >= 0 && v < 1;
export const positiveInteger = (v: number): boolean => Number.isInteger(v) && v > 0;
export const nonNegativeInteger = (v: number): boolean => Number.isInteger(v) && v >= 0;
