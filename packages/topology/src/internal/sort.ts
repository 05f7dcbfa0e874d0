// Sorting (diameter, index) pairs without comparator closures: an LSD radix sort over the IEEE bits of
// the diameter (order-preserving for non-negative doubles) and the integer index.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * Returns the permutation that sorts entries by (diam ascending, idx descending): Ripser's filtration
 * order (§3.3). `diam` any non-NaN doubles (−0 is treated as +0); `idx` non-negative safe integers.
 */
export function sortFiltrationOrder(diam: Float64Array, idx: Float64Array, count: number): Uint32Array {
  const perm = new Uint32Array(count);
  for (let i = 0; i < count; i++) perm[i] = i;
  if (count < 2) return perm;
  if (count <= 64) {
    perm.sort((a, b) => diam[a]! - diam[b]! || idx[b]! - idx[a]!);
    return perm;
  }
  // Keys, least significant first: ~idx lo32, ~idx hi21, diam lo32, diam hi32.
  const k0 = new Uint32Array(count);
  const k1 = new Uint32Array(count);
  const k2 = new Uint32Array(count);
  const k3 = new Uint32Array(count);
  let maxIdx = 0;
  for (let i = 0; i < count; i++) {
    const x = idx[i]!;
    if (x > maxIdx) maxIdx = x;
    k0[i] = ~(x >>> 0) >>> 0;
    k1[i] = ~((x / 4294967296) >>> 0) >>> 0;
    // Order-preserving map of a double to an unsigned 64-bit key: flip all bits of negatives, the sign
    // bit of non-negatives (−0 + 0 is +0).
    f64[0] = diam[i]! + 0;
    const lo = u32[0]!;
    const hi = u32[1]!;
    if (hi & 0x80000000) {
      k2[i] = ~lo >>> 0;
      k3[i] = ~hi >>> 0;
    } else {
      k2[i] = lo;
      k3[i] = (hi | 0x80000000) >>> 0;
    }
  }
  const tmp = new Uint32Array(count);
  const counts = new Uint32Array(65536);
  let src = perm;
  let dst = tmp;
  const keys = maxIdx >= 4294967296 ? [k0, k1, k2, k3] : [k0, k2, k3];
  for (const key of keys) {
    for (let shift = 0; shift < 32; shift += 16) {
      counts.fill(0);
      for (let i = 0; i < count; i++) counts[(key[src[i]!]! >>> shift) & 0xffff]!++;
      // Skip a pass where every entry has the same digit.
      if (counts[(key[src[0]!]! >>> shift) & 0xffff] === count) continue;
      let sum = 0;
      for (let b = 0; b < 65536; b++) {
        const c = counts[b]!;
        counts[b] = sum;
        sum += c;
      }
      for (let i = 0; i < count; i++) {
        const e = src[i]!;
        dst[counts[(key[e]! >>> shift) & 0xffff]!++] = e;
      }
      const t = src;
      src = dst;
      dst = t;
    }
  }
  if (src !== perm) perm.set(src);
  return perm;
}

/**
 * Stable LSD radix sort of positions 0..count−1 by the unsigned 64-bit keys (hi, lo), ascending: equal
 * keys keep their order. Two 16-bit passes per word; a pass where every entry has the same digit is
 * skipped (float32 values leave the low bits of a double's mantissa zero).
 */
export function radixByKeys(hi: Uint32Array, lo: Uint32Array, count: number): Uint32Array {
  let src = new Uint32Array(count);
  for (let i = 0; i < count; i++) src[i] = i;
  if (count < 2) return src;
  let dst = new Uint32Array(count);
  const counts = new Uint32Array(65536);
  for (const key of [lo, hi]) {
    for (let shift = 0; shift < 32; shift += 16) {
      counts.fill(0);
      for (let i = 0; i < count; i++) counts[(key[src[i]!]! >>> shift) & 0xffff]!++;
      if (counts[(key[src[0]!]! >>> shift) & 0xffff] === count) continue;
      let sum = 0;
      for (let b = 0; b < 65536; b++) {
        const c = counts[b]!;
        counts[b] = sum;
        sum += c;
      }
      for (let i = 0; i < count; i++) {
        const e = src[i]!;
        dst[counts[(key[e]! >>> shift) & 0xffff]!++] = e;
      }
      const t = src;
      src = dst;
      dst = t;
    }
  }
  return src;
}
