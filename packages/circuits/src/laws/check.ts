import { foldIn, key, uniform, type Matrix } from '@descent/linalg';
import type { CompiledCircuit } from '../compile.js';
import { logLikelihood } from '../queries.js';
import { allStates } from './arbitrary.js';

/** @internal Throws a readable error unless |a - b| <= tol. */
export function assertClose(a: number, b: number, tol: number, what: string): void {
  if (!(Math.abs(a - b) <= tol)) throw new Error(`${what}: ${a} vs ${b} (|diff| = ${Math.abs(a - b)} > ${tol})`);
}

/** @internal Throws unless cond. */
export function assertThat(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

/** @internal A random rows × n missing mask (each entry with probability 1/2) from a seed. */
export function randomMask(rows: number, n: number, seed: number): Uint8Array {
  const u = uniform(foldIn(key(seed), 11), rows * n);
  const m = new Uint8Array(rows * n);
  for (let i = 0; i < m.length; i++) m[i] = u[i]! < 0.5 ? 1 : 0;
  return m;
}

/** @internal Brute-force joint table: log p(x) for every state of allStates(cc). */
export function jointTable(cc: CompiledCircuit, params: Float64Array): { states: Matrix; logp: Float64Array } {
  const states = allStates(cc);
  return { states, logp: logLikelihood(cc, params, states, { check: false }) };
}

/** @internal Brute-force p(e) of row r of data under a mask by summing the joint table. */
export function bruteMarginal(table: { states: Matrix; logp: Float64Array }, data: Matrix, missing: Uint8Array | undefined, r: number): number {
  const n = data.cols;
  let s = 0;
  for (let i = 0; i < table.states.rows; i++) {
    let ok = true;
    for (let v = 0; v < n && ok; v++) {
      if (missing !== undefined && missing[r * n + v]) continue;
      if (table.states.data[i * n + v] !== data.data[r * n + v]) ok = false;
    }
    if (ok) s += Math.exp(table.logp[i]!);
  }
  return s;
}
