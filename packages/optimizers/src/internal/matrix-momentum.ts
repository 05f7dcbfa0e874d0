import { DescentError } from '@descent/linalg';
import { choice, flag, param, unitInterval } from './checks.js';

/** Momentum settings shared by Muon and REG. */
export interface MatrixMomentum {
  readonly momentum: number;
  readonly momentumStyle: MomentumStyle;
  readonly nesterov: boolean;
}

/** Momentum conventions of Muon / REG: Keller Jordan's EMA, torch.optim.Muon's SGD, optax's debiased EMA. */
export type MomentumStyle = 'ema' | 'sgd' | 'ema-debiased';

export function resolveMomentum(where: string, o: { momentum?: number; momentumStyle?: MomentumStyle; nesterov?: boolean }): MatrixMomentum {
  return {
    momentum: param(where, 'momentum', o.momentum, 0.95, unitInterval, 'in [0, 1)'),
    momentumStyle: choice(where, 'momentumStyle', o.momentumStyle, 'ema', ['ema', 'sgd', 'ema-debiased']),
    nesterov: flag(where, 'nesterov', o.nesterov, true),
  };
}

/**
 * Updates the momentum buffer and forms the matrix to orthogonalise/balance, U, at step t (1-based):
 *   'ema' (Keller Jordan's muon.py): b ← βb + (1−β)g; U = nesterov ? (1−β)g + βb : b.
 *   'sgd' (torch.optim.Muon):        b ← βb + g;       U = nesterov ? g + βb : b.
 *   'ema-debiased' (optax.contrib.muon): b ← βb + (1−β)g;
 *        U = nesterov ? β·b/(1−β^{t+1}) + (1−β)·g/(1−βᵗ) : b/(1−βᵗ).
 * Reads g and buf; writes bufOut and U (which must not alias g or buf).
 */
export function momentumInto(m: MatrixMomentum, g: Float64Array, buf: Float64Array, bufOut: Float64Array, U: Float64Array, t: number): void {
  const beta = m.momentum;
  if (m.momentumStyle === 'ema-debiased') {
    const c = 1 - beta;
    const n = g.length;
    const bcNext = 1 - beta ** (t + 1);
    const bc = 1 - beta ** t;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const b = beta * buf[i]! + c * gi;
      bufOut[i] = b;
      U[i] = m.nesterov ? beta * (b / bcNext) + c * (gi / bc) : b / bc;
    }
    return;
  }
  const c = m.momentumStyle === 'ema' ? 1 - beta : 1;
  const n = g.length;
  if (m.nesterov) {
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const b = beta * buf[i]! + c * gi;
      bufOut[i] = b;
      U[i] = c * gi + beta * b;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const b = beta * buf[i]! + c * g[i]!;
      bufOut[i] = b;
      U[i] = b;
    }
  }
}

/**
 * The matrix view (rows, cols) of a block of two or more dimensions: [out, in, kh, kw] is viewed as
 * out × (in·kh·kw), as Muon does for convolutions. Vectors and scalars are a SHAPE_MISMATCH.
 */
export function matrixShape(where: string, shape: readonly number[]): [number, number] {
  if (shape.length < 2) {
    throw new DescentError('SHAPE_MISMATCH', where, `${where} acts on matrix blocks (2 or more dimensions), got shape [${shape.join(', ')}] (route vectors and scalars to another transform, e.g. AdamW)`);
  }
  let cols = 1;
  for (let k = 1; k < shape.length; k++) cols *= shape[k]!;
  return [shape[0]!, cols];
}

/** A growable scratch buffer (reused across steps; never part of any state). */
export class Scratch {
  private buf = new Float64Array(0);
  get(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf.length === n ? this.buf : this.buf.subarray(0, n);
  }
}

/**
 * Throws `NON_FINITE` when the matrix to orthogonalise/balance is not finite: a momentum buffer or
 * Nesterov mix that overflowed (one gradient entry near the largest double is enough). Without this
 * the SVD reports non-convergence and Newton–Schulz returns NaN.
 */
export function checkMomentumFinite(where: string, U: Float64Array): void {
  let acc = 0;
  for (let i = 0; i < U.length; i++) acc += U[i]! - U[i]!;
  if (acc !== 0) {
    let i = 0;
    while (U[i]! - U[i]! === 0) i++;
    throw new DescentError('NON_FINITE', where, `the momentum update overflowed at entry ${i} (gradient or momentum too large for a finite step)`);
  }
}
