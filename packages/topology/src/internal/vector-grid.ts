import { DescentError } from '@descent/linalg';
import type { Diagram } from '../diagram.js';

/** numpy.linspace(a, b, num): a + i·(b − a)/(num − 1), the last point exactly b. */
export function linspace(a: number, b: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = a;
    return out;
  }
  const step = (b - a) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + a;
  out[num - 1] = b;
  return out;
}

/** Validates a diagram for vectorisation: finite bars only (essential bars have no tent or pixel). */
export function finiteBars(d: Diagram, where: string): void {
  if (!d || !(d.birth instanceof Float64Array) || !(d.death instanceof Float64Array) || d.birth.length !== d.death.length) {
    throw new DescentError('SHAPE_MISMATCH', where, 'the diagram needs Float64Array birth and death of equal length');
  }
  for (let i = 0; i < d.birth.length; i++) {
    const b = d.birth[i]!;
    const e = d.death[i]!;
    if (Number.isNaN(b) || Number.isNaN(e)) throw new DescentError('NON_FINITE', where, `bar ${i} is [${b}, ${e})`);
    if (!Number.isFinite(b) || !Number.isFinite(e)) {
      throw new DescentError('DOMAIN', where, `bar ${i} is [${b}, ${e}): essential bars have no finite vectorisation; drop them first (e.g. with filterDiagram or a threshold)`);
    }
    if (e < b) throw new DescentError('DOMAIN', where, `bar ${i} dies before it is born: [${b}, ${e})`);
  }
}

export function positiveInt(x: number | undefined, dflt: number, name: string, where: string): number {
  const v = x ?? dflt;
  if (!Number.isSafeInteger(v) || v < 1) throw new DescentError('INVALID_CONFIG', where, `${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * GUDHI's sample grid for landscapes and silhouettes: `range` given ⇒ linspace(range, resolution);
 * otherwise [min birth, max death] with resolution + 2 points and the two end points (where every tent
 * is 0) dropped, unless `keepEndpoints`.
 */
export function sampleGrid(d: Diagram, resolution: number, range: readonly [number, number] | undefined, keepEndpoints: boolean, where: string): Float64Array {
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || !(range[0] <= range[1])) {
      throw new DescentError('INVALID_CONFIG', where, `range must be [min, max] with finite min ≤ max, got ${String(range)}`);
    }
    return linspace(range[0], range[1], resolution);
  }
  if (d.birth.length === 0) throw new DescentError('INVALID_CONFIG', where, 'an empty diagram needs an explicit range');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.birth.length; i++) {
    if (d.birth[i]! < lo) lo = d.birth[i]!;
    if (d.death[i]! > hi) hi = d.death[i]!;
  }
  if (keepEndpoints) return linspace(lo, hi, resolution);
  return linspace(lo, hi, resolution + 2).slice(1, resolution + 1);
}

/** The tent of bar [b, d) at t: max(0, (d − b)/2 − |t − (b + d)/2|), written as GUDHI computes it. */
export function tent(b: number, d: number, t: number): number {
  const h = (d - b) / 2 - Math.abs(t - (b + d) / 2);
  return h > 0 ? h : 0;
}
