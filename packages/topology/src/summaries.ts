import { describeValue, assertKnownKeys, DescentError } from '@descent/linalg';
import { assertDiagram, type Diagram } from './diagram.js';

function lengths(d: Diagram, infinite: 'drop' | number | undefined, where: string): number[] {
  const out: number[] = [];
  const inf = infinite ?? 'drop';
  if (inf !== 'drop' && (typeof inf !== 'number' || Number.isNaN(inf))) {
    throw new DescentError('INVALID_CONFIG', where, `infinite must be 'drop' or a cap value, got ${String(inf)}`);
  }
  for (let i = 0; i < d.birth.length; i++) {
    const b = d.birth[i]!;
    let e = d.death[i]!;
    if (b === -Infinity) {
      if (inf === 'drop') continue;
      throw new DescentError('DOMAIN', where, `bar ${i} is born at −∞`);
    }
    if (e === Infinity) {
      if (inf === 'drop') continue;
      e = inf;
      if (e < b) throw new DescentError('DOMAIN', where, `cap ${inf} is below the birth ${b} of essential bar ${i}`);
    }
    out.push(e - b);
  }
  return out;
}

/**
 * Total persistence Pers_q(D) = Σ (d − b)^q over finite bars (default q = 1). `infinite: cap` replaces
 * +∞ deaths by `cap` (e.g. a loss slice's maximum); the default drops essential bars.
 *
 * @example
 * ```ts
 * totalPersistence(diagram([[0, 1], [1, 3], [0, Infinity]]));
 * // 3
 * ```
 */
export function totalPersistence(d: Diagram, o: { power?: number; infinite?: 'drop' | number } = {}): number {
  assertKnownKeys(o, ['power', 'infinite'], 'totalPersistence', 'options');
  assertDiagram(d, 'totalPersistence', 'd');
  const q = o.power ?? 1;
  if (!(q > 0) || !Number.isFinite(q)) throw new DescentError('INVALID_CONFIG', 'totalPersistence', `power must be a positive number, got ${String(q)}`);
  let s = 0;
  for (const l of lengths(d, o.infinite, 'totalPersistence')) s += l ** q;
  return s;
}

/**
 * Persistence entropy E = −Σ p_i ln p_i with p_i = ℓ_i / Σℓ (natural log; 0·ln 0 = 0). Essential bars
 * are dropped by default or capped with `infinite`. `normalize` divides by ln(#bars). Empty or all-zero
 * diagrams give 0.
 *
 * @example
 * ```ts
 * persistenceEntropy(diagram([[0, 1], [0, 1]]));
 * // 0.6931471805599453
 * ```
 */
export function persistenceEntropy(d: Diagram, o: { normalize?: boolean; infinite?: 'drop' | number } = {}): number {
  assertKnownKeys(o, ['normalize', 'infinite'], 'persistenceEntropy', 'options');
  assertDiagram(d, 'persistenceEntropy', 'd');
  const ls = lengths(d, o.infinite, 'persistenceEntropy');
  let total = 0;
  for (const l of ls) total += l;
  if (total === 0) return 0;
  let e = 0;
  for (const l of ls) {
    if (l > 0) {
      const p = l / total;
      e -= p * Math.log(p);
    }
  }
  if (o.normalize) {
    const m = ls.length;
    return m > 1 ? e / Math.log(m) : 0;
  }
  return e;
}

/**
 * Betti number at scale r: #{bars with b ≤ r < d} (intervals are half-open).
 *
 * @example
 * ```ts
 * bettiAt(diagram([[0, 1], [0, Infinity]]), 1);
 * // 1
 * ```
 */
export function bettiAt(d: Diagram, r: number): number {
  assertDiagram(d, 'bettiAt', 'd');
  if (typeof r !== 'number' || Number.isNaN(r)) throw new DescentError('INVALID_CONFIG', 'bettiAt', `r must be a number, got ${describeValue(r)}`);
  return countAlive(d, r);
}

function countAlive(d: Diagram, r: number): number {
  let c = 0;
  for (let i = 0; i < d.birth.length; i++) if (d.birth[i]! <= r && r < d.death[i]!) c++;
  return c;
}

/**
 * The Betti curve r ↦ β(r) sampled at each value of `rs`.
 *
 * @example
 * ```ts
 * Array.from(bettiCurve(diagram([[0, 1], [0.5, 2]]), new Float64Array([0, 0.75, 1.5])));
 * // [1, 2, 1]
 * ```
 */
export function bettiCurve(d: Diagram, rs: Float64Array): Int32Array {
  assertDiagram(d, 'bettiCurve', 'd');
  if (!(rs instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', 'bettiCurve', `rs must be a Float64Array, got ${describeValue(rs)}`);
  for (let k = 0; k < rs.length; k++) if (Number.isNaN(rs[k]!)) throw new DescentError('NON_FINITE', 'bettiCurve', `rs[${k}] is NaN`);
  const out = new Int32Array(rs.length);
  for (let k = 0; k < rs.length; k++) out[k] = countAlive(d, rs[k]!);
  return out;
}
