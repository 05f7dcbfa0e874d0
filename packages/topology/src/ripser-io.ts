import { describeValue, assertKnownKeys, closestKey, configKeys, DescentError } from '@descent/linalg';
import { formatG } from './internal/format-g.js';
import { enclosingRadiusOfLower, type MetricInput, type PreparedDistances } from './metric-input.js';
import { ripsPairsInOrder } from './rips.js';
import { DenseKernel, registerKernelMatrix, ripsWasmModule } from './internal/rips-wasm.js';

/**
 * The text formats of the `ripser` command-line tool (`--format`):
 *
 * - `point-cloud`: one point per line, coordinates separated by a comma or whitespace;
 * - `lower-distance`: the lower triangle row by row, D(1,0), D(2,0), D(2,1), … (any separators);
 * - `upper-distance`: the upper triangle row by row, D(0,1), D(0,2), …, D(1,2), …;
 * - `distance`: the full matrix, one row per line (only the part below the diagonal is read);
 * - `sparse`: one edge `i j d` per line (0-based vertices; lines with i = j are ignored);
 * - `binary` (bytes): the lower triangle as little-endian float32 values, in `lower-distance` order. A file
 *   of n(n−1)/2 values is read as written. ripser 1.2.1's reader appends a 0 after the last value (its
 *   end-of-file test comes after a read that fails), so it aborts on such a file and reads a file one
 *   value short as having D(n−1, n−2) = 0: a file of n(n−1)/2 − 1 values is read that way here too, so
 *   both tools print the same for it (an empty file is one point, not ripser's two). Trailing bytes
 *   short of a whole value are ignored, as by ripser;
 * - `dipha` (bytes): a DIPHA distance matrix: little-endian int64 magic number 8067171840, int64 file
 *   type 7, int64 n, then n·n float64 values row by row, of which only the part below the diagonal is
 *   read (like ripser). A file shorter than that is `SHAPE_MISMATCH` (ripser reads the missing values
 *   as 0).
 *
 * Text formats take a string (a `Uint8Array` is read as Latin-1, one character per byte, as ripser reads
 * bytes); the binary formats take the file's bytes.
 *
 * @example
 * ```ts
 * const f: RipserFormat = 'lower-distance';
 * parseRipserInput('1\n2 1\n', f).n;
 * // 3
 * ```
 */
export type RipserFormat = 'point-cloud' | 'lower-distance' | 'upper-distance' | 'distance' | 'sparse' | 'binary' | 'dipha';

const FORMATS: readonly RipserFormat[] = ['point-cloud', 'lower-distance', 'upper-distance', 'distance', 'sparse', 'binary', 'dipha'];
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
// C's isspace in the "C" locale (JavaScript's \s also skips no-break spaces and byte-order marks)
const SPACE = /[ \t\n\v\f\r]*/y;
const DIPHA_MAGIC = 8067171840n;

/** Bytes as a string of one character per byte (Latin-1), the way ripser's streams see a text file. */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
  return s;
}

/** ripser's `--format binary`: little-endian float32 lower triangle (see {@link RipserFormat}). */
function readBinary(bytes: Uint8Array, where: string): MetricInput {
  const m = bytes.length >>> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const side = (k: number) => {
    const n = Math.round((1 + Math.sqrt(1 + 8 * k)) / 2);
    return (n * (n - 1)) / 2 === k ? n : -1;
  };
  let n = side(m);
  // one value short: ripser's reader supplies a final 0
  const oneShort = n < 0 && side(m + 1) > 0;
  if (oneShort) n = side(m + 1);
  if (n < 0) throw new DescentError('SHAPE_MISMATCH', where, `a binary lower triangle has n(n−1)/2 float32 values (or one fewer), got ${m}`);
  const data = new Float64Array(oneShort ? m + 1 : m);
  for (let k = 0; k < m; k++) data[k] = view.getFloat32(4 * k, true);
  return { kind: 'lower', n, data };
}

