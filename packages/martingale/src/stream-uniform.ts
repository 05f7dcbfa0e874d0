import { foldIn, randomBitsInto, type Key, DescentError } from '@descent/linalg';

// Draw i of a key's stream is (w + 1/2) / 2³² with w the word (i mod 1024) of randomBitsInto(foldIn(key,
// floor(i / 1024))): a pure function of (key, i), strictly inside (0, 1). 32 random bits are plenty to
// break ties between conformal scores, and one Threefry call yields two of them. Blocks are memoised in a small direct-mapped cache so a sequential detector pays about one
// Threefry evaluation per step; the cache never changes a result, only how fast it is computed.
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;
const SLOTS = 16;
const slotK0 = new Float64Array(SLOTS).fill(-1);
const slotK1 = new Float64Array(SLOTS).fill(-1);
const slotBlock = new Float64Array(SLOTS).fill(-1);
const slotData: Float64Array[] = Array.from({ length: SLOTS }, () => new Float64Array(BLOCK));
const words = new Uint32Array(BLOCK);

/**
 * The `i`-th U(0, 1) draw of the stream of key `k` (a pure function of `k` and `i`; 32 random bits,
 * never 0 or 1). The detector takes its tie-breaking uniform at step t from `streamUniform(state.key, t)`.
 *
 * @example
 * ```ts
 * streamUniform(key(1), 5) === streamUniform(key(1), 5);
 * // true
 * ```
 */
export function streamUniform(k: Key, i: number): number {
  if (!Array.isArray(k) || k.length !== 2 || !Number.isInteger(k[0]) || !Number.isInteger(k[1])) {
    throw new DescentError('INVALID_CONFIG', 'streamUniform', 'k must be a key made by key(seed)');
  }
  if (!(Number.isSafeInteger(i) && i >= 0)) throw new DescentError('DOMAIN', 'streamUniform', `i must be a non-negative safe integer, got ${String(i)}`);
  const block = i < 2147483648 ? i >>> BLOCK_BITS : Math.floor(i / BLOCK);
  const k0 = k[0];
  const k1 = k[1];
  const slot = (k0 ^ k1 ^ block) & (SLOTS - 1);
  if (slotK0[slot] !== k0 || slotK1[slot] !== k1 || slotBlock[slot] !== block) {
    randomBitsInto(foldIn(k, block), words);
    const data = slotData[slot]!;
    for (let j = 0; j < BLOCK; j++) data[j] = (words[j]! + 0.5) * 2.3283064365386963e-10; // 2⁻³²
    slotK0[slot] = k0;
    slotK1[slot] = k1;
    slotBlock[slot] = block;
  }
  return slotData[slot]![i - block * BLOCK]!;
}
