import fc from 'fast-check';
import { bottleneck } from '../bottleneck.js';
import type { Diagram } from '../diagram.js';
import { ripsPersistence } from '../rips.js';
import { greedySubsample } from '../subsample.js';
import { bars, lowerOf, pointCloud, supDiff, type Cloud } from './arbitraries.js';

const lower = (n: number, data: Float64Array) => ({ kind: 'lower' as const, n, data });
const same = (a: Diagram, b: Diagram) => JSON.stringify(bars(a)) === JSON.stringify(bars(b));

/**
 * L1: the finite H0 deaths of a Rips diagram are exactly (bit-for-bit) the MST edge weights of the
 * distance matrix, zero-length edges excluded; one [0, ∞) bar per component. Tolerance: none.
 *
 * @example
 * ```ts
 * fc.check(h0EqualsMst(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function h0EqualsMst(cloud: fc.Arbitrary<Cloud> = pointCloud(2, 25, 3)) {
  return fc.property(cloud, (c) => {
    const D = lowerOf(c);
    const r = ripsPersistence(lower(c.n, D), { maxDim: 0 });
    // Prim's algorithm on the dense matrix
    const n = c.n;
    const inTree = new Uint8Array(n);
    const best = new Float64Array(n).fill(Infinity);
    best[0] = 0;
    const w: number[] = [];
    for (let t = 0; t < n; t++) {
      let u = -1;
      for (let v = 0; v < n; v++) if (!inTree[v] && (u < 0 || best[v]! < best[u]!)) u = v;
      inTree[u] = 1;
      if (t > 0 && best[u]! > 0) w.push(best[u]!);
      for (let v = 0; v < n; v++) {
        if (inTree[v] || v === u) continue;
        const d = u > v ? D[(u * (u - 1)) / 2 + v]! : D[(v * (v - 1)) / 2 + u]!;
        if (d < best[v]!) best[v] = d;
      }
    }
    const deaths = Array.from(r.diagrams[0]!.death).filter(Number.isFinite).sort((a, b) => a - b);
    const essential = Array.from(r.diagrams[0]!.death).filter((d) => d === Infinity).length;
    return essential === 1 && JSON.stringify(deaths) === JSON.stringify(w.sort((a, b) => a - b));
  });
}

/**
 * L2: permuting the points (rows and columns of D) gives bit-identical diagrams after canonical sort.
 *
 * @example
 * ```ts
 * fc.check(permutationInvariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function permutationInvariance(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 14, 2), maxDim = 2) {
  return fc.property(
    cloud.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(Array.from({ length: c.n }, (_, i) => i), { minLength: c.n, maxLength: c.n }))),
    ([c, perm]) => {
      const y = new Float64Array(c.data.length);
      perm.forEach((src, dst) => y.set(c.data.subarray(src * c.d, (src + 1) * c.d), dst * c.d));
      const a = ripsPersistence({ kind: 'points', n: c.n, d: c.d, data: c.data }, { maxDim });
      const b = ripsPersistence({ kind: 'points', n: c.n, d: c.d, data: y }, { maxDim });
      return a.diagrams.every((d, k) => same(d, b.diagrams[k]!));
    },
  );
}

/**
 * L3: a rotation/reflection (Householder) plus translation of the points moves every diagram by at most
 * ‖D − D'‖∞ in bottleneck distance (rounding only).
 *
 * @example
 * ```ts
 * fc.check(isometryInvariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function isometryInvariance(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 16, 3)) {
  const vec = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 });
  return fc.property(cloud, vec, vec, (c, h, shift) => {
    const nh = Math.hypot(...h);
    if (nh < 1e-3) return true;
    const u = h.map((v) => v / nh);
    const y = new Float64Array(c.data.length);
    for (let i = 0; i < c.n; i++) {
      const p = c.data.subarray(i * 3, i * 3 + 3);
      const dot = p[0]! * u[0]! + p[1]! * u[1]! + p[2]! * u[2]!;
      for (let t = 0; t < 3; t++) y[i * 3 + t] = p[t]! - 2 * dot * u[t]! + 10 * shift[t]!;
    }
    const D = lowerOf(c);
    const E = lowerOf({ n: c.n, d: 3, data: y });
    const a = ripsPersistence(lower(c.n, D), { maxDim: 1 });
    const b = ripsPersistence(lower(c.n, E), { maxDim: 1 });
    const bound = supDiff(D, E);
    return a.diagrams.every((d, k) => bottleneck(d, b.diagrams[k]!).distance <= bound);
  });
}

/**
 * L4: Dgm(λD) = λ·Dgm(D) for λ > 0, bit-for-bit (multiplication by λ commutes with max).
 *
 * @example
 * ```ts
 * fc.check(scalingCovariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function scalingCovariance(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 14, 2)) {
  return fc.property(cloud, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (c, lambda) => {
    const D = lowerOf(c);
    const a = ripsPersistence(lower(c.n, D), { maxDim: 2 });
    const b = ripsPersistence(lower(c.n, D.map((v) => lambda * v)), { maxDim: 2 });
    return a.diagrams.every((d, k) => {
      const s = { dim: k, birth: d.birth.map((v) => lambda * v), death: d.death.map((v) => lambda * v) };
      return same(s, b.diagrams[k]!);
    });
  });
}

/**
 * L5: stability on one index set: d_B(Dgm_k(D), Dgm_k(D')) ≤ ‖D − D'‖∞ (constant 1, diameter
 * convention), for k = 0, 1, 2. Tolerance: none beyond the computed sup norm.
 *
 * @example
 * ```ts
 * fc.check(stabilityDistances(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function stabilityDistances(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 14, 3)) {
  return fc.property(
    cloud.chain((c) => fc.tuple(fc.constant(c), fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: (c.n * (c.n - 1)) / 2, maxLength: (c.n * (c.n - 1)) / 2 }))),
    ([c, noise]) => {
      const D = lowerOf(c);
      const E = D.map((v, i) => Math.max(0, v + noise[i]!));
      const a = ripsPersistence(lower(c.n, D), { maxDim: 2, threshold: Infinity });
      const b = ripsPersistence(lower(c.n, E), { maxDim: 2 });
      const bound = supDiff(D, E);
      return a.diagrams.every((d, k) => bottleneck(d, b.diagrams[k]!).distance <= bound);
    },
  );
}

/**
 * L6: if every point moves by at most ε (Euclidean), the diagrams move by at most 2ε (bottleneck).
 *
 * @example
 * ```ts
 * fc.check(stabilityPoints(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function stabilityPoints(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 16, 2)) {
  return fc.property(cloud, fc.double({ min: 0, max: 0.3, noNaN: true }), fc.integer({ min: 0, max: 2 ** 30 }), (c, eps, seed) => {
    let s = seed;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const y = new Float64Array(c.data.length);
    let moved = 0;
    for (let i = 0; i < c.n; i++) {
      const ang = 2 * Math.PI * rnd();
      const r = eps * rnd();
      y[2 * i] = c.data[2 * i]! + r * Math.cos(ang);
      y[2 * i + 1] = c.data[2 * i + 1]! + r * Math.sin(ang);
      moved = Math.max(moved, Math.hypot(y[2 * i]! - c.data[2 * i]!, y[2 * i + 1]! - c.data[2 * i + 1]!));
    }
    const a = ripsPersistence({ kind: 'points', n: c.n, d: 2, data: c.data }, { maxDim: 1 });
    const b = ripsPersistence({ kind: 'points', n: c.n, d: 2, data: y }, { maxDim: 1 });
    return a.diagrams.every((d, k) => bottleneck(d, b.diagrams[k]!).distance <= 2 * moved * (1 + 1e-12) + 1e-15);
  });
}

/**
 * L7: a greedy subsample with covering radius r_c has diagrams within 2·r_c of the full ones (H1, and
 * H0 after dropping essential bars).
 *
 * @example
 * ```ts
 * fc.check(subsampleBound(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function subsampleBound(cloud: fc.Arbitrary<Cloud> = pointCloud(4, 24, 2)) {
  return fc.property(cloud, fc.integer({ min: 1, max: 100 }), (c, frac) => {
    const k = Math.max(1, Math.round((c.n * frac) / 100));
    const { indices, coveringRadius } = greedySubsample({ kind: 'points', n: c.n, d: 2, data: c.data }, k);
    const sub = new Float64Array(2 * k);
    indices.forEach((v, t) => sub.set(c.data.subarray(2 * v, 2 * v + 2), 2 * t));
    const a = ripsPersistence({ kind: 'points', n: c.n, d: 2, data: c.data }, { maxDim: 1 });
    const b = ripsPersistence({ kind: 'points', n: k, d: 2, data: sub }, { maxDim: 1 });
    const bound = 2 * coveringRadius * (1 + 1e-12) + 1e-15;
    return a.diagrams.every((d, i) => bottleneck(d, b.diagrams[i]!).distance <= bound);
  });
}

/**
 * L8: with threshold t, pairs with death ≤ t are unchanged, pairs with birth ≤ t < death become
 * [birth, ∞), and nothing born after t remains. Exact.
 *
 * @example
 * ```ts
 * fc.check(thresholdTruncation(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function thresholdTruncation(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 18, 2)) {
  return fc.property(cloud, fc.double({ min: 0, max: 2, noNaN: true }), (c, t) => {
    const D = lowerOf(c);
    const full = ripsPersistence(lower(c.n, D), { maxDim: 2 });
    const cut = ripsPersistence(lower(c.n, D), { maxDim: 2, threshold: t });
    return full.diagrams.every((d, k) => {
      const expected = {
        dim: k,
        birth: Float64Array.from(bars(d).filter(([b]) => b! <= t), ([b]) => b!),
        death: Float64Array.from(bars(d).filter(([b]) => b! <= t), ([, e]) => (e! <= t ? e! : Infinity)),
      };
      return same(expected, cut.diagrams[k]!);
    });
  });
}

/**
 * L9: the H_k diagram does not depend on maxDim ≥ k. Exact.
 *
 * @example
 * ```ts
 * fc.check(dimensionIndependence(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function dimensionIndependence(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 14, 3)) {
  return fc.property(cloud, (c) => {
    const r = [0, 1, 2].map((m) => ripsPersistence({ kind: 'points', n: c.n, d: 3, data: c.data }, { maxDim: m }));
    return same(r[0]!.diagrams[0]!, r[2]!.diagrams[0]!) && same(r[1]!.diagrams[1]!, r[2]!.diagrams[1]!) && same(r[1]!.diagrams[0]!, r[2]!.diagrams[0]!);
  });
}

/**
 * L10: without a threshold every finite death is ≤ the enclosing radius and the only essential bar is
 * H0's [0, ∞).
 *
 * @example
 * ```ts
 * fc.check(enclosingRadiusLaw(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function enclosingRadiusLaw(cloud: fc.Arbitrary<Cloud> = pointCloud(2, 16, 3)) {
  return fc.property(cloud, (c) => {
    const r = ripsPersistence({ kind: 'points', n: c.n, d: 3, data: c.data }, { maxDim: 2 });
    const renc = r.stats.enclosingRadius;
    let essential = 0;
    for (const d of r.diagrams)
      for (const e of d.death) {
        if (e === Infinity) essential++;
        else if (e > renc) return false;
      }
    return essential === 1 && r.diagrams[0]!.death.includes(Infinity);
  });
}

/**
 * L11: Euler–Poincaré on small complexes (n ≤ 7, maxDim = min(2, n − 2)): for every r,
 * Σ_k (−1)^k β_k(r) = Σ_k (−1)^k #{k-simplices with diameter ≤ r} (all subsets enumerated).
 *
 * @example
 * ```ts
 * fc.check(eulerCharacteristic(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function eulerCharacteristic(cloud: fc.Arbitrary<Cloud> = pointCloud(3, 7, 2)) {
  return fc.property(cloud, (c) => {
    const n = c.n;
    const D = lowerOf(c);
    const d = (i: number, j: number) => (i > j ? D[(i * (i - 1)) / 2 + j]! : D[(j * (j - 1)) / 2 + i]!);
    // A nonzero class of H_k in a flag complex needs ≥ 2k + 2 vertices, so for n ≤ 7 β_k = 0 for k ≥ 3
    // and H0..H2 are all the homology.
    const maxDim = Math.min(2, n - 2);
    const r = ripsPersistence(lower(n, D), { maxDim, threshold: Infinity });
    const diam: number[][] = Array.from({ length: n }, () => []);
    for (let mask = 1; mask < 1 << n; mask++) {
      const vs: number[] = [];
      for (let v = 0; v < n; v++) if (mask & (1 << v)) vs.push(v);
      let m = 0;
      for (let a = 0; a < vs.length; a++) for (let b = a + 1; b < vs.length; b++) m = Math.max(m, d(vs[a]!, vs[b]!));
      diam[vs.length - 1]!.push(m);
    }
    const rs = Array.from(D).concat([0]);
    for (const rv of rs) {
      let chi = 0;
      for (let k = 0; k < n; k++) chi += (k % 2 ? -1 : 1) * diam[k]!.filter((x) => x <= rv).length;
      let betti = 0;
      r.diagrams.forEach((dg, k) => {
        for (let i = 0; i < dg.birth.length; i++) if (dg.birth[i]! <= rv && rv < dg.death[i]!) betti += k % 2 ? -1 : 1;
      });
      if (chi !== betti) return false;
    }
    return true;
  });
}

/**
 * L12 (known shapes): a noisy circle (n points, noise σ ≤ 0.05) has exactly one H1 bar longer than 1,
 * and the second longest is < 0.2; two blobs (σ = 0.1, centres 5 apart) have one finite H0 bar longer
 * than 4 and it equals the smallest inter-cluster distance (bit-for-bit: the same formula).
 *
 * @example
 * ```ts
 * fc.check(knownShapes(), { numRuns: 3 }).failed;
 * // false
 * ```
 */