/** ripser's `--format dipha`: a DIPHA distance matrix, the part below the diagonal. */
function readDipha(bytes: Uint8Array, where: string): MetricInput {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getBigInt64(0, true) !== DIPHA_MAGIC) throw new DescentError('INVALID_CONFIG', where, 'input is not a Dipha file (magic number: 8067171840)');
  if (bytes.length < 16 || view.getBigInt64(8, true) !== 7n) throw new DescentError('INVALID_CONFIG', where, 'input is not a Dipha distance matrix (file type: 7)');
  const big = bytes.length < 24 ? -1n : view.getBigInt64(16, true);
  const n = Number(big);
  if (big < 0n || 24 + 8 * n * n > bytes.length) {
    throw new DescentError('SHAPE_MISMATCH', where, `a Dipha distance matrix of n = ${big < 0n ? '?' : String(big)} needs 24 + 8n² bytes, the input has ${bytes.length}`);
  }
  const data = new Float64Array((n * (n - 1)) / 2);
  for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) data[k] = view.getFloat64(24 + 8 * (i * n + j), true);
  return { kind: 'lower', n, data };
}

/**
 * Reads numbers the way ripser's `while (s >> value) s.ignore();` does: skip whitespace, read a number,
 * skip one character; stop at the first thing that is not a number.
 */
function scan(text: string, out: number[], max = Infinity): void {
  let pos = 0;
  let count = 0;
  while (count < max) {
    if (pos >= text.length) return;
    SPACE.lastIndex = pos;
    if (SPACE.exec(text) === null) return;
    NUMBER.lastIndex = SPACE.lastIndex;
    const m = NUMBER.exec(text);
    if (!m) return;
    out.push(Number(m[0]));
    count++;
    pos = NUMBER.lastIndex + 1;
  }
}

function triangleSide(m: number, where: string, what: string): number {
  const n = Math.round((1 + Math.sqrt(1 + 8 * m)) / 2);
  if ((n * (n - 1)) / 2 !== m) throw new DescentError('SHAPE_MISMATCH', where, `${what} has ${m} entries, not n(n−1)/2 for any n`);
  return n;
}

/**
 * Parses ripser's input formats (see {@link RipserFormat}) into a {@link MetricInput}: `points` for a
 * point cloud, `lower` for the matrix formats (text, binary, DIPHA), `graph` for sparse triplets. Text
 * formats take a string (or its bytes), `binary` and `dipha` the file's bytes. Values are kept as
 * written (doubles); `ripsPersistence(x, { float32: true })` rounds them like the ripser CLI.
 *
 * @example
 * ```ts
 * const x = parseRipserInput('0,0\n1,0\n0,1\n', 'point-cloud');
 * const b = parseRipserInput(new Uint8Array(new Float32Array([1, 2, 1]).buffer), 'binary'); // little-endian hosts
 * [x.kind, x.n, b.kind, b.n];
 * // ['points', 3, 'lower', 3]
 * ```
 */
