import type { Matrix } from '../matrix.js';

// The JavaScript fallback of gemm, for engines without WebAssembly SIMD. The same order of operations as
// the WebAssembly kernel (each C element summed in increasing k, one multiply and one add per term), so
// both give identical bits: a 4×4 tile of the padded sums lives in 16 locals while k runs over packed
// panels of A (4 rows, k-major) and B (4 columns, k-major); packing absorbs the transposes.
const MR = 4;
const NR = 4;
const KC = 256;

let packA = new Float64Array(0);
let packB = new Float64Array(0);

function packPanelsA(a: Matrix, transA: boolean, m: number, k0: number, kc: number): void {
  const panels = Math.ceil(m / MR);
  const need = panels * MR * kc;
  if (packA.length < need) packA = new Float64Array(need);
  const src = a.data;
  const lda = a.cols;
  for (let p = 0; p < panels; p++) {
    const base = p * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = p * MR + r;
      if (i >= m) {
        for (let k = 0; k < kc; k++) packA[base + k * MR + r] = 0;
      } else if (transA) {
        // op(A)[i, k] = A[k, i]
        for (let k = 0; k < kc; k++) packA[base + k * MR + r] = src[(k0 + k) * lda + i]!;
      } else {
        const row = i * lda + k0;
        for (let k = 0; k < kc; k++) packA[base + k * MR + r] = src[row + k]!;
      }
    }
  }
}

function packPanelsB(b: Matrix, transB: boolean, n: number, k0: number, kc: number): void {
  const panels = Math.ceil(n / NR);
  const need = panels * NR * kc;
  if (packB.length < need) packB = new Float64Array(need);
  const src = b.data;
  const ldb = b.cols;
  for (let p = 0; p < panels; p++) {
    const base = p * kc * NR;
    if (!transB) {
      const j0 = p * NR;
      const w = Math.min(NR, n - j0);
      for (let k = 0; k < kc; k++) {
        const row = (k0 + k) * ldb + j0;
        const o = base + k * NR;
        for (let c = 0; c < w; c++) packB[o + c] = src[row + c]!;
        for (let c = w; c < NR; c++) packB[o + c] = 0;
      }
    } else {
      for (let c = 0; c < NR; c++) {
        const j = p * NR + c;
        if (j >= n) {
          for (let k = 0; k < kc; k++) packB[base + k * NR + c] = 0;
        } else {
          // op(B)[k, j] = B[j, k]
          const row = j * ldb + k0;
          for (let k = 0; k < kc; k++) packB[base + k * NR + c] = src[row + k]!;
        }
      }
    }
  }
}

function kernel(mPad: number, nPad: number, kc: number, c: Float64Array): void {
  const ap = packA;
  const bp = packB;
  for (let i = 0; i < mPad; i += MR) {
    for (let j = 0; j < nPad; j += NR) {
      const o0 = i * nPad + j, o1 = o0 + nPad, o2 = o1 + nPad, o3 = o2 + nPad;
      let c00 = c[o0]!, c01 = c[o0 + 1]!, c02 = c[o0 + 2]!, c03 = c[o0 + 3]!;
      let c10 = c[o1]!, c11 = c[o1 + 1]!, c12 = c[o1 + 2]!, c13 = c[o1 + 3]!;
      let c20 = c[o2]!, c21 = c[o2 + 1]!, c22 = c[o2 + 2]!, c23 = c[o2 + 3]!;
      let c30 = c[o3]!, c31 = c[o3 + 1]!, c32 = c[o3 + 2]!, c33 = c[o3 + 3]!;
      let ao = i * kc;
      let bo = j * kc;
      for (let k = 0; k < kc; k++, ao += 4, bo += 4) {
        const a0 = ap[ao]!, a1 = ap[ao + 1]!, a2 = ap[ao + 2]!, a3 = ap[ao + 3]!;
        const b0 = bp[bo]!, b1 = bp[bo + 1]!, b2 = bp[bo + 2]!, b3 = bp[bo + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
      c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
      c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
      c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
    }
  }
}

/**
 * The sums Σ_k op(A)[i,k]·op(B)[k,j] (in increasing k) of an m×n product, in a zero-initialised padded
 * buffer of ⌈m/4⌉·4 rows by ⌈n/4⌉·4 columns (row stride the padded width).
 */
export function gemmSumsJs(a: Matrix, b: Matrix, transA: boolean, transB: boolean, m: number, n: number, k: number, sums: Float64Array): void {
  const mPad = Math.ceil(m / MR) * MR;
  const nPad = Math.ceil(n / NR) * NR;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packPanelsA(a, transA, m, k0, kc);
    packPanelsB(b, transB, n, k0, kc);
    kernel(mPad, nPad, kc, sums);
  }
}
