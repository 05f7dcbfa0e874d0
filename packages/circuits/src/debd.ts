import { describeValue, assertMatrixStructure, MAX_ELEMENTS, assertKnownKeys, DescentError, permutation, type Key, type Matrix } from '@descent/linalg';

/** The DEBD data sets shipped with this package (gzip-compressed under `data/`). */
export type DebdName = 'nltcs' | 'plants';
/** A split of a DEBD data set. */
export type DebdSplit = 'train' | 'valid' | 'test';

/**
 * Parses the DEBD text format (one sample a line, comma-separated 0/1 values) into a rows × cols
 * matrix. Blank lines are skipped; a line of another width or a non-binary value throws with its
 * line and column.
 *
 * @example
 * ```ts
 * parseDebd('0,1\n1,1\n').rows;
 * // 2
 * ```
 */
export function parseDebd(text: string): Matrix {
  if (typeof text !== 'string') throw new DescentError('INVALID_CONFIG', 'parseDebd', `text must be a string, got ${describeValue(text)}`);
  const lines = text.split('\n');
  let cols = -1;
  const values: number[] = [];
  let rows = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trim();
    if (line === '') continue;
    const parts = line.split(',');
    if (cols < 0) cols = parts.length;
    else if (parts.length !== cols) throw new DescentError('SHAPE_MISMATCH', 'parseDebd', `line ${li + 1} has ${parts.length} values, expected ${cols}`);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j]!.trim();
      if (p !== '0' && p !== '1') throw new DescentError('DOMAIN', 'parseDebd', `line ${li + 1}, column ${j}: ${JSON.stringify(p)} is not 0 or 1`);
      values.push(p === '1' ? 1 : 0);
    }
    rows++;
  }
  if (rows === 0) throw new DescentError('SHAPE_MISMATCH', 'parseDebd', 'no samples');
  return { rows, cols, data: Float64Array.from(values) };
}

interface NodeFiles {
  readFileSync(url: URL): Uint8Array;
  gunzipSync(data: Uint8Array): Uint8Array;
}

// node:fs and node:zlib are looked up at call time (process.getBuiltinModule, no static import), so
// the package's main entry bundles for browsers.
function nodeFiles(): NodeFiles | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as Pick<NodeFiles, 'readFileSync'> | undefined;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as Pick<NodeFiles, 'gunzipSync'> | undefined;
  return fs?.readFileSync && zlib?.gunzipSync ? { readFileSync: fs.readFileSync, gunzipSync: zlib.gunzipSync } : null;
}

/**
 * Loads a split of a DEBD data set shipped with the package (read with node:zlib from
 * `data/<name>.<split>.data.gz`). Node only: elsewhere it throws `INVALID_CONFIG`; fetch the file
 * yourself, gunzip it (`DecompressionStream('gzip')`) and pass the text to {@link parseDebd}.
 *
 * @example
 * ```ts
 * loadDebd('nltcs', 'train').cols;
 * // 16
 * ```
 */
export function loadDebd(name: DebdName, split: DebdSplit): Matrix {
  if (name !== 'nltcs' && name !== 'plants') throw new DescentError('INVALID_CONFIG', 'loadDebd', `unknown data set ${String(name)} (shipped: nltcs, plants)`);
  if (split !== 'train' && split !== 'valid' && split !== 'test') throw new DescentError('INVALID_CONFIG', 'loadDebd', `unknown split ${String(split)}`);
  const node = nodeFiles();
  if (node === null) {
    throw new DescentError('INVALID_CONFIG', 'loadDebd', 'reading the shipped data needs Node (node:fs, node:zlib); elsewhere fetch and gunzip the file and call parseDebd');
  }
  const url = new URL(`../data/${name}.${split}.data.gz`, import.meta.url);
  return parseDebd(new TextDecoder().decode(node.gunzipSync(node.readFileSync(url))));
}

/**
 * The row indices of one epoch's mini-batches: a permutation drawn from key `k` (null: in order)
 * (pass `foldIn(k, epoch)` for a fresh order per epoch), cut into batches of `batchSize` (the last
 * one smaller unless `dropLast`). Pass a batch as `rows` to `batchStatistics` (no copy) or to
 * {@link gatherRows}.
 *
 * @example
 * ```ts
 * epochBatches(5, 2, key(0)).map((b) => b.length);
 * // [2, 2, 1]
 * ```
 */
export function epochBatches(numRows: number, batchSize: number, k: Key | null, options: { dropLast?: boolean } = {}): Int32Array[] {
  assertKnownKeys(options, ['dropLast'], 'epochBatches', 'options');
  if (!Number.isInteger(numRows) || numRows < 0) throw new DescentError('INVALID_CONFIG', 'epochBatches', `numRows = ${numRows} must be a non-negative integer`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DescentError('INVALID_CONFIG', 'epochBatches', `batchSize = ${batchSize} must be a positive integer`);
  const order = k === null ? Int32Array.from({ length: numRows }, (_, i) => i) : permutation(k, numRows);
  const out: Int32Array[] = [];
  for (let s = 0; s < numRows; s += batchSize) {
    if (options.dropLast && s + batchSize > numRows) break;
    out.push(order.subarray(s, Math.min(numRows, s + batchSize)));
  }
  return out;
}

/**
 * Copies the given rows of a matrix into a new matrix (a mini-batch); a `CategoricalData` keeps its
 * cardinalities.
 *
 * @example
 * ```ts
 * gatherRows(fromRows([[1, 2], [3, 4]]), new Int32Array([1])).data;
 * // Float64Array [3, 4]
 * ```
 */
export function gatherRows(data: Matrix, rows: Int32Array): Matrix {
  assertMatrixStructure(data, 'gatherRows', 'data');
  if (!(rows instanceof Int32Array)) throw new DescentError('INVALID_CONFIG', 'gatherRows', `rows must be an Int32Array, got ${describeValue(rows)}`);
  if (rows.length * data.cols > MAX_ELEMENTS) throw new DescentError('INVALID_CONFIG', 'gatherRows', `rows × cols = ${rows.length * data.cols} is above the allocation limit of ${MAX_ELEMENTS}`);
  const out = new Float64Array(rows.length * data.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < data.rows)) throw new DescentError('INVALID_CONFIG', 'gatherRows', `row ${r} is not in [0, ${data.rows})`);
    out.set(data.data.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols);
  }
  const cards = (data as { cardinalities?: Int32Array }).cardinalities;
  // A categorical data set's rows stay categorical (same cardinalities).
  return cards !== undefined ? { rows: rows.length, cols: data.cols, data: out, cardinalities: cards } as Matrix : { rows: rows.length, cols: data.cols, data: out };
}