export function parseRipserInput(input: string | Uint8Array, format: RipserFormat): MetricInput {
  const where = 'parseRipserInput';
  if (format === 'binary' || format === 'dipha') {
    if (!(input instanceof Uint8Array)) throw new DescentError('INVALID_CONFIG', where, `format ${format} reads bytes: input must be a Uint8Array`);
    return format === 'binary' ? readBinary(input, where) : readDipha(input, where);
  }
  const text = input instanceof Uint8Array ? latin1(input) : input;
  if (typeof text !== 'string') throw new DescentError('INVALID_CONFIG', where, 'input must be a string or a Uint8Array');
  switch (format) {
    case 'point-cloud': {
      const rows: number[][] = [];
      for (const line of text.split('\n')) {
        const p: number[] = [];
        scan(line, p);
        if (p.length > 0) rows.push(p);
      }
      const n = rows.length;
      const d = n > 0 ? rows[0]!.length : 1;
      const data = new Float64Array(n * d);
      rows.forEach((p, i) => {
        if (p.length !== d) throw new DescentError('SHAPE_MISMATCH', where, `point ${i} has ${p.length} coordinates, point 0 has ${d}`);
        data.set(p, i * d);
      });
      return { kind: 'points', n, d, data };
    }
    case 'lower-distance': {
      const v: number[] = [];
      scan(text, v);
      const n = triangleSide(v.length, where, 'the lower triangle');
      return { kind: 'lower', n, data: Float64Array.from(v) };
    }
    case 'upper-distance': {
      const v: number[] = [];
      scan(text, v);
      const n = triangleSide(v.length, where, 'the upper triangle');
      const data = new Float64Array(v.length);
      // upper row i holds D(i, i+1..n−1) from offset i·n − i(i+1)/2 − i − 1 + j
      for (let i = 1, k = 0; i < n; i++) for (let j = 0; j < i; j++, k++) data[k] = v[j * n - (j * (j + 1)) / 2 + (i - j - 1)]!;
      return { kind: 'lower', n, data };
    }
    case 'distance': {
      const v: number[] = [];
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) scan(lines[i]!, v, i);
      const n = triangleSide(v.length, where, 'the part below the diagonal');
      return { kind: 'lower', n, data: Float64Array.from(v) };
    }
    case 'sparse': {
      const ei: number[] = [];
      const ej: number[] = [];
      const w: number[] = [];
      let n = 0;
      for (const line of text.split('\n')) {
        const t = line.trim().split(/\s+/);
        if (t.length < 3 || t[0] === '') continue;
        const i = Number(t[0]);
        const j = Number(t[1]);
        const d = Number(t[2]);
        if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || Number.isNaN(d)) {
          throw new DescentError('INVALID_CONFIG', where, `sparse line "${line}" is not "i j d" with vertices ≥ 0`);
        }
        if (i === j) continue;
        n = Math.max(n, i + 1, j + 1);
        ei.push(i);
        ej.push(j);
        w.push(d);
      }
      return { kind: 'graph', n, i: Int32Array.from(ei), j: Int32Array.from(ej), w: Float64Array.from(w) };
    }
    default:
      throw new DescentError('INVALID_CONFIG', where, `format must be one of ${FORMATS.join(', ')}, got ${String(format)}`);
  }
}

/**
 * Options of {@link ripserOutput}: the ripser CLI's flags.
 *
 * @example
 * ```ts
 * const o: RipserOptions = { format: 'point-cloud', dim: 2, threshold: 1.5 };
 * o.dim;
 * // 2
 * ```
 */
export interface RipserOptions {
  /** Input format (default `'distance'`, ripser's actual default). */
  format?: RipserFormat;
  /** `--dim`: highest homology dimension (default 1). */
  dim?: number;
  /** `--threshold`: largest diameter (default: the enclosing radius for dense input). */
  threshold?: number;
  /** `--ratio`: print only pairs with death > ratio · birth in dimensions ≥ 1 (default 1). */
  ratio?: number;
  /** `--modulus`: prime coefficient field Z/p (default 2). */
  modulus?: number;
  /** `--engine`: `ripsPersistence`'s `engine` (default `'auto'`: the WebAssembly kernel where available). */
  engine?: 'auto' | 'wasm' | 'js';
}

const FLT_MAX = 3.4028234663852886e38;
/** The engine keeps a full n×n matrix up to this n (a lower triangle beyond). */
const DENSE_MAX = 4096;

/** Distances of a point cloud in float32 arithmetic, as ripser computes them (lower triangle). */
function float32PointDistances(data: Float64Array, n: number, d: number): Float64Array {
  const f = Math.fround;
  const x = Float64Array.from(data, f);
  const lower = new Float64Array((n * (n - 1)) / 2);
  for (let i = 1, k = 0; i < n; i++) {
    for (let j = 0; j < i; j++, k++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = f(x[i * d + c]! - x[j * d + c]!);
        s = f(s + f(t * t));
      }
      lower[k] = f(Math.sqrt(s));
    }
  }
  return lower;
}

/**
 * The same distances straight into a symmetric n×n float32 matrix (the engine's dense storage), so no
 * float64 triangle is ever allocated: D(i, j) for i > j, computed as x_i − x_j like ripser, copied to (j, i).
 */
function float32PointMatrix(data: Float64Array, n: number, d: number): Float32Array {
  const f = Math.fround;
  const x = Float32Array.from(data);
  const full = new Float32Array(n * n);
  for (let i = 1; i < n; i++) {
    const xi = i * d;
    for (let j = 0; j < i; j++) {
      const xj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = f(x[xi + c]! - x[xj + c]!);
        s = f(s + f(t * t));
      }
      const v = f(Math.sqrt(s));
      full[i * n + j] = v;
      full[j * n + i] = v;
    }
  }
  return full;
}

