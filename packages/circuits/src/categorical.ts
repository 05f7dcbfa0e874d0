import { DescentError, type Matrix } from '@descent/linalg';

/**
 * A categorical data set: a `rows × cols` matrix of small integers (row-major, as every query and
 * learner takes it) with the number of values of each column, `data[r·cols + v] ∈ {0, …,
 * cardinalities[v] − 1}`. It is a `Matrix`, so it goes wherever data goes; the structure learners
 * (`mutualInformation`, `chowLiuTree`, `hclt`, `hcltMixture`) read `cardinalities` from it.
 */
export interface CategoricalData extends Matrix {
  readonly cardinalities: Int32Array;
}

/**
 * Largest number of values of one column of a {@link CategoricalData}.
 *
 * @example
 * ```ts
 * MAX_CARDINALITY;
 * // 65536
 * ```
 */
export const MAX_CARDINALITY = 1 << 16;

/**
 * Builds a validated {@link CategoricalData} from rows of integers (or a `Matrix`), with the given
 * number of values per column, or, when omitted, `max + 1` of each column (at least 2). Values
 * outside `0..cardinality − 1` or not integers are a `DescentError` (`DOMAIN`, `NON_FINITE` for
 * NaN/±∞) naming the row and column.
 *
 * @example
 * ```ts
 * const d = categoricalData([[0, 2], [1, 0], [1, 1]]);
 * Array.from(d.cardinalities);
 * // [2, 3]
 * ```
 */
export function categoricalData(rows: readonly (readonly number[])[] | Matrix, cardinalities?: ArrayLike<number>): CategoricalData {
  const where = 'categoricalData';
  let m: Matrix;
  if (Array.isArray(rows)) {
    const r = rows.length;
    const c = r > 0 && Array.isArray(rows[0]) ? rows[0]!.length : 0;
    const x = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      const row = rows[i];
      if (!Array.isArray(row) || row.length !== c) throw new DescentError('SHAPE_MISMATCH', where, `row ${i} must be an array of ${c} numbers`);
      for (let v = 0; v < c; v++) x[i * c + v] = typeof row[v] === 'number' ? row[v]! : Number.NaN;
    }
    m = { rows: r, cols: c, data: x };
  } else {
    const g = rows as Matrix;
    if (g === null || typeof g !== 'object' || !(g.data instanceof Float64Array) || !Number.isInteger(g.rows) || !Number.isInteger(g.cols) || g.data.length !== g.rows * g.cols) {
      throw new DescentError('SHAPE_MISMATCH', where, 'rows must be an array of rows or a Matrix { rows, cols, data: Float64Array }');
    }
    m = { rows: g.rows, cols: g.cols, data: Float64Array.from(g.data) };
  }
  if (m.rows < 1 || m.cols < 1) throw new DescentError('SHAPE_MISMATCH', where, `data is empty (${m.rows}×${m.cols})`);
  const n = m.cols;
  const x = m.data;
  const cards = new Int32Array(n);
  if (cardinalities !== undefined) {
    if (cardinalities === null || typeof cardinalities !== 'object' || cardinalities.length !== n) {
      throw new DescentError('SHAPE_MISMATCH', where, `cardinalities must list ${n} numbers (one per column)`);
    }
    for (let v = 0; v < n; v++) {
      const k = cardinalities[v]!;
      if (!Number.isInteger(k) || k < 2 || k > MAX_CARDINALITY) throw new DescentError('INVALID_CONFIG', where, `cardinalities[${v}] = ${k} must be an integer from 2 to ${MAX_CARDINALITY}`);
      cards[v] = k;
    }
  }
  for (let i = 0; i < x.length; i++) {
    const val = x[i]!;
    const v = i % n;
    const limit = cardinalities !== undefined ? cards[v]! : MAX_CARDINALITY;
    if (!(val >= 0 && val < limit && Math.floor(val) === val)) {
      const r = (i - v) / n;
      throw new DescentError(val - val !== 0 ? 'NON_FINITE' : 'DOMAIN', where, `row ${r}, column ${v}: value ${val} is not an integer in {0..${limit - 1}}`);
    }
    if (cardinalities === undefined && val + 1 > cards[v]!) cards[v] = val + 1;
  }
  if (cardinalities === undefined) for (let v = 0; v < n; v++) if (cards[v]! < 2) cards[v] = 2;
  return { rows: m.rows, cols: n, data: x, cardinalities: cards };
}

/**
 * @internal The number of values of each column of discrete data: a {@link CategoricalData}'s
 * cardinalities (its values checked against them), or 2 for a plain matrix, which must then be 0/1.
 * Throws a DescentError naming `where`, the row and the column otherwise.
 */
export function discreteCardinalities(data: Matrix, where: string): Int32Array {
  if (data === null || typeof data !== 'object' || !(data.data instanceof Float64Array) || data.data.length !== data.rows * data.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, 'data must be a Matrix { rows, cols, data: Float64Array }');
  }
  if (data.rows < 1 || data.cols < 1) throw new DescentError('SHAPE_MISMATCH', where, `data is empty (${data.rows}×${data.cols})`);
  const given = (data as Partial<CategoricalData>).cardinalities;
  const n = data.cols;
  const cards = new Int32Array(n).fill(2);
  if (given !== undefined) {
    if (!(given instanceof Int32Array) || given.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `data.cardinalities must be an Int32Array of length ${n} (see categoricalData)`);
    for (let v = 0; v < n; v++) {
      if (!(given[v]! >= 2 && given[v]! <= MAX_CARDINALITY)) throw new DescentError('INVALID_CONFIG', where, `data.cardinalities[${v}] = ${given[v]} must be from 2 to ${MAX_CARDINALITY}`);
      cards[v] = given[v]!;
    }
  }
  const x = data.data;
  for (let i = 0; i < x.length; i++) {
    const val = x[i]!;
    const v = i % n;
    if (!(val >= 0 && val < cards[v]! && Math.floor(val) === val)) {
      const r = (i - v) / n;
      const what = given !== undefined ? `an integer in {0..${cards[v]! - 1}}` : 'binary (0/1; categorical data: see categoricalData)';
      throw new DescentError(val - val !== 0 ? 'NON_FINITE' : 'DOMAIN', where, `row ${r}, column ${v}: value ${val} is not ${what}`);
    }
  }
  return cards;
}
