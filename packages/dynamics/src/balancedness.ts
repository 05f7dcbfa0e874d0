import { DescentError, type Matrix, matrix, assertDims, assertMatrix } from '@descent/linalg';
import { requireFinite, requireFiniteVector, requireInteger, requireNonNegative, requireStepSize, requireF64 } from './validate.js';

function splitUV(theta: Float64Array, where: string): number {
  requireF64(theta, where, 'theta');
  if (theta.length < 2 || theta.length % 2) throw new DescentError('SHAPE_MISMATCH', where, `theta must be (u, v) of even length, got ${theta.length}`);
  requireFiniteVector(theta, where, 'theta');
  return theta.length / 2;
}

/**
 * Balancedness of scalar–vector factorization, Bal(θ) = ‖u‖² − ‖v‖² (θ = (u, v)).
 *
 * @example
 * ```ts
 * balancedness(new Float64Array([2, 1]));
 * // 3
 * ```
 */
export function balancedness(theta: Float64Array): number {
  const d = splitUV(theta, 'balancedness');
  let b = 0;
  for (let i = 0; i < d; i++) b += theta[i]! * theta[i]! - theta[d + i]! * theta[d + i]!;
  return b;
}

/**
 * The exact one-step factor of balancedness under GD [RECON, spec §g]:
 * Bal(θ′) = ((1 − ηλ)² − η²r²)·Bal(θ) with r = uᵀv − y. So without ridge the drift per step is
 * −η²r²·Bal = O(η²), gradient flow conserves Bal, and |ηr| > √2 *increases* the imbalance.
 *
 * @example
 * ```ts
 * balancednessFactor(new Float64Array([2, 1]), 1, 0.1);
 * // 0.99
 * ```
 */
export function balancednessFactor(theta: Float64Array, y: number, eta: number, lambda = 0): number {
  const where = 'balancednessFactor';
  const d = splitUV(theta, where);
  requireFinite(y, where, 'y');
  requireStepSize(eta, where);
  requireNonNegative(lambda, where, 'lambda');
  let uv = 0;
  for (let i = 0; i < d; i++) uv += theta[i]! * theta[d + i]!;
  const r = uv - y;
  return (1 - eta * lambda) ** 2 - eta * eta * r * r;
}

/**
 * Matrix balancedness UᵀU − VᵀV (k×k) of θ = (U (m×k), V (n×k)) flattened row-major.
 *
 * @example
 * ```ts
 * balancednessMatrix(new Float64Array([2, 1]), 1, 1, 1).data;
 * // Float64Array [3]
 * ```
 */
export function balancednessMatrix(theta: Float64Array, m: number, n: number, k: number): Matrix {
  const where = 'balancednessMatrix';
  requireInteger(m, 1, where, 'm');
  requireInteger(n, 1, where, 'n');
  requireInteger(k, 1, where, 'k');
  requireF64(theta, where, 'theta');
  assertDims(k, k, where, 'the k×k result');
  if (theta.length !== (m + n) * k) throw new DescentError('SHAPE_MISMATCH', where, `theta has length ${theta.length}, expected (m+n)k = ${(m + n) * k}`);
  requireFiniteVector(theta, where, 'theta');
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += theta[i * k + a]! * theta[i * k + b]!;
      for (let j = 0; j < n; j++) s -= theta[m * k + j * k + a]! * theta[m * k + j * k + b]!;
      out[a * k + b] = s;
    }
  }
  return matrix(k, k, out);
}

/**
 * The exact next-step matrix balancedness of GD on ½‖UVᵀ − Y‖² + (λ/2)(‖U‖² + ‖V‖²)
 * [RECON, spec §g]: (1−ηλ)²(UᵀU − VᵀV) + η²(VᵀRᵀRV − UᵀRRᵀU) with R = UVᵀ − Y.
 *
 * @example
 * ```ts
 * predictedBalancednessMatrix(new Float64Array([2, 1]), fromRows([[1]]), 1, 0.1).data[0].toFixed(4);
 * // '2.9700'
 * ```
 */
export function predictedBalancednessMatrix(theta: Float64Array, Y: Matrix, k: number, eta: number, lambda = 0): Matrix {
  const where = 'predictedBalancednessMatrix';
  assertMatrix(Y, where, 'Y');
  const m = Y.rows;
  const n = Y.cols;
  requireStepSize(eta, where);
  requireNonNegative(lambda, where, 'lambda');
  const D = balancednessMatrix(theta, m, n, k);
  const vOff = m * k;
  const R = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += theta[i * k + l]! * theta[vOff + j * k + l]!;
      R[i * n + j] = s - Y.data[i * n + j]!;
    }
  }
  // RV (m×k) and RᵀU (n×k).
  const RV = new Float64Array(m * k);
  const RtU = new Float64Array(n * k);
  for (let i = 0; i < m; i++) for (let l = 0; l < k; l++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += R[i * n + j]! * theta[vOff + j * k + l]!;
    RV[i * k + l] = s;
  }
  for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += R[i * n + j]! * theta[i * k + l]!;
    RtU[j * k + l] = s;
  }
  const a2 = (1 - eta * lambda) ** 2;
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += RV[i * k + a]! * RV[i * k + b]!;
      for (let j = 0; j < n; j++) s -= RtU[j * k + a]! * RtU[j * k + b]!;
      out[a * k + b] = a2 * D.data[a * k + b]! + eta * eta * s;
    }
  }
  return matrix(k, k, out);
}