/** A lower triangle, rounded to float32, as a symmetric n×n float32 matrix (−0 kept, as ripser keeps it). */
function float32Matrix(lower: Float64Array, n: number): Float32Array {
  return fillSymmetric(new Float32Array(n * n), lower, n);
}

/** Writes a lower triangle into both halves of a zeroed n×n matrix (float32 storage rounds). */
function fillSymmetric(full: Float32Array, lower: Float64Array, n: number): Float32Array {
  for (let i = 1, k = 0; i < n; i++) {
    for (let j = 0; j < i; j++, k++) {
      const v = lower[k]!;
      full[i * n + j] = v;
      full[j * n + i] = v;
    }
  }
  return full;
}

interface DenseStats {
  min: number;
  maxFinite: number;
  edges: number;
  enclosing: number;
}

/** Range, edge count (≤ t) and enclosing radius of a lower triangle; DOMAIN on a negative or NaN entry. */
function lowerStats(lower: Float64Array, n: number, t: number): DenseStats {
  let min = Infinity;
  let maxFinite = -Infinity;
  let edges = 0;
  for (let k = 0; k < lower.length; k++) {
    const d = lower[k]!;
    if (!(d >= 0)) throw new DescentError('DOMAIN', 'ripserOutput', `distances must be ≥ 0, entry ${k} of the lower triangle is ${d}`);
    if (d < min) min = d;
    if (d !== Infinity && d > maxFinite) maxFinite = d;
    if (d <= t) edges++;
  }
  return { min, maxFinite, edges, enclosing: n <= 1 ? 0 : enclosingRadiusOfLower(lower, n) };
}

/** The same from the symmetric float32 matrix, in one pass over its rows. */
function fullStats(full: Float32Array, n: number, t: number): DenseStats {
  let min = Infinity;
  let maxFinite = -Infinity;
  let edges = 0;
  let enclosing = n <= 1 ? 0 : Infinity;
  for (let i = 0, row = 0; i < n; i++, row += n) {
    let rowMax = 0;
    for (let j = 0; j < n; j++) {
      const d = full[row + j]!;
      if (d > rowMax) rowMax = d;
      if (j >= i) continue;
      if (!(d >= 0)) {
        const k = (i * (i - 1)) / 2 + j;
        throw new DescentError('DOMAIN', 'ripserOutput', `distances must be ≥ 0, entry ${k} of the lower triangle is ${d}`);
      }
      if (d < min) min = d;
      if (d !== Infinity && d > maxFinite) maxFinite = d;
      if (d <= t) edges++;
    }
    if (rowMax < enclosing) enclosing = rowMax;
  }
  return { min, maxFinite, edges, enclosing };
}

/** ripser's header lines for a dense matrix; returns the threshold it runs with (the enclosing radius by default). */
function denseHeader(s: DenseStats, n: number, t: number, hasThreshold: boolean, out: string[]): number {
  out.push(`value range: [${formatG(s.min)},${formatG(s.maxFinite)}]`);
  if (hasThreshold) {
    // ripser prints (n·n − 1)/2 here (integer division), not n(n − 1)/2
    out.push(`sparse distance matrix with ${n} points and ${s.edges}/${Math.floor((n * n - 1) / 2)} entries`);
    return t;
  }
  out.push(`distance matrix with ${n} points, using threshold at enclosing radius ${formatG(s.enclosing)}`);
  return s.enclosing;
}

/**
 * What the `ripser` command-line tool (Ripser 1.2.1) prints for an input file, byte for byte: the
 * header lines, then `persistence intervals in dim k:` and one ` [birth,death)` line per bar in ripser's
 * order, numbers in C's `%g` format. Computes in float32 like ripser (coordinates, distances, threshold
 * and ratio are rounded to float, point-cloud distances use float arithmetic). `descent-ripser`, this
 * package's command-line tool, prints it.
 *
 * @example
 * ```ts
 * ripserOutput('0,0\n1,0\n1,1\n0,1\n', { format: 'point-cloud' }).split('\n').slice(-3);
 * // ['persistence intervals in dim 1:', ' [1,1.41421)', '']
 * ```
 */
