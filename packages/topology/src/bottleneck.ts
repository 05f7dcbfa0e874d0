import { assertKnownKeys } from '@descent/linalg';
import { assertDiagram, type Diagram } from './diagram.js';
import { hopcroftKarp } from './internal/matching.js';
import { splitDiagram } from './internal/split-diagram.js';

/**
 * Result of a diagram distance.
 *
 * @example
 * ```ts
 * bottleneck(diagram([[0, 2]]), diagram([]), { matching: true }).matching;
 * // Int32Array [0, -1]
 * ```
 */
export interface DiagramDistance {
  distance: number;
  /**
   * With `{ matching: true }`: pairs (i, j) flattened, i a bar of the first diagram or −1 (the
   * diagonal), j a bar of the second or −1. Every off-diagonal bar appears exactly once.
   */
  matching?: Int32Array;
}

function linf(b1: number, d1: number, b2: number, d2: number): number {
  const x = Math.abs(b1 - b2);
  const y = Math.abs(d1 - d2);
  return x > y ? x : y;
}

/**
 * Exact bottleneck distance d_B between two persistence diagrams (L∞ ground metric; a point may go to the
 * diagonal at cost (d − b)/2). Essential bars are matched separately by sorted birth (+∞ if their
 * counts differ). The finite part is the smallest candidate value r for which the threshold graph has a
 * matching that covers every point farther than r from the diagonal (Hopcroft–Karp, binary search over
 * the exact candidate costs). Symmetric bit-for-bit.
 *
 * @example
 * ```ts
 * bottleneck(diagram([[0, 13]]), diagram([])).distance;
 * // 6.5
 * ```
 */
export function bottleneck(a: Diagram, b: Diagram, o: { matching?: boolean } = {}): DiagramDistance {
  assertKnownKeys(o, ['matching'], 'bottleneck', 'options');
  assertDiagram(a, 'bottleneck', 'a');
  assertDiagram(b, 'bottleneck', 'b');
  const sa = splitDiagram(a);
  const sb = splitDiagram(b);
  if (sa.upper.length !== sb.upper.length || sa.lower.length !== sb.lower.length || sa.both.length !== sb.both.length) {
    return o.matching ? { distance: Infinity, matching: new Int32Array(0) } : { distance: Infinity };
  }
  let ess = 0;
  for (let k = 0; k < sa.upper.length; k++) ess = Math.max(ess, Math.abs(a.birth[sa.upper[k]!]! - b.birth[sb.upper[k]!]!));
  for (let k = 0; k < sa.lower.length; k++) ess = Math.max(ess, Math.abs(a.death[sa.lower[k]!]! - b.death[sb.lower[k]!]!));
  const M = sa.finite.length;
  const N = sb.finite.length;
  const ab = Float64Array.from(sa.finite, (i) => a.birth[i]!);
  const ad = Float64Array.from(sa.finite, (i) => a.death[i]!);
  const bb = Float64Array.from(sb.finite, (i) => b.birth[i]!);
  const bd = Float64Array.from(sb.finite, (i) => b.death[i]!);
  const ha = new Float64Array(M);
  const hb = new Float64Array(N);
  for (let i = 0; i < M; i++) ha[i] = (ad[i]! - ab[i]!) / 2;
  for (let j = 0; j < N; j++) hb[j] = (bd[j]! - bb[j]!) / 2;
  // Candidate values: all pair costs and all distances to the diagonal.
  const cand = new Float64Array(M * N + M + N + 1);
  let c = 0;
  cand[c++] = 0;
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) cand[c++] = linf(ab[i]!, ad[i]!, bb[j]!, bd[j]!);
  for (let i = 0; i < M; i++) cand[c++] = ha[i]!;
  for (let j = 0; j < N; j++) cand[c++] = hb[j]!;
  cand.sort();
  let u = 0;
  for (let k = 0; k < c; k++) if (k === 0 || cand[k] !== cand[u - 1]) cand[u++] = cand[k]!;
  const feasible = (r: number): boolean => coversForced(ab, ad, ha, bb, bd, hb, r) && coversForced(bb, bd, hb, ab, ad, ha, r);
  let lo = 0;
  let hi = u - 1; // feasible at the largest candidate: nothing is forced
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (feasible(cand[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  const finitePart = u > 0 ? cand[lo]! : 0;
  const distance = Math.max(ess, finitePart);
  if (!o.matching) return { distance };
  const pairs: number[] = [];
  for (let k = 0; k < sa.upper.length; k++) pairs.push(sa.upper[k]!, sb.upper[k]!);
  for (let k = 0; k < sa.lower.length; k++) pairs.push(sa.lower[k]!, sb.lower[k]!);
  for (let k = 0; k < sa.both.length; k++) pairs.push(sa.both[k]!, sb.both[k]!);
  const m = fullMatching(ab, ad, ha, bb, bd, hb, finitePart);
  for (let i = 0; i < M; i++) pairs.push(sa.finite[i]!, m[i]! >= 0 ? sb.finite[m[i]!]! : -1);
  for (let j = 0; j < N; j++) if (!m.includes(j)) pairs.push(-1, sb.finite[j]!);
  return { distance, matching: Int32Array.from(pairs) };
}

/** Is there a matching in {cost ≤ r} covering every left point with half-persistence > r? */
function coversForced(lb: Float64Array, ld: Float64Array, lh: Float64Array, rb: Float64Array, rd: Float64Array, _rh: Float64Array, r: number): boolean {
  const forced: number[] = [];
  for (let i = 0; i < lh.length; i++) if (lh[i]! > r) forced.push(i);
  if (forced.length === 0) return true;
  if (forced.length > rb.length) return false;
  const start = new Int32Array(forced.length + 1);
  const adj: number[] = [];
  for (let k = 0; k < forced.length; k++) {
    const i = forced[k]!;
    for (let j = 0; j < rb.length; j++) if (linf(lb[i]!, ld[i]!, rb[j]!, rd[j]!) <= r) adj.push(j);
    start[k + 1] = adj.length;
    if (start[k + 1] === start[k]) return false;
  }
  const mL = new Int32Array(forced.length);
  const mR = new Int32Array(rb.length);
  return hopcroftKarp(forced.length, rb.length, start, Int32Array.from(adj), mL, mR) === forced.length;
}

/** A perfect matching of the (M+N)×(N+M) diagonal-augmented graph at level r; returns A's partner in B or −1. */
function fullMatching(ab: Float64Array, ad: Float64Array, ha: Float64Array, bb: Float64Array, bd: Float64Array, hb: Float64Array, r: number): Int32Array {
  const M = ab.length;
  const N = bb.length;
  const S = M + N;
  const start = new Int32Array(S + 1);
  const adj: number[] = [];
  for (let i = 0; i < S; i++) {
    if (i < M) {
      for (let j = 0; j < N; j++) if (linf(ab[i]!, ad[i]!, bb[j]!, bd[j]!) <= r) adj.push(j);
      if (ha[i]! <= r) adj.push(N + i);
    } else {
      const j = i - M;
      if (hb[j]! <= r) adj.push(j);
      for (let k = 0; k < M; k++) adj.push(N + k);
    }
    start[i + 1] = adj.length;
  }
  const mL = new Int32Array(S);
  const mR = new Int32Array(S);
  hopcroftKarp(S, S, start, Int32Array.from(adj), mL, mR);
  const out = new Int32Array(M);
  for (let i = 0; i < M; i++) out[i] = mL[i]! < N ? mL[i]! : -1;
  return out;
}