export function knownShapes() {
  return fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 40, max: 100 }), (seed, n) => {
    let s = seed || 1;
    const rnd = () => ((s = (Math.imul(s, 48271) + 11) >>> 0) / 4294967296 + 1e-12);
    const gauss = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    const circle = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n + 0.3 * rnd();
      circle[2 * i] = Math.cos(a) + 0.05 * gauss();
      circle[2 * i + 1] = Math.sin(a) + 0.05 * gauss();
    }
    const h1 = ripsPersistence({ kind: 'points', n, d: 2, data: circle }).diagrams[1]!;
    const lens = Array.from(h1.death, (e, i) => e - h1.birth[i]!).sort((a, b) => b - a);
    if (!(lens[0]! > 1 && (lens[1] ?? 0) < 0.2)) return false;
    const blobs = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      blobs[2 * i] = (i < n / 2 ? 0 : 5) + 0.1 * gauss();
      blobs[2 * i + 1] = 0.1 * gauss();
    }
    const h0 = ripsPersistence({ kind: 'points', n, d: 2, data: blobs }, { maxDim: 0 }).diagrams[0]!;
    const deaths = Array.from(h0.death).filter(Number.isFinite).sort((a, b) => b - a);
    let inter = Infinity;
    for (let i = 0; i < n / 2; i++)
      for (let j = Math.ceil(n / 2); j < n; j++) inter = Math.min(inter, Math.sqrt((blobs[2 * i]! - blobs[2 * j]!) ** 2 + (blobs[2 * i + 1]! - blobs[2 * j + 1]!) ** 2));
    return deaths[0]! > 4 && deaths[0] === inter && deaths[1]! < 1;
  });
}