export function ripserOutput(file: string | Uint8Array, o: RipserOptions = {}): string {
  const where = 'ripserOutput';
  assertKnownKeys(o, configKeys<RipserOptions>()('format', 'dim', 'threshold', 'ratio', 'modulus', 'engine'), where, 'options');
  const format = o.format ?? 'distance';
  const dim = o.dim ?? 1;
  if (!Number.isInteger(dim) || dim < 0) throw new DescentError('INVALID_CONFIG', where, `dim must be a non-negative integer, got ${String(dim)}`);
  const ratio = Math.fround(o.ratio ?? 1);
  const t = o.threshold === undefined ? FLT_MAX : Math.fround(o.threshold);
  if (Number.isNaN(t)) throw new DescentError('INVALID_CONFIG', where, 'threshold is NaN');
  const hasThreshold = t < FLT_MAX;
  const engine = o.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'wasm' && engine !== 'js') throw new DescentError('INVALID_CONFIG', where, `engine must be 'auto', 'wasm' or 'js', got ${describeValue(o.engine)}`);
  const x = parseRipserInput(file, format);
  const out: string[] = [];
  let input: MetricInput | PreparedDistances;
  let threshold = t;
  if (x.kind === 'graph') {
    const w = Float64Array.from(x.w, Math.fround);
    input = { ...x, w };
    out.push(`sparse distance matrix with ${x.n} points and ${w.length}/${(x.n * (x.n - 1)) / 2} entries`);
  } else {
    if (x.kind === 'points') out.push(`point cloud with ${x.n} points in dimension ${x.n > 0 ? x.d : 0}`);
    // The float32 matrix is handed over without a copy (ripsPairsInOrder takes it from `prepared`): up
    // to the engine's dense limit as the full n×n matrix it reduces on, beyond it as a lower triangle.
    const n = x.n;
    const needHeader = !(x.kind === 'points' && hasThreshold);
    let prepared: PreparedDistances;
    let stats: DenseStats | undefined;
    const wasm = n <= DENSE_MAX && engine !== 'js' ? ripsWasmModule() : undefined;
    if (wasm) {
      // distances, stats and the reduction in the WebAssembly kernel's memory (no copy of the matrix)
      const kernel = new DenseKernel(wasm, n, true);
      if (x.kind === 'points') kernel.pointMatrix(x.data, x.d);
      else fillSymmetric(kernel.matrix() as Float32Array, x.data, n);
      if (needHeader) {
        const s = kernel.stats(t);
        if (s.bad >= 0) {
          const i = Math.floor(s.bad / n);
          const j = s.bad - i * n;
          throw new DescentError('DOMAIN', 'ripserOutput', `distances must be ≥ 0, entry ${(i * (i - 1)) / 2 + j} of the lower triangle is ${kernel.matrix()[s.bad]!}`);
        }
        stats = { min: s.min, maxFinite: s.maxFinite, edges: s.edges, enclosing: s.enclosing };
      }
      const full32 = kernel.matrix() as Float32Array;
      registerKernelMatrix(full32, kernel);
      prepared = { n, full32 };
    } else if (n <= DENSE_MAX) {
      const full32 = x.kind === 'points' ? float32PointMatrix(x.data, n, x.d) : float32Matrix(x.data, n);
      if (needHeader) stats = fullStats(full32, n, t);
      prepared = { n, full32 };
    } else {
      const lower = x.kind === 'points' ? float32PointDistances(x.data, n, x.d) : Float64Array.from(x.data, Math.fround);
      if (needHeader) stats = lowerStats(lower, n, t);
      prepared = { n, lower };
    }
    if (stats) {
      threshold = denseHeader(stats, n, t, hasThreshold, out);
      prepared.enclosing = stats.enclosing;
    }
    input = prepared;
  }
  const n = x.n;
  const top = Math.min(dim, n - 2);
  const opts = { maxDim: Math.max(0, top), threshold: threshold >= FLT_MAX ? Infinity : threshold, check: true, engine, ...(o.modulus !== undefined ? { modulus: o.modulus } : {}) };
  const { birth, death } = ripsPairsInOrder(input, opts, where);
  out.push('persistence intervals in dim 0:');
  const b0 = birth[0]!;
  const d0 = death[0]!;
  for (let q = 0; q < b0.length; q++) out.push(d0[q] === Infinity ? ' [0, )' : ` [0,${formatG(d0[q]!)})`);
  for (let k = 1; k <= top; k++) {
    out.push(`persistence intervals in dim ${k}:`);
    const b = birth[k]!;
    const d = death[k]!;
    for (let q = 0; q < b.length; q++) {
      if (d[q] === Infinity) out.push(` [${formatG(b[q]!)}, )`);
      else if (d[q]! > Math.fround(b[q]! * ratio)) out.push(` [${formatG(b[q]!)},${formatG(d[q]!)})`);
    }
  }
  return out.join('\n') + '\n';
}

