import { DescentError } from './errors.js';
import type { Matrix } from './matrix.js';
import { assertArrayLike, assertMatrixStructure, assertVector, describeValue, MAX_ELEMENTS } from './validate.js';

/** One named block of a parameter vector: a scalar (`[]`), vector (`[n]`) or matrix (`[rows, cols]`). */
export interface Block {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The structure of a flat parameter vector: its blocks in storage order. */
export type Layout = readonly Block[];

/** A block with its place in the flat vector. */
export interface PlacedBlock extends Block {
  readonly offset: number;
  readonly size: number;
}

/**
 * Validates a layout and returns its blocks with offsets, in order. Names must be unique and
 * dimensions positive integers.
 *
 * @example
 * ```ts
 * placeBlocks([{ name: 'W', shape: [2, 3] }, { name: 'b', shape: [3] }])[1].offset;
 * // 6
 * ```
 */
export function placeBlocks(layout: Layout): PlacedBlock[] {
  const seen = new Set<string>();
  let offset = 0;
  const placed: PlacedBlock[] = [];
  if (!Array.isArray(layout)) throw new DescentError('INVALID_CONFIG', 'layout', `a layout must be an array of blocks, got ${describeValue(layout)}`);
  for (let i = 0; i < layout.length; i++) {
    const b = layout[i]!;
    if (b === null || typeof b !== 'object') throw new DescentError('INVALID_CONFIG', 'layout', `block ${i} is ${describeValue(b)}, not { name, shape }`);
    if (typeof b.name !== 'string' || b.name.length === 0) {
      throw new DescentError('INVALID_CONFIG', 'layout', `block ${i} has no name`);
    }
    if (seen.has(b.name)) throw new DescentError('INVALID_CONFIG', 'layout', `block name '${b.name}' appears twice`);
    seen.add(b.name);
    if (!Array.isArray(b.shape)) throw new DescentError('INVALID_CONFIG', 'layout', `block '${b.name}' has no shape array`);
    let size = 1;
    for (const d of b.shape) {
      if (!Number.isInteger(d) || d <= 0) {
        throw new DescentError('INVALID_CONFIG', 'layout', `block '${b.name}' has shape [${b.shape.join(', ')}]: dimensions must be positive integers`);
      }
      size *= d;
    }
    if (size > MAX_ELEMENTS || offset + size > MAX_ELEMENTS) {
      throw new DescentError('INVALID_CONFIG', 'layout', `block '${b.name}' takes the layout above the allocation limit of ${MAX_ELEMENTS} entries`);
    }
    placed.push({ name: b.name, shape: b.shape, offset, size });
    offset += size;
  }
  return placed;
}

/**
 * Total number of scalars a layout holds.
 *
 * @example
 * ```ts
 * layoutSize([{ name: 'W', shape: [2, 3] }, { name: 'b', shape: [3] }]);
 * // 9
 * ```
 */
export function layoutSize(layout: Layout): number {
  const placed = placeBlocks(layout);
  const last = placed[placed.length - 1];
  return last === undefined ? 0 : last.offset + last.size;
}

function find(layout: Layout, x: Float64Array, name: string, where: string): PlacedBlock {
  const placed = placeBlocks(layout);
  const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
  assertVector(x, where, 'x');
  if (x.length !== total) {
    throw new DescentError('SHAPE_MISMATCH', where, `vector has length ${x.length}, the layout holds ${total}`);
  }
  const b = placed.find((p) => p.name === name);
  if (b === undefined) throw new DescentError('INVALID_CONFIG', where, `no block named '${name}' in the layout`);
  return b;
}

/**
 * A zero-copy view of one block of `x`: writes through the view change `x`.
 *
 * @example
 * ```ts
 * blockView([{ name: 'a', shape: [1] }, { name: 'b', shape: [2] }], new Float64Array([1, 2, 3]), 'b');
 * // Float64Array [2, 3]
 * ```
 */
export function blockView(layout: Layout, x: Float64Array, name: string): Float64Array {
  const b = find(layout, x, name, 'blockView');
  return x.subarray(b.offset, b.offset + b.size);
}

/**
 * A zero-copy {@link Matrix} view of a 2-D block of `x`.
 *
 * @example
 * ```ts
 * matrixView([{ name: 'W', shape: [1, 2] }], new Float64Array([5, 6]), 'W').cols;
 * // 2
 * ```
 */
export function matrixView(layout: Layout, x: Float64Array, name: string): Matrix {
  const b = find(layout, x, name, 'matrixView');
  if (b.shape.length !== 2) {
    throw new DescentError('SHAPE_MISMATCH', 'matrixView', `block '${name}' has shape [${b.shape.join(', ')}], not a matrix`);
  }
  return { rows: b.shape[0]!, cols: b.shape[1]!, data: x.subarray(b.offset, b.offset + b.size) };
}

/**
 * Packs named blocks (typed arrays, plain arrays or matrices) into one new flat vector in layout
 * order. Every block must be given with the right number of entries.
 *
 * @example
 * ```ts
 * pack([{ name: 'a', shape: [2] }, { name: 'b', shape: [] }], { a: [1, 2], b: [3] });
 * // Float64Array [1, 2, 3]
 * ```
 */
export function pack(layout: Layout, blocks: Readonly<Record<string, ArrayLike<number> | Matrix>>): Float64Array {
  const placed = placeBlocks(layout);
  const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
  if (blocks === null || typeof blocks !== 'object') throw new DescentError('SHAPE_MISMATCH', 'pack', `blocks must be an object of arrays, got ${describeValue(blocks)}`);
  const x = new Float64Array(total);
  for (const b of placed) {
    const v = blocks[b.name];
    if (v === undefined) throw new DescentError('SHAPE_MISMATCH', 'pack', `block '${b.name}' is missing`);
    if (isMatrix(v)) assertMatrixStructure(v, 'pack', `block '${b.name}'`);
    else assertArrayLike(v, 'pack', `block '${b.name}'`);
    const src: ArrayLike<number> = isMatrix(v) ? v.data : v;
    if (src.length !== b.size) {
      throw new DescentError('SHAPE_MISMATCH', 'pack', `block '${b.name}' has ${src.length} entries, shape [${b.shape.join(', ')}] needs ${b.size}`);
    }
    for (let i = 0; i < b.size; i++) x[b.offset + i] = src[i]!;
  }
  for (const name of Object.keys(blocks)) {
    if (!placed.some((p) => p.name === name)) throw new DescentError('SHAPE_MISMATCH', 'pack', `block '${name}' is not in the layout`);
  }
  return x;
}

/**
 * Copies each block of `x` out into its own array (the inverse of {@link pack}).
 *
 * @example
 * ```ts
 * unpack([{ name: 'a', shape: [2] }, { name: 'b', shape: [] }], new Float64Array([1, 2, 3])).b;
 * // Float64Array [3]
 * ```
 */
export function unpack(layout: Layout, x: Float64Array): Record<string, Float64Array> {
  const placed = placeBlocks(layout);
  const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
  assertVector(x, 'unpack', 'x');
  if (x.length !== total) throw new DescentError('SHAPE_MISMATCH', 'unpack', `vector has length ${x.length}, the layout holds ${total}`);
  const out: Record<string, Float64Array> = {};
  for (const b of placed) out[b.name] = x.slice(b.offset, b.offset + b.size);
  return out;
}

function isMatrix(v: unknown): v is Matrix {
  return typeof v === 'object' && v !== null && 'data' in v && 'rows' in v && 'cols' in v;
}
