import { section, sleb, uleb, wasmName } from '../wasm/encoding.js';

// The gemm kernel as a hand-assembled WebAssembly module with 128-bit SIMD (f64x2), in the Goto/BLIS
// shape: op(A) and op(B) are packed into panels (zero-padded to whole tiles, transposes absorbed by
// strides), and an MR×NR register tile of C accumulates one rank-1 update per k from an MR-panel of A
// (broadcast one element at a time) and an NR-panel of B (NR/2 vectors). C lives in the module's memory
// padded to whole tiles, so the micro-kernel has no edge cases.
//
// Every element of C is Σ_k a_ik·b_kj summed in increasing k (one k-block after another, each in order)
// with a separate multiply and add: WebAssembly has no fused multiply-add, so the result is bit-identical
// to the naive loop `s = 0; for (k…) s += a[i][k]·b[k][j]`, whatever the tiling or the thread count.

/** Rows of the register tile (one f64 broadcast each). */
export const MR = 4;
/** Columns of the register tile (NR/2 f64x2 vectors per row). */
export const NR = 4;
/** Depth of a packed block: an MR×KC panel of A and a KC×NR panel of B stay in L1. */
export const KC = 256;
/** Rows of a packed block of A (MC×KC doubles, kept in L2). */
export const MC = 96;
/** Columns of a packed block of B (KC×NC doubles, kept in L2/L3). */
export const NC = 2048;
/** Steps of k per pass of the micro-kernel's loop. */
const UNROLL = 1;

const I32 = 0x7f;
const V128 = 0x7b;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = [0x6a];
const SUB = [0x6b];
const MUL = [0x6c];
const LT_U = [0x49];
const GE_U = [0x4f];
const SELECT = [0x1b];
const simd = (op: number) => [0xfd, ...uleb(op)];
const memarg = (offset: number) => [0x03, ...uleb(offset)];
const V_LOAD = (offset: number) => [...simd(0x00), ...memarg(offset)];
const V_STORE = (offset: number) => [...simd(0x0b), ...memarg(offset)];
const V_SPLAT64 = (offset: number) => [...simd(0x0a), ...memarg(offset)];
const F64_LOAD = (offset: number) => [0x2b, ...memarg(offset)];
const F64_STORE = (offset: number) => [0x39, ...memarg(offset)];
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const F64_ZERO = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];

/** for (v = from; v < to; v += step) body, unsigned compare; `to` and `step` are re-evaluated each pass. */
function forRange(v: number, from: number[], to: number[], step: number[], body: number[]): number[] {
  return [
    ...from, ...set(v),
    0x02, 0x40, 0x03, 0x40,
    ...get(v), ...to, ...GE_U, 0x0d, 0x01,
    ...body,
    ...get(v), ...step, ...ADD, ...set(v),
    0x0c, 0x00, 0x0b, 0x0b,
  ];
}

/** min(a, b) of two unsigned i32 expressions (each evaluated twice: keep them to local reads). */
function minU(a: number[], b: number[]): number[] {
  return [...a, ...b, ...a, ...b, ...LT_U, ...SELECT];
}

function body(locals: [number, number][], code: number[]): number[] {
  const decl = [...uleb(locals.length), ...locals.flatMap(([n, t]) => [...uleb(n), t])];
  const all = [...decl, ...code, 0x0b];
  return [...uleb(all.length), ...all];
}

/**
 * pack(dst, src, panels, valid, kc, sW, sK): panels of width W (MR or NR), k-major:
 * dst[(p·kc + k)·W + r] = src[(p·W + r)·sW + k·sK] for p·W + r < valid, else 0. Byte offsets/strides.
 */
function packBody(width: number): number[] {
  const [DST, SRC, PANELS, VALID, KCP, SW, SK] = [0, 1, 2, 3, 4, 5, 6];
  const [P, K, R, IDX, S, ROW] = [7, 8, 9, 10, 11, 12];
  // Full panels copy W strided loads per k without a bounds test; the last partial one pads with zeros.
  const full = forRange(K, i32(0), get(KCP), i32(1), [
    ...get(ROW), ...get(K), ...get(SK), ...MUL, ...ADD, ...set(S),
    ...Array.from({ length: width }, (_, r) => [
      ...get(DST), ...get(S), ...(r === 0 ? [] : [...get(SW), ...i32(r), ...MUL, ...ADD]), ...F64_LOAD(0), ...F64_STORE(8 * r),
    ]).flat(),
    ...get(DST), ...i32(8 * width), ...ADD, ...set(DST),
  ]);
  const partial = forRange(K, i32(0), get(KCP), i32(1), [
    ...get(ROW), ...get(K), ...get(SK), ...MUL, ...ADD, ...set(S),
    ...forRange(R, i32(0), i32(width), i32(1), [
      ...get(DST),
      ...get(IDX), ...get(R), ...ADD, ...get(VALID), ...LT_U,
      0x04, 0x7c, // if (result f64)
      ...get(S), ...get(R), ...get(SW), ...MUL, ...ADD, ...F64_LOAD(0),
      0x05, ...F64_ZERO, 0x0b,
      ...F64_STORE(0),
      ...get(DST), ...i32(8), ...ADD, ...set(DST),
    ]),
  ]);
  const code = forRange(P, i32(0), get(PANELS), i32(1), [
    ...get(P), ...i32(width), ...MUL, ...set(IDX),
    ...get(SRC), ...get(IDX), ...get(SW), ...MUL, ...ADD, ...set(ROW),
    ...get(IDX), ...i32(width), ...ADD, ...get(VALID), 0x4d /* le_u */,
    0x04, 0x40, ...full, 0x05, ...partial, 0x0b,
  ]);
  return body([[6, I32]], code);
}

