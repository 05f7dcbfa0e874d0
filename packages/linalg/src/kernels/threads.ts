import { DescentError } from '../errors.js';

let threads = 1;

/**
 * Sets how many threads large matrix products use by default (gemm, gram, and everything built on them:
 * decompositions, Newton–Schulz, Muon), and returns the previous value. Worker threads exist in Node
 * only; elsewhere, or where shared memory is unavailable, products run on one thread. Results are
 * bit-identical for every count.
 *
 * @example
 * ```ts
 * const before = setKernelThreads(2);
 * setKernelThreads(before);
 * // 2
 * ```
 */
export function setKernelThreads(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new DescentError('INVALID_CONFIG', 'setKernelThreads', `count must be an integer from 1 to 256, got ${count}`);
  }
  const before = threads;
  threads = count;
  return before;
}

/**
 * The default thread count of matrix products (see {@link setKernelThreads}).
 *
 * @example
 * ```ts
 * kernelThreads();
 * // 1
 * ```
 */
export function kernelThreads(): number {
  return threads;
}
