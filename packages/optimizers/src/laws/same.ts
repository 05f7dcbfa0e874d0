/**
 * Bit-level equality of two plain-data values (numbers by `Object.is`, so −0 ≠ +0 and NaN = NaN;
 * typed arrays element by element; objects and arrays recursively). Returns a path to the first
 * difference, or `undefined` when they are identical.
 *
 * @example
 * ```ts
 * import { firstDifference } from '@descent/optimizers/laws';
 * firstDifference({ x: new Float64Array([1, 2]) }, { x: new Float64Array([1, 3]) });
 * // 'x[1]'
 * ```
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? undefined : path || '(value)';
  if (a === b) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return path || '(value)';
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return path || '(value)';
    const x = a as unknown as ArrayLike<number>, y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return `${path}.length`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${path}[${i}]`;
    return undefined;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return path || '(value)';
  const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path}{keys}`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (d !== undefined) return d;
  }
  return undefined;
}
