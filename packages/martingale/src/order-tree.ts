// An order-statistics treap in one Float64Array, for online conformal p-values in O(log t) per step:
// node i occupies data[4i .. 4i+3] = [key, left, right, size] (children -1 when absent). Nodes are
// numbered in insertion order; priorities are a fixed hash of the node number, so the tree is a pure
// function of the inserted sequence (plain, serialisable data) and balanced in expectation.

import { DescentError, describeValue } from '@descent/linalg';

const NONE = -1;

function priority(i: number): number {
  // murmur3 finalizer of the node number
  let h = Math.imul(i ^ (i >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function size(d: Float64Array, n: number): number {
  return n === NONE ? 0 : d[4 * n + 3]!;
}

function rotateRight(d: Float64Array, n: number): number {
  const l = d[4 * n + 1]!;
  d[4 * n + 1] = d[4 * l + 2]!;
  d[4 * l + 2] = n;
  d[4 * n + 3] = 1 + size(d, d[4 * n + 1]!) + size(d, d[4 * n + 2]!);
  d[4 * l + 3] = 1 + size(d, d[4 * l + 1]!) + d[4 * n + 3]!;
  return l;
}

function rotateLeft(d: Float64Array, n: number): number {
  const r = d[4 * n + 2]!;
  d[4 * n + 2] = d[4 * r + 1]!;
  d[4 * r + 1] = n;
  d[4 * n + 3] = 1 + size(d, d[4 * n + 1]!) + size(d, d[4 * n + 2]!);
  d[4 * r + 3] = 1 + d[4 * n + 3]! + size(d, d[4 * r + 2]!);
  return r;
}

function insertAt(d: Float64Array, node: number, i: number, x: number): number {
  if (node === NONE) return i;
  d[4 * node + 3] = d[4 * node + 3]! + 1;
  if (x < d[4 * node]!) {
    const l = insertAt(d, d[4 * node + 1]!, i, x);
    d[4 * node + 1] = l;
    return priority(l) > priority(node) ? rotateRight(d, node) : node;
  }
  const r = insertAt(d, d[4 * node + 2]!, i, x); // equal keys go right: insertion order among ties
  d[4 * node + 2] = r;
  return priority(r) > priority(node) ? rotateLeft(d, node) : node;
}

/**
 * Inserts `x` as node `count` of the treap stored in `data` (capacity ≥ 4(count + 1)) under `root`
 * (-1 for an empty tree); returns the new root. Expected O(log count). The arguments are checked
 * (O(1)) before anything is written: a bad call leaves `data` untouched.
 *
 * @example
 * ```ts
 * const d = new Float64Array(8); let root = treeInsert(d, -1, 0, 2); root = treeInsert(d, root, 1, 1);
 * treeCountBelow(d, root, 2);
 * // 1
 * ```
 */
export function treeInsert(data: Float64Array, root: number, count: number, x: number): number {
  checkTree(data, root, 'treeInsert');
  if (!(Number.isInteger(count) && count >= 0 && 4 * (count + 1) <= data.length)) {
    throw new DescentError('SHAPE_MISMATCH', 'treeInsert', `count must be an integer with 4(count + 1) ≤ ${data.length}, got ${describeValue(count)}`);
  }
  if ((root === NONE) !== (count === 0) || root >= count) {
    throw new DescentError('SHAPE_MISMATCH', 'treeInsert', `root ${root} is not a node of a tree of ${count} nodes`);
  }
  checkKey(x, 'treeInsert');
  return insertNode(data, root, count, x);
}

/** {@link treeInsert} without the checks, for callers that own a valid tree. */
export function insertNode(data: Float64Array, root: number, count: number, x: number): number {
  const o = 4 * count;
  data[o] = x;
  data[o + 1] = NONE;
  data[o + 2] = NONE;
  data[o + 3] = 1;
  return insertAt(data, root, count, x);
}

/**
 * Number of keys `< x` in the treap (expected O(log n)).
 *
 * @example
 * ```ts
 * const d = new Float64Array(8); const root = treeInsert(d, -1, 0, 3);
 * treeCountBelow(d, root, 3);
 * // 0
 * ```
 */
export function treeCountBelow(data: Float64Array, root: number, x: number): number {
  checkTree(data, root, 'treeCountBelow');
  checkKey(x, 'treeCountBelow');
  return countBelow(data, root, x);
}

/** {@link treeCountBelow} without the checks. */
export function countBelow(data: Float64Array, root: number, x: number): number {
  let acc = 0;
  let n = root;
  while (n !== NONE) {
    if (data[4 * n]! < x) {
      acc += size(data, data[4 * n + 1]!) + 1;
      n = data[4 * n + 2]!;
    } else n = data[4 * n + 1]!;
  }
  return acc;
}

/**
 * Number of keys `<= x` in the treap (expected O(log n)).
 *
 * @example
 * ```ts
 * const d = new Float64Array(8); const root = treeInsert(d, -1, 0, 3);
 * treeCountAtMost(d, root, 3);
 * // 1
 * ```
 */
export function treeCountAtMost(data: Float64Array, root: number, x: number): number {
  checkTree(data, root, 'treeCountAtMost');
  checkKey(x, 'treeCountAtMost');
  return countAtMost(data, root, x);
}

/** {@link treeCountAtMost} without the checks. */
export function countAtMost(data: Float64Array, root: number, x: number): number {
  let acc = 0;
  let n = root;
  while (n !== NONE) {
    if (data[4 * n]! <= x) {
      acc += size(data, data[4 * n + 1]!) + 1;
      n = data[4 * n + 2]!;
    } else n = data[4 * n + 1]!;
  }
  return acc;
}

// O(1) checks: a NaN key or root would make the descent loop forever (NaN !== NONE, data[NaN] is
// undefined); the links inside `data` are trusted, as the tree is only built by treeInsert.
function checkTree(data: Float64Array, root: number, where: string): void {
  if (!(data instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `data must be a Float64Array, got ${describeValue(data)}`);
  if (!(Number.isInteger(root) && root >= NONE && 4 * root + 3 < data.length)) {
    throw new DescentError('SHAPE_MISMATCH', where, `root must be -1 or a node index below ${data.length / 4}, got ${describeValue(root)}`);
  }
}

function checkKey(x: number, where: string): void {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new DescentError('NON_FINITE', where, `the key is ${describeValue(x)}`);
}
