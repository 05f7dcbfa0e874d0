import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import type { Distortion } from './distortion.js';

/** Which SA form a grid serves. */
export type SaForm = 'qf' | 'dm' | 'hybrid' | 'batching';

/** How atoms (jumps of g) enter the DM part: at the midpoint of the cell that holds them (code), or at their own level [RECON]. */
export type AtomNodes = 'cell' | 'exact';

/** How the two tail cells [0, z_1] and [z_{M+1}, 1] are handled. */
export type TailRule = 'cvar' | 'extrapolate';

/**
 * The level grid and weights of the SA optimizers, as plain data.
 * - `z` (M+1): cell edges i/(M+2), i = 1..M+1, warped by u ↦ u^pow; `zbar` (M): midpoints, warped after.
 * - `a` (M): QF weights g̃'(z̄_i) (0 on DM-marked cells).
 * - `nodeLevels`, `nodeWeights` (J): the levels whose quantile gradients are tracked (DM part) and
 *   their weights (b_i = g̃(z_{i+1}) − g̃(z_i) for cells, the jump mass for exact atom nodes).
 * - `sTop`, `sBot`: mean distortion density of the two tail cells (tail rule `'cvar'`).
 * - `nodesAreCells`: the first M DM nodes are the M midpoints (allows the code's extrapolation of D).
 */
export interface QuantileGrid {
  readonly M: number;
  readonly z: Float64Array;
  readonly zbar: Float64Array;
  readonly a: Float64Array;
  readonly nodeLevels: Float64Array;
  readonly nodeWeights: Float64Array;
  readonly sTop: number;
  readonly sBot: number;
  readonly nodesAreCells: boolean;
}

/**
 * The most interior cells M a level grid may have: a larger M is `INVALID_CONFIG` before anything is
 * allocated (each cell costs several arrays' entries and distortion calls per grid and per SA step).
 *
 * @example
 * ```ts
 * MAX_GRID_CELLS;
 * // 10000000
 * ```
 */
export const MAX_GRID_CELLS = 1e7;

/** Options of {@link quantileGrid}. */
export interface GridOptions {
  /** Number of interior cells M, 2 ≤ M ≤ {@link MAX_GRID_CELLS} (code: 100). */
  M?: number;
  /** Warp exponent p > 0 of the levels (code `grid_pow`, 0.5 for Wang); default 1. */
  gridPow?: number;
  /** Atom handling for DM/hybrid; default `'cell'` (code). */
  atomNodes?: AtomNodes;
}

/**
 * Builds the level grid and weights of a form for a distortion [CODE: robust_portfolio/main.py].
 * Throws INVALID_CONFIG when the QF or batching form meets a distortion with jumps, when an atom
 * falls in a tail cell with `atomNodes: 'cell'`, and for M above {@link MAX_GRID_CELLS} (before
 * anything is allocated); NON_FINITE when the distortion's values are not finite on the grid.
 *
 * @example
 * ```ts
 * quantileGrid(expectedShortfall(0.9), 'qf', { M: 8 }).z.length;
 * // 9
 * ```
 */
export function quantileGrid(d: Distortion, form: SaForm, options: GridOptions = {}): QuantileGrid {
  return buildQuantileGrid(d, form, options, 'quantileGrid');
}

