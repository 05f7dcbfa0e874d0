import { DescentError, type Matrix } from '@descent/linalg';
import { assertCompiled } from './compiled-check.js';
import type { CompiledCircuit } from './compile.js';

/**
 * Throws unless `data` is a non-empty `rows × numVars` matrix whose entries fit the variables' domains
 * (discrete: an integer in `0..cardinality-1`; real: finite), skipping entries marked in `missing`
 * (a `rows × numVars` byte mask, 1 = marginalized). The error names the row and column.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * let code = '';
 * try { checkData(c, fromRows([[2]]), undefined, 'f'); } catch (e) { code = (e as DescentError).code; }
 * code;
 * // 'DOMAIN'
 * ```
 */
export function checkData(cc: CompiledCircuit, data: Matrix, missing: Uint8Array | undefined, where: string): void {
  assertCompiled(cc, where);
  if (data === null || typeof data !== 'object' || !(data.data instanceof Float64Array) || data.data.length !== data.rows * data.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, 'data must be a Matrix { rows, cols, data: Float64Array }');
  }
  checkNotEmpty(data, where);
  if (data.cols !== cc.numVars) throw new DescentError('SHAPE_MISMATCH', where, `data has ${data.cols} columns but the circuit has ${cc.numVars} variables`);
  if (missing !== undefined && (!(missing instanceof Uint8Array) || missing.length !== data.data.length)) {
    throw new DescentError('SHAPE_MISMATCH', where, `missing must be a Uint8Array of length rows × cols = ${data.data.length}`);
  }
  const n = cc.numVars;
  const x = data.data;
  for (let r = 0; r < data.rows; r++) {
    for (let v = 0; v < n; v++) {
      const i = r * n + v;
      if (missing !== undefined && missing[i] !== 0) continue;
      const val = x[i]!;
      const c = cc.cardinality[v]!;
      if (c === 0) {
        if (val - val !== 0) throw new DescentError('NON_FINITE', where, `row ${r}, column ${v}: value ${val}`);
      } else if (!(val >= 0 && val < c && Math.floor(val) === val)) {
        throw new DescentError(val - val !== 0 ? 'NON_FINITE' : 'DOMAIN', where, `row ${r}, column ${v}: value ${val} is outside the variable's domain {0..${c - 1}}`);
      }
    }
  }
}

/**
 * @internal Throws SHAPE_MISMATCH when `data` has no rows: every query and learner reduces over rows
 * (a mean, a flow count), and an empty batch has no meaningful value. O(1), so it runs even with
 * `check: false`.
 */
export function checkNotEmpty(data: Matrix, where: string): void {
  if (data === null || typeof data !== 'object') throw new DescentError('SHAPE_MISMATCH', where, 'data must be a Matrix { rows, cols, data: Float64Array }');
  if (!(data.rows >= 1)) throw new DescentError('SHAPE_MISMATCH', where, `data is empty (${data.rows}×${data.cols})`);
}
