import { assertKnownKeys, configKeys, DescentError, type Matrix, assertMatrix, matrix, svd, assertSize } from '@descent/linalg';
import type { Objective } from './objective.js';
import { scalarVectorCriticalStepSize } from './criticalStepSize.js';
import { requireFiniteVector, requireInteger, requireNonNegative, requireF64 } from './validate.js';

/** Parameters of general matrix factorization. */
export interface MatrixFactorizationConfig {
  /** Target Y, m×n. */
  readonly Y: Matrix;
  /** Inner dimension k ≥ 1 (U is m×k, V is n×k). */
  readonly k: number;
  /** Ridge weight λ ≥ 0 (default 0). */
  readonly lambda?: number;
}

/**
 * Global minimum of ½‖UVᵀ − Y‖_F² + (λ/2)(‖U‖_F² + ‖V‖_F²) over rank-k factors: each of the top k
 * singular values σ contributes λσ − λ²/2 if σ > λ, else σ²/2; the rest contribute σ²/2 (the
 * ridge turns into a nuclear-norm penalty, whose minimizer soft-thresholds the singular values).
 *
 * @example
 * ```ts
 * matrixFactorizationMinLoss(fromRows([[2, 0], [0, 1]]), 1, 0);
 * // 0.5
 * ```
 */
export function matrixFactorizationMinLoss(Y: Matrix, k: number, lambda = 0): number {
  assertMatrix(Y, 'matrixFactorizationMinLoss', 'Y');
  requireNonNegative(lambda, 'matrixFactorizationMinLoss', 'lambda');
  const s = svd(Y).s;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const sig = s[i]!;
    if (i < k && sig > lambda) total += lambda * sig - (lambda * lambda) / 2;
    else total += (sig * sig) / 2;
  }
  return total;
}

/**
 * General matrix factorization L(U, V) = ½‖UVᵀ − Y‖_F² + (λ/2)(‖U‖_F² + ‖V‖_F²) with θ = (U, V)
 * flattened row-major, U (m×k) first. Gradient (RV + λU, RᵀU + λV) with R = UVᵀ − Y; exact HVP
 * H(A, B) = (dR V + R B + λA, dRᵀ U + Rᵀ A + λB) with dR = AVᵀ + UBᵀ. Keeps private scratch
 * buffers (R, dR), so calls are not re-entrant.
 *
 * @example
 * ```ts
 * const f = matrixFactorizationObjective({ Y: fromRows([[2]]), k: 1 });
 * f.loss(new Float64Array([1, 2]));
 * // 0
 * ```
 */
export function matrixFactorizationObjective(cfg: MatrixFactorizationConfig): Objective {
  const where = 'matrixFactorizationObjective';
  assertKnownKeys(cfg, configKeys<MatrixFactorizationConfig>()('Y', 'k', 'lambda'), where);
  assertMatrix(cfg.Y, where, 'Y');
  const k = requireInteger(cfg.k, 1, where, 'k');
  const lam = requireNonNegative(cfg.lambda ?? 0, where, 'lambda');
  const m = cfg.Y.rows;
  const n = cfg.Y.cols;
  const Y = Float64Array.from(cfg.Y.data);
  const minLoss = matrixFactorizationMinLoss(cfg.Y, k, lam);
  const R = new Float64Array(m * n);
  const dR = new Float64Array(m * n);
  const vOff = m * k;
  // R = U Vᵀ − Y, row-major m×n.
  const residualInto = (t: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += t[i * k + l]! * t[vOff + j * k + l]!;
        out[i * n + j] = s - Y[i * n + j]!;
      }
    }
  };
  return {
    name: 'matrixFactorization',
    dim: (m + n) * k,
    minLoss,
    loss(t) {
      residualInto(t, R);
      let rr = 0;
      for (let q = 0; q < m * n; q++) rr += R[q]! * R[q]!;
      let ww = 0;
      for (let q = 0; q < (m + n) * k; q++) ww += t[q]! * t[q]!;
      return 0.5 * rr + 0.5 * lam * ww;
    },
    gradInto(t, out) {
      residualInto(t, R);
      for (let i = 0; i < m; i++) {
        for (let l = 0; l < k; l++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += R[i * n + j]! * t[vOff + j * k + l]!;
          out[i * k + l] = s + lam * t[i * k + l]!;
        }
      }
      for (let j = 0; j < n; j++) {
        for (let l = 0; l < k; l++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += R[i * n + j]! * t[i * k + l]!;
          out[vOff + j * k + l] = s + lam * t[vOff + j * k + l]!;
        }
      }
      return out;
    },
    hvpInto(t, vec, out) {
      residualInto(t, R);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += vec[i * k + l]! * t[vOff + j * k + l]! + t[i * k + l]! * vec[vOff + j * k + l]!;
          dR[i * n + j] = s;
        }
      }
      for (let i = 0; i < m; i++) {
        for (let l = 0; l < k; l++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += dR[i * n + j]! * t[vOff + j * k + l]! + R[i * n + j]! * vec[vOff + j * k + l]!;
          out[i * k + l] = s + lam * vec[i * k + l]!;
        }
      }
      for (let j = 0; j < n; j++) {
        for (let l = 0; l < k; l++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += dR[i * n + j]! * t[i * k + l]! + R[i * n + j]! * vec[i * k + l]!;
          out[vOff + j * k + l] = s + lam * vec[vOff + j * k + l]!;
        }
      }
      return out;
    },
  };
}