/** {@link quantileGrid} with its errors reported under `where` (the public function that was called). */
export function buildQuantileGrid(d: Distortion, form: SaForm, options: GridOptions, where: string): QuantileGrid {
  assertDistortion(d, where);
  if (!(['qf', 'dm', 'hybrid', 'batching'] as unknown[]).includes(form)) throw new DescentError('INVALID_CONFIG', where, `form must be qf | dm | hybrid | batching, got ${String(form)}`);
  assertKnownKeys(options, configKeys<GridOptions>()('M', 'gridPow', 'atomNodes'), where, 'options');
  const M = options.M ?? 100;
  const pow = options.gridPow ?? 1;
  const atomNodes = options.atomNodes ?? 'cell';
  if (typeof M !== 'number' || !Number.isInteger(M) || M < 2) throw new DescentError('INVALID_CONFIG', where, `M must be an integer >= 2, got ${String(M)}`);
  if (M > MAX_GRID_CELLS) throw new DescentError('INVALID_CONFIG', where, `M = ${M} is above the limit of ${MAX_GRID_CELLS} cells`);
  if (typeof pow !== 'number' || !(pow > 0) || !Number.isFinite(pow)) throw new DescentError('INVALID_CONFIG', where, `gridPow must be a finite number > 0, got ${String(pow)}`);
  if (atomNodes !== 'cell' && atomNodes !== 'exact') throw new DescentError('INVALID_CONFIG', where, `atomNodes must be cell | exact, got ${String(atomNodes)}`);
  if ((form === 'qf' || form === 'batching') && d.jumps.length > 0) {
    throw new DescentError('INVALID_CONFIG', where, `QF-form requires a continuous distortion; ${d.name} has jumps: use dm or hybrid`);
  }
  const z = new Float64Array(M + 1);
  const zbar = new Float64Array(M);
  for (let i = 0; i <= M; i++) z[i] = (i + 1) / (M + 2);
  for (let i = 0; i < M; i++) zbar[i] = Math.pow(0.5 * (z[i]! + z[i + 1]!), pow);
  if (pow !== 1) for (let i = 0; i <= M; i++) z[i] = Math.pow(z[i]!, pow);

  const exact = atomNodes === 'exact' && form !== 'qf' && form !== 'batching';
  if (!exact) {
    for (const j of d.jumps) {
      if (j.u <= z[0]! || j.u > z[M]!) {
        throw new DescentError('INVALID_CONFIG', where, `the jump of ${d.name} at level ${j.u} lies in a tail cell (outside (${z[0]}, ${z[M]}]); use atomNodes 'exact' or a finer grid`);
      }
    }
  }
  // Cell i (0-based) holds the atoms with z_i < u ≤ z_{i+1}, consistent with b_i = g̃(z_{i+1}) − g̃(z_i).
  const marked = new Uint8Array(M);
  if (form === 'dm') marked.fill(1);
  else if (form === 'hybrid' && !exact) {
    for (const j of d.jumps) {
      let i = 0;
      while (i < M - 1 && !(j.u <= z[i + 1]!)) i++;
      marked[i] = 1;
    }
  }
  const a = new Float64Array(M);
  const levels: number[] = [];
  const weights: number[] = [];
  // With exact atom nodes every cell weight is the continuous part; atoms get their own nodes.
  const gt = exact ? (u: number) => d.gTildeContinuous(u) : (u: number) => d.gTilde(u);
  for (let i = 0; i < M; i++) {
    if (marked[i]) {
      levels.push(zbar[i]!);
      weights.push(gt(z[i + 1]!) - gt(z[i]!));
    } else {
      const v = d.gTildePrime(zbar[i]!);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DescentError('NON_FINITE', where, `g̃'(${zbar[i]}) of ${d.name} is ${v}`);
      a[i] = v;
    }
  }
  if (exact) {
    for (const j of d.jumps) {
      levels.push(j.u);
      weights.push(j.mass);
    }
  }
  const gc = (u: number) => d.gTildeContinuous(u);
  const sTop = (gc(1) - gc(z[M]!)) / (1 - z[M]!);
  const sBot = (gc(z[0]!) - gc(0)) / z[0]!;
  for (let j = 0; j < weights.length; j++) {
    if (typeof weights[j] !== 'number' || !Number.isFinite(weights[j])) throw new DescentError('NON_FINITE', where, `the weight of DM node ${j} (level ${levels[j]}) of ${d.name} is ${weights[j]}`);
  }
  if (typeof sTop !== 'number' || !Number.isFinite(sTop) || typeof sBot !== 'number' || !Number.isFinite(sBot)) {
    throw new DescentError('NON_FINITE', where, `the tail slopes of ${d.name} are ${sTop} (top) and ${sBot} (bottom)`);
  }
  return {
    M,
    z,
    zbar,
    a,
    nodeLevels: Float64Array.from(levels),
    nodeWeights: Float64Array.from(weights),
    sTop,
    sBot,
    nodesAreCells: form === 'dm',
  };
}