/**
 * macro(mc, nc, kc, pa, pb, c, ldc, lowerOnly, rowOff, colOff): C[0:mc, 0:nc] += Apack·Bpack for one
 * packed block (mc a multiple of MR, nc of NR, ldc in bytes). With `lowerOnly`, tiles lying wholly above
 * the diagonal of the full product (column ≥ row + MR, in global indices) are skipped (syrk).
 */
function macroBody(): number[] {
  const [MCP, NCP, KCP, PA, PB, C, LDC, LOWER, ROWOFF, COLOFF] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [JR, IR, AP, BP, KEND, BBASE] = [10, 11, 12, 13, 14, 15];
  const CROW = (i: number) => 16 + i;
  const nVec = NR / 2;
  const V0 = 16 + MR;
  const ACC = (i: number, q: number) => V0 + i * nVec + q;
  const BV = (q: number) => V0 + MR * nVec + q;
  const A = V0 + MR * nVec + nVec;
  const nV128 = MR * nVec + nVec + 1;

  const loadTile: number[] = [];
  for (let i = 0; i < MR; i++) for (let q = 0; q < nVec; q++) loadTile.push(...get(CROW(i)), ...V_LOAD(16 * q), ...set(ACC(i, q)));
  const storeTile: number[] = [];
  for (let i = 0; i < MR; i++) for (let q = 0; q < nVec; q++) storeTile.push(...get(CROW(i)), ...get(ACC(i, q)), ...V_STORE(16 * q));
  // One k: NR/2 vectors of B, then each of the MR elements of A broadcast against them.
  const rank1 = (u: number): number[] => {
    const r: number[] = [];
    for (let q = 0; q < nVec; q++) r.push(...get(BP), ...V_LOAD(16 * q + 8 * NR * u), ...set(BV(q)));
    for (let i = 0; i < MR; i++) {
      r.push(...get(AP), ...V_SPLAT64(8 * i + 8 * MR * u), ...set(A));
      for (let q = 0; q < nVec; q++) r.push(...get(ACC(i, q)), ...get(A), ...get(BV(q)), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC(i, q)));
    }
    return r;
  };
  const rowPointers: number[] = [];
  for (let i = 0; i < MR; i++) {
    rowPointers.push(...get(C), ...get(IR), ...get(LDC), ...MUL, ...ADD, ...get(JR), ...i32(8), ...MUL, ...ADD);
    if (i > 0) rowPointers.push(...get(LDC), ...i32(i), ...MUL, ...ADD);
    rowPointers.push(...set(CROW(i)));
  }
  const tile = [
    ...get(PA), ...get(IR), ...get(KCP), ...MUL, ...i32(8), ...MUL, ...ADD, ...set(AP),
    ...get(BBASE), ...set(BP),
    ...get(AP), ...get(KCP), ...i32(8 * MR), ...MUL, ...ADD, ...set(KEND),
    ...rowPointers,
    ...loadTile,
    // UNROLL steps of k per pass while that many remain, then one at a time.
    0x02, 0x40, 0x03, 0x40,
    ...get(AP), ...i32(8 * MR * UNROLL), ...ADD, ...get(KEND), 0x4b /* gt_u */, 0x0d, 0x01,
    ...Array.from({ length: UNROLL }, (_, u) => rank1(u)).flat(),
    ...get(AP), ...i32(8 * MR * UNROLL), ...ADD, ...set(AP),
    ...get(BP), ...i32(8 * NR * UNROLL), ...ADD, ...set(BP),
    0x0c, 0x00, 0x0b, 0x0b,
    0x02, 0x40, 0x03, 0x40,
    ...get(AP), ...get(KEND), ...GE_U, 0x0d, 0x01,
    ...rank1(0),
    ...get(AP), ...i32(8 * MR), ...ADD, ...set(AP),
    ...get(BP), ...i32(8 * NR), ...ADD, ...set(BP),
    0x0c, 0x00, 0x0b, 0x0b,
    ...storeTile,
  ];
  // skip = lowerOnly && colOff + jr ≥ rowOff + ir + MR
  const skip = [
    ...get(LOWER),
    ...get(COLOFF), ...get(JR), ...ADD, ...get(ROWOFF), ...get(IR), ...ADD, ...i32(MR), ...ADD, ...GE_U,
    0x71, // i32.and
  ];
  const code = forRange(JR, i32(0), get(NCP), i32(NR), [
    ...get(PB), ...get(JR), ...get(KCP), ...MUL, ...i32(8), ...MUL, ...ADD, ...set(BBASE),
    ...forRange(IR, i32(0), get(MCP), i32(MR), [...skip, 0x45 /* eqz */, 0x04, 0x40, ...tile, 0x0b]),
  ]);
  return body([[6 + MR, I32], [nV128, V128]], code);
}