/**
 * The aligned ("orthogonal") initialization of the paper's matrix case [RECON, spec §a.3]: with
 * Y = A Σ Bᵀ, U₀ = A_{:,1:k} diag(α) Oᵀ and V₀ = B_{:,1:k} diag(β) Oᵀ for an orthogonal k×k O
 * (identity by default). Under GD each pair (α_i, β_i) then follows the d = 1 scalar–vector map with
 * target σ_i (0 beyond the rank), independently of the others. Returns θ = (U₀, V₀) flattened and the
 * mode targets σ_1..σ_k.
 *
 * @example
 * ```ts
 * const init = alignedInit(fromRows([[2, 0], [0, 1]]), 2, new Float64Array([1, 1]), new Float64Array([1, 1]));
 * init.sigma;
 * // Float64Array [2, 1]
 * ```
 */
export function alignedInit(
  Y: Matrix,
  k: number,
  alpha: Float64Array,
  beta: Float64Array,
  O?: Matrix,
): { theta: Float64Array; sigma: Float64Array } {
  const where = 'alignedInit';
  assertMatrix(Y, where, 'Y');
  requireInteger(k, 1, where, 'k');
  requireF64(alpha, where, 'alpha');
  requireF64(beta, where, 'beta');
  if (alpha.length !== k || beta.length !== k) {
    throw new DescentError('SHAPE_MISMATCH', where, `alpha and beta must have length k = ${k}, got ${alpha.length} and ${beta.length}`);
  }
  requireFiniteVector(alpha, where, 'alpha');
  requireFiniteVector(beta, where, 'beta');
  const m = Y.rows;
  const n = Y.cols;
  if (k > Math.min(m, n)) {
    throw new DescentError('INVALID_CONFIG', where, `k = ${k} exceeds min(m, n) = ${Math.min(m, n)}: the aligned modes need k singular vectors`);
  }
  const o = O ?? matrix(k, k, Float64Array.from({ length: k * k }, (_, q) => (q % (k + 1) === 0 ? 1 : 0)));
  assertMatrix(o, where, 'O');
  if (o.rows !== k || o.cols !== k) throw new DescentError('SHAPE_MISMATCH', where, `O is ${o.rows}×${o.cols}, expected ${k}×${k}`);
  const { u, s, v } = svd(Y);
  const r = s.length;
  const theta = new Float64Array((m + n) * k);
  // U = A diag(α) Oᵀ: U[i, l] = Σ_c A[i, c] α_c O[l, c].
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < k; l++) {
      let acc = 0;
      for (let c = 0; c < k; c++) acc += u.data[i * r + c]! * alpha[c]! * o.data[l * k + c]!;
      theta[i * k + l] = acc;
    }
  }
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < k; l++) {
      let acc = 0;
      for (let c = 0; c < k; c++) acc += v.data[j * r + c]! * beta[c]! * o.data[l * k + c]!;
      theta[m * k + j * k + l] = acc;
    }
  }
  return { theta, sigma: Float64Array.from(s.subarray(0, k)) };
}

/**
 * Critical step size of matrix factorization under aligned initialization: the modes decouple into
 * d = 1 scalar problems with targets σ_i, so η* = min over the k modes of their scalar critical step
 * size, 1/σ₁(Y) without ridge. [RECON from the decoupling, spec §b.1; bisection gives 0.49984 for σ₁ = 2]
 *
 * @example
 * ```ts
 * matrixFactorizationCriticalStepSize(fromRows([[2, 0], [0, 1]]), 2);
 * // 0.5
 * ```
 */
export function matrixFactorizationCriticalStepSize(Y: Matrix, k: number, lambda = 0): number {
  assertMatrix(Y, 'matrixFactorizationCriticalStepSize', 'Y');
  requireInteger(k, 1, 'matrixFactorizationCriticalStepSize', 'k');
  // k factors beyond min(m, n) see zero singular values: the loop below is O(k), bounded like a size.
  assertSize(k, 'matrixFactorizationCriticalStepSize', 'k');
  const s = svd(Y).s;
  let eta = Infinity;
  for (let i = 0; i < k; i++) eta = Math.min(eta, scalarVectorCriticalStepSize(i < s.length ? s[i]! : 0, { lambda }));
  return eta;
}