/**
 * The barycentric subdivision of the 6-vertex triangulation of RP² (hemi-icosahedron) as a {1, 2}
 * metric on its 31 faces: distance 1 between a face and the faces it contains, 2 otherwise. Its Rips
 * complex at r = 1 is sd(RP²) (an order complex, hence flag) and at r = 2 a simplex.
 */
function rp2Barycentric(): { n: number; lower: Float64Array } {
  const tris = [[1, 2, 3], [1, 3, 4], [1, 4, 5], [1, 5, 6], [1, 6, 2], [2, 3, 5], [3, 4, 6], [4, 5, 2], [5, 6, 3], [6, 2, 4]];
  const key = (f: number[]) => f.join(',');
  const faces = new Map<string, number[]>();
  for (const t of tris) {
    const s = [...t].sort((a, b) => a - b);
    for (let mask = 1; mask < 8; mask++) {
      const f = s.filter((_, i) => mask & (1 << i));
      faces.set(key(f), f);
    }
  }
  const list = [...faces.values()];
  const n = list.length;
  const contains = (a: number[], b: number[]) => a.length > b.length && b.every((v) => a.includes(v));
  const lowerD = new Float64Array((n * (n - 1)) / 2);
  for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) lowerD[k] = contains(list[i]!, list[j]!) || contains(list[j]!, list[i]!) ? 1 : 2;
  return { n, lower: lowerD };
}