/**
 * slice(m, n, k, a, sAi, sAk, b, sBk, sBj, c, ldc, i0, i1, j0, j1, pa, pb, lowerOnly): the Goto loop
 * nest over C[i0:i1, j0:j1] (tile-aligned, in the padded C), packing into this lane's pa and pb.
 * op(A)[i, k] is at a + i·sAi + k·sAk and op(B)[k, j] at b + k·sBk + j·sBj (bytes). C must hold the
 * running sums (zero before the first call).
 */
function sliceBody(): number[] {
  const [M, N, K, A, SAI, SAK, B, SBK, SBJ, C, LDC, I0, I1, J0, J1, PA, PB, LOWER] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const [JC, PC, IC, NCB, KCB, MCB, T] = [18, 19, 20, 21, 22, 23, 24];
  const PACK_A = 0, PACK_B = 1, MACRO = 2;
  const code = forRange(JC, get(J0), get(J1), i32(NC), [
    // nc = min(NC, j1 − jc)
    ...get(J1), ...get(JC), ...SUB, ...set(T),
    ...minU(i32(NC), get(T)), ...set(NCB),
    ...forRange(PC, i32(0), get(K), i32(KC), [
      ...get(K), ...get(PC), ...SUB, ...set(T),
      ...minU(i32(KC), get(T)), ...set(KCB),
      // pack B[pc:pc+kc, jc:jc+nc]: panels of NR columns, valid columns n − jc
      ...get(PB),
      ...get(B), ...get(PC), ...get(SBK), ...MUL, ...ADD, ...get(JC), ...get(SBJ), ...MUL, ...ADD,
      ...get(NCB), ...i32(NR), 0x6e /* div_u */,
      ...get(N), ...get(JC), ...SUB,
      ...get(KCB), ...get(SBJ), ...get(SBK),
      0x10, PACK_B,
      ...forRange(IC, get(I0), get(I1), i32(MC), [
        ...get(I1), ...get(IC), ...SUB, ...set(T),
        ...minU(i32(MC), get(T)), ...set(MCB),
        ...get(PA),
        ...get(A), ...get(IC), ...get(SAI), ...MUL, ...ADD, ...get(PC), ...get(SAK), ...MUL, ...ADD,
        ...get(MCB), ...i32(MR), 0x6e,
        ...get(M), ...get(IC), ...SUB,
        ...get(KCB), ...get(SAI), ...get(SAK),
        0x10, PACK_A,
        ...get(MCB), ...get(NCB), ...get(KCB), ...get(PA), ...get(PB),
        ...get(C), ...get(IC), ...get(LDC), ...MUL, ...ADD, ...get(JC), ...i32(8), ...MUL, ...ADD,
        ...get(LDC), ...get(LOWER), ...get(IC), ...get(JC),
        0x10, MACRO,
      ]),
    ]),
  ]);
  return body([[7, I32]], code);
}

/**
 * The bytes of the gemm module. It imports its memory as `env.mem` (declared shared, with a maximum,
 * when `shared`, for worker threads) and exports `packA`, `packB`, `macro` and `slice` (see above).
 */
export function gemmModuleBytes(shared: boolean, maxPages: number): Uint8Array {
  const t = (n: number) => [0x60, ...uleb(n), ...new Array<number>(n).fill(I32), 0x00];
  const types = [0x03, ...t(7), ...t(10), ...t(18)];
  const limits = shared ? [0x03, 0x01, ...uleb(maxPages)] : [0x01, 0x01, ...uleb(maxPages)];
  const imports = [0x01, ...wasmName('env'), ...wasmName('mem'), 0x02, ...limits];
  const funcs = [0x04, 0x00, 0x00, 0x01, 0x02];
  const names = ['packA', 'packB', 'macro', 'slice'];
  const exports = [names.length, ...names.flatMap((s, k) => [...wasmName(s), 0x00, k])];
  const code = [0x04, ...packBody(MR), ...packBody(NR), ...macroBody(), ...sliceBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code),
  ]);
}