/** ripser's `--format` names, matched by prefix like ripser (`lower…`, `upper…`, `dist…`, `point…`; `sparse`, `binary`, `dipha` exactly). */
function formatOf(s: string | undefined, where: string): RipserFormat {
  if (s === undefined) throw new DescentError('INVALID_CONFIG', where, '--format needs a value');
  if (s.startsWith('lower')) return 'lower-distance';
  if (s.startsWith('upper')) return 'upper-distance';
  if (s.startsWith('dist')) return 'distance';
  if (s.startsWith('point')) return 'point-cloud';
  if (s === 'sparse') return 'sparse';
  if (s === 'binary') return 'binary';
  if (s === 'dipha') return 'dipha';
  throw new DescentError('INVALID_CONFIG', where, `unknown --format ${s}`);
}

const FLAGS = ['--help', '--dim', '--threshold', '--ratio', '--modulus', '--format', '--engine'];

function numberArg(flag: string, s: string | undefined, integer: boolean, where: string): number {
  if (s === undefined || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    throw new DescentError('INVALID_CONFIG', where, `${flag} needs a number, got ${String(s)}`);
  }
  const v = Number(s);
  if (integer && !Number.isInteger(v)) throw new DescentError('INVALID_CONFIG', where, `${flag} needs an integer, got ${s}`);
  return v;
}

/**
 * Parses ripser's command-line arguments (`--format`, `--dim`, `--threshold`, `--ratio`, `--modulus`,
 * `--help`, one optional file name; and `--engine auto | wasm | js`, which ripser lacks) into {@link RipserOptions}; `INVALID_CONFIG` on anything else.
 *
 * @example
 * ```ts
 * const a = parseRipserArgs(['--format', 'point', '--dim', '2', 'cloud.txt']);
 * [a.options.format, a.options.dim, a.file, a.help];
 * // ['point-cloud', 2, 'cloud.txt', false]
 * ```
 */
export function parseRipserArgs(args: readonly string[]): { options: RipserOptions; file?: string; help: boolean } {
  const where = 'parseRipserArgs';
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new DescentError('INVALID_CONFIG', where, `args must be an array of strings, got ${describeValue(args)}`);
  }
  const options: RipserOptions = {};
  let file: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help') help = true;
    else if (a === '--dim') options.dim = numberArg(a, args[++i], true, where);
    else if (a === '--threshold') options.threshold = numberArg(a, args[++i], false, where);
    else if (a === '--ratio') options.ratio = numberArg(a, args[++i], false, where);
    else if (a === '--modulus') options.modulus = numberArg(a, args[++i], true, where);
    else if (a === '--format') options.format = formatOf(args[++i], where);
    else if (a === '--engine') {
      const e = args[++i];
      if (e !== 'auto' && e !== 'wasm' && e !== 'js') throw new DescentError('INVALID_CONFIG', where, `--engine must be auto, wasm or js, got ${String(e)}`);
      options.engine = e;
    }
    else if (a.startsWith('--')) throw new DescentError('INVALID_CONFIG', where, `unknown option ${a} (did you mean \`${closestKey(a, FLAGS)}\`?)`);
    else if (file !== undefined) throw new DescentError('INVALID_CONFIG', where, `more than one file name: ${file}, ${a}`);
    else file = a;
  }
  return file === undefined ? { options, help } : { options, file, help };
}