/**
 * L21: the projective plane needs Z/2. The barycentric subdivision of the 6-vertex RP² as a {1, 2}
 * metric has H1 = H2 = {[1, 2)} over Z/2 (H₁(RP²; Z/2) = H₂(RP²; Z/2) = Z/2) and no H1 or H2 over Z/p for
 * odd p (H₁(RP²; Z/p) = H₂(RP²; Z/p) = 0), whatever the order of its points. Exact.
 *
 * @example
 * ```ts
 * fc.check(coefficientField(), { numRuns: 3 }).failed;
 * // false
 * ```
 */
export function coefficientField() {
  const { n, lower: D0 } = rp2Barycentric();
  const d = (i: number, j: number) => (i > j ? D0[(i * (i - 1)) / 2 + j]! : D0[(j * (j - 1)) / 2 + i]!);
  return fc.property(
    fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    fc.constantFrom(3, 5, 7, 11),
    (perm, p) => {
      const D = new Float64Array(D0.length);
      for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) D[k] = d(perm[i]!, perm[j]!);
      const z2 = ripsPersistence(lower(n, D), { maxDim: 2 });
      const zp = ripsPersistence(lower(n, D), { maxDim: 2, modulus: p });
      const one = (dg: Diagram) => dg.birth.length === 1 && dg.birth[0] === 1 && dg.death[0] === 2;
      return one(z2.diagrams[1]!) && one(z2.diagrams[2]!) && zp.diagrams[1]!.birth.length === 0 && zp.diagrams[2]!.birth.length === 0;
    },
  );
}
