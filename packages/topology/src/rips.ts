import { describeValue, assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { canonicalOrder, permute, type Diagram } from './diagram.js';
import { EntryHeap } from './internal/heap.js';
import { F64Vec, U16Vec } from './internal/growable.js';
import { PivotMap } from './internal/pivot-map.js';
import { radixByKeys, sortFiltrationOrder } from './internal/sort.js';
import { enclosingRadiusOfFull, enclosingRadiusOfLower, fullToSparse, lowerToSparse, prepareDistances, type MetricInput, type PreparedDistances } from './metric-input.js';
import { findRoot } from './internal/union-find.js';
import { DenseKernel, kernelOfMatrix, ripsWasmModule } from './internal/rips-wasm.js';

/**
 * A representative cocycle: `m` simplices of dimension `dim` (vertex lists, (dim+1)·m) with coefficients.
 *
 * @example
 * ```ts
 * const r = ripsPersistence({ kind: 'points', n: 4, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]) }, { cocycles: true });
 * r.cocycles[1][0].simplices.length % 2;
 * // 0
 * ```
 */
export interface Cocycle {
  readonly simplices: Int32Array;
  readonly coeffs: Uint16Array;
}

/**
 * Options of {@link ripsPersistence}.
 *
 * @example
 * ```ts
 * const o: RipsOptions = { maxDim: 2, threshold: 0.5, modulus: 3 };
 * o.modulus;
 * // 3
 * ```
 */
export interface RipsOptions {
  /**
   * Highest homology dimension (default 1). Effective: min(maxDim, n − 2). Any dimension works as long as
   * the simplex indices fit: C(n, maxDim + 2) ≤ 2^53 (`INVALID_CONFIG` otherwise).
   */
  maxDim?: number;
  /** Largest diameter in the filtration (default: the enclosing radius for dense input, +∞ for graphs). */
  threshold?: number;
  /** Prime coefficient field Z/p, p < 2^16 (default 2). */
  modulus?: number;
  /** Keep pairs with death > ratio·birth in dimensions ≥ 1 (default 1). */
  ratio?: number;
  /** Also report zero-length pairs (disables the apparent/emergent-pair shortcuts; slower). */
  keepZero?: boolean;
  /** Return a representative cocycle for every bar in dimensions ≥ 1. */
  cocycles?: boolean;
  /** Return flag generators: per bar, the vertices of the edges realising birth and death. */
  generators?: boolean;
  /** Store distances as float32 values (`Math.fround`), as the ripser CLI does. */
  float32?: boolean;
  /** Force (true) or forbid (false) the sparse neighbour-list engine; default: sparse when < 1/4 of the edges are ≤ threshold. */
  sparse?: boolean;
  /** Validate inputs (NaN, symmetry, signs); default true. */
  check?: boolean;
  /** Called every 1024 columns while reducing. */
  onProgress?: (p: { dim: number; column: number; of: number }) => void;
  /**
   * Which code reduces dense input (default `'auto'`). `'wasm'`: the WebAssembly kernel computes the edge
   * order, H0 and the H1 reduction of a dense input (n ≤ 4096, not run sparse) when no cocycles,
   * generators or progress calls are asked for; everything else (sparse and graph input, dimensions ≥ 2,
   * those options) runs in JS. `'auto'`: the same where WebAssembly compiles, else JS. `'js'`: JS only.
   * The diagrams are identical (`stats.engine` tells which ran); `'wasm'` is `INVALID_CONFIG` where
   * WebAssembly is unavailable. On a browser's main thread, await `initRipsWasm()` once first: it may
   * refuse to compile the kernel synchronously.
   */
  engine?: 'auto' | 'wasm' | 'js';
}

/**
 * Counters of the computation (per dimension ≥ 1 for the column counters).
 *
 * @example
 * ```ts
 * ripsPersistence({ kind: 'lower', n: 3, data: new Float64Array([1, 2, 1]) }).stats.enclosingRadius;
 * // 1
 * ```
 */
export interface RipsStats {
  n: number;
  /** The threshold used (+∞ when none applies). */
  threshold: number;
  enclosingRadius: number;
  numEdges: number;
  /** Whether the sparse engine ran. */
  sparse: boolean;
  /** `'wasm'` when the WebAssembly kernel reduced dimensions 0 and 1, else `'js'`. */
  engine: 'wasm' | 'js';
  /** Columns reduced, per dimension (index = dimension; entry 0 unused). */
  columns: number[];
  /** Simplices skipped as zero-persistence apparent pairs, per dimension. */
  apparent: number[];
  /** Columns finished by the emergent-pair shortcut, per dimension. */
  emergent: number[];
  /** Column additions performed, per dimension. */
  additions: number[];
}

/**
 * The output of {@link ripsPersistence}. Bars are in canonical order (birth, then death, ascending).
 *
 * @example
 * ```ts
 * ripsPersistence({ kind: 'lower', n: 3, data: new Float64Array([1, 2, 1]) }).diagrams.length;
 * // 2
 * ```
 */
export interface PersistenceResult {
  /** `diagrams[k]` is H_k, k = 0..maxDim. */
  diagrams: Diagram[];
  /** `cocycles[k][b]` represents bar b of H_k (k ≥ 1; `cocycles[0]` is empty). */
  cocycles?: Cocycle[][];
  /**
   * `generators[k]`: per bar of H_k, vertex indices. k = 0: 3 per bar (birth vertex, death edge u, v; −1 for
   * essential bars). k ≥ 1: 4 per bar (birth edge a, b; death edge c, d; −1 for essential bars).
   */
  generators?: Int32Array[];
  stats: RipsStats;
}

/**
 * The enclosing radius min_i max_j D(i, j) of a dense input (+∞ for graph input): beyond it the
 * Rips complex is a cone, so every finite bar has died.
 *
 * @example
 * ```ts
 * enclosingRadius({ kind: 'lower', n: 3, data: new Float64Array([1, 2, 1]) });
 * // 1
 * ```
 */
export function enclosingRadius(x: MetricInput): number {
  const prepared = prepareDistances(x, 'enclosingRadius');
  if (!prepared.lower) return Infinity;
  return enclosingRadiusOfLower(prepared.lower, prepared.n);
}

function isPrime(p: number): boolean {
  if (!Number.isInteger(p) || p < 2) return false;
  for (let d = 2; d * d <= p; d++) if (p % d === 0) return false;
  return true;
}

const RIPS_KEYS = configKeys<RipsOptions>()('maxDim', 'threshold', 'modulus', 'ratio', 'keepZero', 'cocycles', 'generators', 'float32', 'sparse', 'check', 'onProgress', 'engine');

function makeEngine(x: MetricInput | undefined, o: RipsOptions, where: string, given?: PreparedDistances): RipsEngine {
  assertKnownKeys(o, RIPS_KEYS, where, 'options');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new DescentError('INVALID_CONFIG', where, `onProgress must be a function, got ${describeValue(o.onProgress)}`);
  const maxDim = o.maxDim ?? 1;
  if (!Number.isSafeInteger(maxDim) || maxDim < 0) {
    throw new DescentError('INVALID_CONFIG', where, `maxDim must be a non-negative integer, got ${String(maxDim)}`);
  }
  const engineOpt = o.engine ?? 'auto';
  if (engineOpt !== 'auto' && engineOpt !== 'wasm' && engineOpt !== 'js') throw new DescentError('INVALID_CONFIG', where, `engine must be 'auto', 'wasm' or 'js', got ${describeValue(o.engine)}`);
  const wasmModule = engineOpt === 'js' ? undefined : ripsWasmModule();
  if (engineOpt === 'wasm' && wasmModule === undefined) throw new DescentError('INVALID_CONFIG', where, "engine 'wasm': WebAssembly is not available here");
  // The kernel has no cocycles, generators or progress calls.
  const kernelOk = wasmModule !== undefined && o.cocycles !== true && o.generators !== true && o.onProgress === undefined;
  const modulus = o.modulus ?? 2;
  if (typeof modulus !== 'number' || modulus >= 65536 || !isPrime(modulus)) throw new DescentError('INVALID_CONFIG', where, `modulus must be a prime < 65536, got ${String(modulus)}`);
  const ratio = o.ratio ?? 1;
  if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new DescentError('INVALID_CONFIG', where, `ratio must be a finite number ≥ 1, got ${String(ratio)}`);
  if (o.threshold !== undefined) {
    if (typeof o.threshold !== 'number' || Number.isNaN(o.threshold)) throw new DescentError('INVALID_CONFIG', where, `threshold must be a number, got ${String(o.threshold)}`);
    if (x?.kind !== 'graph' && o.threshold < 0) throw new DescentError('INVALID_CONFIG', where, `threshold must be ≥ 0, got ${o.threshold}`);
  }
  const prepared = given ?? prepareDistances(x!, where, { float32: o.float32 === true, check: o.check !== false });
  const n = prepared.n;
  let renc = Infinity;
  let threshold = o.threshold ?? Infinity;
  let dist = prepared;
  let numEdges = 0;
  let kernel: DenseKernel | undefined;
  if (prepared.full32) {
    const full = prepared.full32;
    const owner = kernelOfMatrix(full);
    renc = prepared.enclosing ?? (owner ? owner.stats(Infinity).enclosing : enclosingRadiusOfFull(full, n));
    if (renc < threshold) threshold = renc;
    const tInt = Number.isFinite(threshold) ? threshold : Number.MAX_VALUE;
    if (owner) numEdges = owner.countEdges(tInt);
    else for (let i = 1, row = n; i < n; i++, row += n) for (let j = 0; j < i; j++) if (full[row + j]! <= tInt) numEdges++;
    const useSparse = o.sparse ?? numEdges * 4 < (n * (n - 1)) / 2;
    if (useSparse) dist = fullToSparse(owner ? (owner.matrix() as Float32Array) : full, n, tInt);
    else if (owner && kernelOk) kernel = owner;
    else if (owner) dist = { n, full32: (owner.matrix() as Float32Array).slice() };
  } else if (prepared.lower) {
    renc = prepared.enclosing ?? enclosingRadiusOfLower(prepared.lower, n);
    if (renc < threshold) threshold = renc;
    const tInt = Number.isFinite(threshold) ? threshold : Number.MAX_VALUE;
    const lower = prepared.lower;
    for (let k = 0; k < lower.length; k++) if (lower[k]! <= tInt) numEdges++;
    const useSparse = o.sparse ?? numEdges * 4 < lower.length;
    if (useSparse) dist = lowerToSparse(lower, n, tInt);
    else if (kernelOk && n <= DENSE_MAX) kernel = new DenseKernel(wasmModule!, n, isFloat32Exact(lower));
  } else {
    if (o.sparse === false) throw new DescentError('INVALID_CONFIG', where, 'graph input always uses the sparse engine');
    const w = prepared.nbrW!;
    for (let k = 0; k < w.length; k++) if (w[k]! <= threshold) numEdges++;
    numEdges /= 2;
  }
  const dimMax = Math.max(0, Math.min(maxDim, n - 2));
  const engine = new RipsEngine(dist, dimMax, threshold, modulus, ratio, o, where, kernel);
  engine.numEdges = numEdges;
  engine.enclosing = renc;
  engine.maxDimAsked = maxDim;
  return engine;
}

/**
 * Vietoris–Rips persistent homology in dimensions 0..maxDim with the Ripser algorithm (Bauer 2021):
 * cohomology with implicit coboundaries, clearing, apparent and emergent pairs, combinatorial-number-
 * system indexing, over Z/p. Filtration value = diameter; intervals are [birth, death).
 *
 * @example
 * ```ts
 * // four points on a square of side 1: one H1 bar [1, √2)
 * const x = new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]);
 * const r = ripsPersistence({ kind: 'points', data: x, n: 4, d: 2 }, { maxDim: 1 });
 * [r.diagrams[1].birth[0], r.diagrams[1].death[0]];
 * // [1, 1.4142135623730951]
 * ```
 */
export function ripsPersistence(x: MetricInput, o: RipsOptions = {}): PersistenceResult {
  const engine = makeEngine(x, o, 'ripsPersistence');
  return engine.run(engine.maxDimAsked);
}

/**
 * The bars of dimensions 0..min(maxDim, n − 2) in the order the reduction finds them (H0: finite bars by
 * death, then one essential bar per component in vertex order; H_k: by column, i.e. decreasing birth
 * simplex), as Ripser prints them. @internal
 */
export function ripsPairsInOrder(x: MetricInput | PreparedDistances, o: RipsOptions, where: string): { birth: Float64Array[]; death: Float64Array[] } {
  let engine: RipsEngine;
  if ('kind' in x) engine = makeEngine(x, o, where);
  else {
    // Already validated distances (the ripser CLI's float32 matrix): no copy, and the caller's object
    // lets go of its matrix once the engine has its own, so both never coexist at the memory peak.
    engine = makeEngine(undefined, o, where, x);
    delete x.lower;
    delete x.full32;
  }
  engine.reduce(engine.dimMax);
  const birth: Float64Array[] = [];
  const death: Float64Array[] = [];
  for (let k = 0; k <= engine.dimMax; k++) {
    birth.push(engine.births[k]!.toArray());
    death.push(engine.deaths[k]!.toArray());
  }
  return { birth, death };
}

const NONE = -1;
/** Dense input up to this n gets a symmetric n×n matrix (branch-free rows); a lower triangle beyond. */
const DENSE_MAX = 4096;

function isFloat32Exact(lower: Float64Array): boolean {
  for (let k = 0; k < lower.length; k++) if (Math.fround(lower[k]!) !== lower[k]) return false;
  return true;
}

/** Coboundary enumerator (dense or sparse): cofacets of a simplex in decreasing index order. */
class Cofacets {
  private idxBelow = 0;
  private idxAbove = 0;
  private j = 0;
  private k = 0;
  private sDiam = 0;
  private sCoef = 0;
  private nv = 0;
  private readonly verts: Int32Array; // decreasing
  private readonly its: Int32Array; // sparse: position in each vertex's list (ascending vertices)
  private nb = 0;
  private nbw = 0;
  diam = 0;
  idx = 0;
  coef = 0;

  constructor(private readonly e: RipsEngine) {
    this.verts = new Int32Array(e.dimMax + 3);
    this.its = new Int32Array(e.dimMax + 3);
  }

  set(idx: number, diam: number, coef: number, dim: number): void {
    const e = this.e;
    this.idxBelow = idx;
    this.idxAbove = 0;
    this.j = e.n - 1;
    this.k = dim + 1;
    this.sDiam = diam;
    this.sCoef = coef;
    this.nv = dim + 1;
    e.decode(idx, dim, this.verts);
    if (e.sparse) {
      const start = e.nbrStart!;
      // its[t] walks the list of the t-th smallest vertex from its end.
      for (let t = 0; t <= dim; t++) this.its[t] = start[this.verts[dim - t]! + 1]! - 1;
    }
  }

  hasNext(all: boolean): boolean {
    const e = this.e;
    if (!e.sparse) return this.j >= this.k && (all || e.binom[this.k * e.bs + this.j]! > this.idxBelow);
    const start = e.nbrStart!;
    const nIdx = e.nbrIdx!;
    const nW = e.nbrW!;
    const its = this.its;
    const verts = this.verts;
    const nv = this.nv;
    const s0 = start[verts[nv - 1]!]!;
    outer: for (; its[0]! >= s0; its[0]!--) {
      const nb = nIdx[its[0]!]!;
      let nbw = nW[its[0]!]!;
      for (let t = 1; t < nv; t++) {
        const st = start[verts[nv - 1 - t]!]!;
        let it = its[t]!;
        if (it < st) return false;
        while (nIdx[it]! > nb) {
          if (--it < st) {
            its[t] = it;
            return false;
          }
        }
        its[t] = it;
        if (nIdx[it] !== nb) continue outer;
        if (nW[it]! > nbw) nbw = nW[it]!;
      }
      // verts ascending at position k−1 is verts[nv − k]
      while (this.k > 0 && verts[nv - this.k]! > nb) {
        if (!all) return false;
        const v = verts[nv - this.k]!;
        this.idxBelow -= e.binom[this.k * e.bs + v]!;
        this.idxAbove += e.binom[(this.k + 1) * e.bs + v]!;
        this.k--;
      }
      this.nb = nb;
      this.nbw = nbw;
      return true;
    }
    return false;
  }

  next(): void {
    const e = this.e;
    const p = e.p;
    if (e.sparse) {
      this.its[0]!--;
      this.diam = this.nbw > this.sDiam ? this.nbw : this.sDiam;
      this.idx = this.idxAbove + e.binom[(this.k + 1) * e.bs + this.nb]! + this.idxBelow;
      this.coef = p === 2 ? 1 : (((this.k & 1) !== 0 ? p - 1 : 1) * this.sCoef) % p;
      return;
    }
    const binom = e.binom;
    const bs = e.bs;
    let j = this.j;
    let k = this.k;
    while (binom[k * bs + j]! <= this.idxBelow) {
      this.idxBelow -= binom[k * bs + j]!;
      this.idxAbove += binom[(k + 1) * bs + j]!;
      j--;
      k--;
    }
    let d = this.sDiam;
    const verts = this.verts;
    const nv = this.nv;
    const full = e.full;
    if (full !== undefined) {
      const row = j * e.n;
      for (let t = 0; t < nv; t++) {
        const x = full[row + verts[t]!]!;
        if (x > d) d = x;
      }
    } else {
      const lower = e.lower!;
      for (let t = 0; t < nv; t++) {
        const w = verts[t]!;
        const x = j > w ? lower[(j * (j - 1)) / 2 + w]! : lower[(w * (w - 1)) / 2 + j]!;
        if (x > d) d = x;
      }
    }
    this.diam = d;
    this.idx = this.idxAbove + binom[(k + 1) * bs + j]! + this.idxBelow;
    this.coef = p === 2 ? 1 : (((k & 1) !== 0 ? p - 1 : 1) * this.sCoef) % p;
    this.j = j - 1;
    this.k = k;
  }
}

/** @internal The Ripser engine over prepared distances. */
class RipsEngine {
  readonly n: number;
  readonly sparse: boolean;
  /** Dense lower triangle, kept only when there is no `full` copy (n > 4096). */
  readonly lower?: Float64Array;
  /** Dense symmetric n×n copy (n ≤ 4096): branch-free row access in the coboundary loop. */
  full?: Float64Array | Float32Array;
  readonly nbrStart?: Int32Array;
  readonly nbrIdx?: Int32Array;
  readonly nbrW?: Float64Array;
  readonly vertexBirth?: Float64Array;
  readonly binom: Float64Array;
  readonly bs: number;
  readonly p: number;
  readonly inv: Uint16Array;
  readonly t: number; // internal threshold (finite)
  numEdges = 0;
  enclosing = Infinity;
  maxDimAsked = 0;
  private readonly shortcuts: boolean;
  private readonly A: Cofacets;
  private readonly B: Cofacets;
  private readonly scratch: Int32Array;
  private readonly fverts: Int32Array;
  private readonly W: EntryHeap;
  private readonly C: EntryHeap;
  private readonly buf = { d: new F64Vec(), x: new F64Vec(), c: new U16Vec() };
  private readonly V = { d: new F64Vec(), x: new F64Vec(), c: new U16Vec() };
  // results
  readonly births: F64Vec[] = [];
  readonly deaths: F64Vec[] = [];
  private readonly cocycleList: Cocycle[][] = [];
  private readonly gens: number[][] = [];
  private readonly stats: RipsStats;
  // last zero-pivot facet/cofacet found
  private zIdx = NONE;
  private zDiam = 0;
  private zCoef = 0;

  constructor(
    d: PreparedDistances,
    readonly dimMax: number,
    private readonly threshold: number,
    modulus: number,
    private readonly ratio: number,
    private readonly o: RipsOptions,
    private readonly where: string,
    private readonly kernel?: DenseKernel,
  ) {
    this.n = d.n;
    this.sparse = d.lower === undefined && d.full32 === undefined;
    if (kernel && d.full32) this.full = kernel.matrix();
    else if (d.full32) this.full = d.full32;
    else if (d.lower) {
      const n = d.n;
      const lower = d.lower;
      if (n <= DENSE_MAX) {
        // Half the memory when every distance is a float32 value (ripser-style input): same numbers.
        // The kernel's matrix lives in its WebAssembly memory.
        const full = kernel ? kernel.matrix() : isFloat32Exact(lower) ? new Float32Array(n * n) : new Float64Array(n * n);
        for (let i = 1, k = 0; i < n; i++) {
          for (let j = 0; j < i; j++, k++) {
            full[i * n + j] = lower[k]!;
            full[j * n + i] = lower[k]!;
          }
        }
        this.full = full;
      } else this.lower = lower;
    }
    if (d.nbrStart) {
      this.nbrStart = d.nbrStart;
      this.nbrIdx = d.nbrIdx!;
      this.nbrW = d.nbrW!;
    }
    if (d.vertexBirth) this.vertexBirth = d.vertexBirth;
    this.p = modulus;
    // Diameters of a float32 matrix's simplices are float32 values: the heaps store them in 4 bytes.
    const f32 = this.full instanceof Float32Array;
    this.W = new EntryHeap(modulus, f32);
    this.C = new EntryHeap(modulus, f32);
    this.t = Number.isFinite(threshold) ? threshold : Number.MAX_VALUE;
    this.shortcuts = o.keepZero !== true;
    const n = this.n;
    const kMax = dimMax + 2;
    // Simplex indices (combinatorial number system) of k vertices are < C(n, k), held as float64
    // integers: every C(n, k), k ≤ kMax, must be ≤ 2^53. A float estimate rejects hopeless sizes before the
    // table is allocated; the exact table entries decide at the boundary.
    const indexError = () =>
      new DescentError('INVALID_CONFIG', where, `C(${n}, k) exceeds 2^53 for some k ≤ ${kMax}: too many points for simplex indices up to dimension ${dimMax + 1}`);
    for (let k = 1, c = 1; k <= Math.min(kMax, n >> 1); k++) {
      c = (c * (n - k + 1)) / k;
      if (c > 1.01 * Number.MAX_SAFE_INTEGER) throw indexError();
    }
    this.bs = n + 1;
    this.binom = new Float64Array((kMax + 1) * (n + 1));
    for (let m = 0; m <= n; m++) {
      this.binom[m] = 1;
      for (let k = 1; k <= kMax; k++) {
        const v = m === 0 ? 0 : this.binom[(k - 1) * this.bs + m - 1]! + this.binom[k * this.bs + m - 1]!;
        this.binom[k * this.bs + m] = v;
      }
    }
    for (let k = 1; k <= kMax; k++) if (this.binom[k * this.bs + n]! > Number.MAX_SAFE_INTEGER) throw indexError();
    this.inv = new Uint16Array(modulus);
    if (modulus > 1) this.inv[1] = 1;
    for (let a = 2; a < modulus; a++) this.inv[a] = modulus - ((this.inv[modulus % a]! * Math.floor(modulus / a)) % modulus);
    this.A = new Cofacets(this);
    this.B = new Cofacets(this);
    this.scratch = new Int32Array(kMax + 1);
    this.fverts = new Int32Array(kMax + 1);
    this.stats = {
      n,
      threshold,
      enclosingRadius: Infinity,
      numEdges: 0,
      sparse: this.sparse,
      engine: kernel ? 'wasm' : 'js',
      columns: [0],
      apparent: [0],
      emergent: [0],
      additions: [0],
    };
  }

  /** D(i, j), +∞ when absent (sparse). */
  dist(i: number, j: number): number {
    if (i === j) return 0;
    if (this.full !== undefined) return this.full[i * this.n + j]!;
    if (!this.sparse) return i > j ? this.lower![(i * (i - 1)) / 2 + j]! : this.lower![(j * (j - 1)) / 2 + i]!;
    const idx = this.nbrIdx!;
    let lo = this.nbrStart![i]!;
    let hi = this.nbrStart![i + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = idx[mid]!;
      if (v === j) return this.nbrW![mid]!;
      if (v < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return Infinity;
  }

  /** Largest v in [k−1, top] with C(v, k) ≤ idx. */
  maxVertex(idx: number, k: number, top: number): number {
    const binom = this.binom;
    const row = k * this.bs;
    if (binom[row + top]! <= idx) return top;
    let lo = k - 1;
    let hi = top; // C(lo,k) = 0 ≤ idx, C(hi,k) > idx
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (binom[row + mid]! <= idx) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Vertices of simplex `idx` of dimension `dim`, in decreasing order. */
  decode(idx: number, dim: number, out: Int32Array): void {
    let top = this.n - 1;
    for (let k = dim + 1, t = 0; k >= 1; k--, t++) {
      const v = this.maxVertex(idx, k, top);
      out[t] = v;
      idx -= this.binom[k * this.bs + v]!;
      top = v - 1;
    }
  }

  diameter(idx: number, dim: number): number {
    if (dim === 0) return this.vertexBirth ? this.vertexBirth[idx]! : 0;
    const v = this.scratch;
    this.decode(idx, dim, v);
    let d = -Infinity;
    for (let a = 0; a <= dim; a++) for (let b = a + 1; b <= dim; b++) d = Math.max(d, this.dist(v[a]!, v[b]!));
    return d;
  }

  /** The youngest facet of τ if it has τ's diameter: sets zIdx/zDiam/zCoef (zIdx = NONE otherwise). */
  private zeroPivotFacet(idx: number, diam: number, coef: number, dim: number): void {
    const v = this.fverts; // decreasing: v[0] top
    this.decode(idx, dim, v);
    const binom = this.binom;
    const bs = this.bs;
    const p = this.p;
    // Remove the vertex at ascending position r = dim, dim−1, ..., 0 (facet indices increasing).
    for (let r = dim; r >= 0; r--) {
      const removed = dim - r; // position in the decreasing array
      let d = dim === 1 ? (this.vertexBirth ? this.vertexBirth[v[removed === 0 ? 1 : 0]!]! : 0) : -Infinity;
      if (dim > 1) {
        for (let a = 0; a <= dim; a++) {
          if (a === removed) continue;
          for (let b = a + 1; b <= dim; b++) {
            if (b === removed) continue;
            const x = this.dist(v[a]!, v[b]!);
            if (x > d) d = x;
          }
        }
      }
      if (d === diam) {
        let fidx = 0;
        for (let a = 0, pos = dim - 1; a <= dim; a++) {
          if (a === removed) continue;
          fidx += binom[(pos + 1) * bs + v[a]!]!;
          pos--;
        }
        this.zIdx = fidx;
        this.zDiam = d;
        this.zCoef = p === 2 ? 1 : (((r & 1) !== 0 ? p - 1 : 1) * coef) % p;
        return;
      }
    }
    this.zIdx = NONE;
  }

  /** The oldest cofacet of σ if it has σ's diameter (zIdx = NONE otherwise). */
  private zeroPivotCofacet(idx: number, diam: number, dim: number): void {
    const B = this.B;
    B.set(idx, diam, 1, dim);
    while (B.hasNext(true)) {
      B.next();
      if (B.diam === diam) {
        this.zIdx = B.idx;
        this.zDiam = B.diam;
        this.zCoef = B.coef;
        return;
      }
    }
    this.zIdx = NONE;
  }

  /** zeroApparentFacet: sets zIdx/zDiam/zCoef or zIdx = NONE. */
  private zeroApparentFacet(idx: number, diam: number, coef: number, dim: number): boolean {
    this.zeroPivotFacet(idx, diam, coef, dim);
    if (this.zIdx === NONE) return false;
    const fIdx = this.zIdx;
    const fDiam = this.zDiam;
    const fCoef = this.zCoef;
    this.zeroPivotCofacet(fIdx, fDiam, dim - 1);
    if (this.zIdx === idx) {
      this.zIdx = fIdx;
      this.zDiam = fDiam;
      this.zCoef = fCoef;
      return true;
    }
    this.zIdx = NONE;
    return false;
  }

  private zeroApparentCofacet(idx: number, diam: number, dim: number): boolean {
    this.zeroPivotCofacet(idx, diam, dim);
    if (this.zIdx === NONE) return false;
    const cIdx = this.zIdx;
    this.zeroPivotFacet(cIdx, this.zDiam, 1, dim + 1);
    return this.zIdx === idx;
  }

  /**
   * zeroApparentCofacet for an edge {u > v} of diameter d on dense rows: the oldest cofacet of equal
   * diameter adds the largest vertex w with D(u, w), D(v, w) ≤ d (cofacet indices decrease with w); the
   * edge is apparent when it is that triangle's first facet of diameter d in increasing index order.
   * Same answer as the generic enumerators, without them (most edges of a dense input end here).
   */
  private edgeApparentDense(u: number, v: number, d: number): boolean {
    const full = this.full!;
    const n = this.n;
    const ru = u * n;
    const rv = v * n;
    let w = n - 1;
    for (; w >= 0; w--) if (full[ru + w]! <= d && full[rv + w]! <= d && w !== u && w !== v) break;
    if (w < 0) return false;
    // sort {w, u, v} decreasingly: a > b > c (u > v already)
    let a = w;
    let b = u;
    let c = v;
    if (w < u) {
      a = u;
      if (w > v) b = w;
      else {
        b = v;
        c = w;
      }
    }
    // facets in increasing index order: {b, c}, {a, c}, {a, b}
    if (full[b * n + c] === d) return b === u && c === v;
    if (full[a * n + c] === d) return a === u && c === v;
    return a === u && b === v;
  }

  /**
   * inZeroApparentPair for a triangle {a > b > c} of diameter d on dense rows. Its oldest cofacet of equal
   * diameter adds the largest w with D(a, w), D(b, w), D(c, w) ≤ d; the pair is apparent when the triangle
   * is that tetrahedron's first facet of diameter d (increasing index order). Otherwise: its first facet
   * of diameter d, an edge {e > f}, and that edge's oldest cofacet of diameter d (largest w with D(e, w),
   * D(f, w) ≤ d) must be the triangle. Same answer as the generic enumerators.
   */
  private triangleApparentDense(x: number, d: number): boolean {
    const v = this.fverts;
    this.decode(x, 2, v);
    const a = v[0]!;
    const b = v[1]!;
    const c = v[2]!;
    const full = this.full!;
    const n = this.n;
    const ra = a * n;
    const rb = b * n;
    const rc = c * n;
    let w = n - 1;
    for (; w >= 0; w--) if (full[ra + w]! <= d && full[rb + w]! <= d && full[rc + w]! <= d && w !== a && w !== b && w !== c) break;
    if (w >= 0) {
      // the tetrahedron p > q > r > s
      let p = a;
      let q = b;
      let r = c;
      let s = w;
      if (w > a) {
        p = w;
        q = a;
        r = b;
        s = c;
      } else if (w > b) {
        q = w;
        r = b;
        s = c;
      } else if (w > c) {
        r = w;
        s = c;
      }
      const pq = full[p * n + q]!;
      const pr = full[p * n + r]!;
      const ps = full[p * n + s]!;
      const qr = full[q * n + r]!;
      const qs = full[q * n + s]!;
      const rs = full[r * n + s]!;
      // facets in increasing index order: drop p, q, r, s; the first of diameter d
      let f0 = p;
      let f1 = q;
      let f2 = r;
      if (Math.max(qr, qs, rs) === d) {
        f0 = q;
        f1 = r;
        f2 = s;
      } else if (Math.max(pr, ps, rs) === d) {
        f1 = r;
        f2 = s;
      } else if (Math.max(pq, ps, qs) === d) f2 = s;
      if (f0 === a && f1 === b && f2 === c) return true;
    }
    // first facet of diameter d in increasing index order: {b, c}, {a, c}, {a, b}
    let e = a;
    let f = b;
    let other = c;
    if (full[rb + c] === d) {
      e = b;
      f = c;
      other = a;
    } else if (full[ra + c] === d) {
      e = a;
      f = c;
      other = b;
    }
    const re = e * n;
    const rf = f * n;
    for (w = n - 1; w >= 0; w--) if (full[re + w]! <= d && full[rf + w]! <= d && w !== e && w !== f) break;
    return w === other;
  }

  private inZeroApparentPair(idx: number, diam: number, dim: number): boolean {
    if (this.zeroApparentCofacet(idx, diam, dim)) return true;
    return this.zeroApparentFacet(idx, diam, 1, dim);
  }

  /**
   * Edges (diam ≤ t) in filtration order. Dense input: only their indices (`ids`, the lower-triangle
   * offset i(i−1)/2 + j), sorted by a stable radix sort on the distance's bits of ids listed in decreasing
   * order, so ties keep the larger index first; 20 bytes per edge at the peak instead of ~50.
   */
  private edges(): { diam?: Float64Array; idx?: Float64Array; ids?: Uint32Array; pos?: Uint32Array; count: number } {
    const n = this.n;
    const t = this.t;
    const full = this.full;
    if (full instanceof Float32Array) return this.edgesFloat32(full);
    if (!this.sparse) {
      const m = this.numEdges;
      const ids = new Uint32Array(m);
      const hi = new Uint32Array(m);
      const lo = new Uint32Array(m);
      const f64 = new Float64Array(1);
      const u32 = new Uint32Array(f64.buffer);
      let q = 0;
      for (let i = n - 1; i >= 1; i--) {
        const base = (i * (i - 1)) / 2;
        for (let j = i - 1; j >= 0; j--) {
          const v = this.dist(i, j);
          if (v <= t) {
            ids[q] = base + j;
            // distances are ≥ 0 (+0 after adding 0), so the IEEE bits order like the values
            f64[0] = v + 0;
            lo[q] = u32[0]!;
            hi[q++] = u32[1]!;
          }
        }
      }
      const perm = radixByKeys(hi, lo, q);
      for (let r = 0; r < q; r++) lo[r] = ids[perm[r]!]!;
      return { ids: lo, count: q };
    }
    const dv = new F64Vec(Math.max(1024, this.numEdges));
    const xv = new F64Vec(Math.max(1024, this.numEdges));
    {
      const start = this.nbrStart!;
      const nIdx = this.nbrIdx!;
      const nW = this.nbrW!;
      for (let i = 0; i < n; i++) {
        for (let s = start[i]!; s < start[i + 1]!; s++) {
          const j = nIdx[s]!;
          if (j >= i) break;
          if (nW[s]! <= t) {
            dv.push(nW[s]!);
            xv.push((i * (i - 1)) / 2 + j);
          }
        }
      }
    }
    const perm = sortFiltrationOrder(dv.data, xv.data, dv.length);
    const count = dv.length;
    const diam = new Float64Array(count);
    const idx = new Float64Array(count);
    for (let q = 0; q < count; q++) {
      diam[q] = dv.data[perm[q]!]!;
      idx[q] = xv.data[perm[q]!]!;
    }
    return { diam, idx, count };
  }

  /**
   * Edges (diam ≤ t) of a float32 matrix in filtration order, as positions i·n + j (i > j) in the matrix:
   * a stable two-digit LSD radix sort on the float32 bits (non-negative floats order like their bits once
   * −0 is mapped to +0), from a scan in decreasing index order, so ties keep the larger index first. The
   * digit histograms come from one scan, the first scatter from a second: 8 bytes per edge at the peak.
   */
  private edgesFloat32(full: Float32Array): { pos: Uint32Array; count: number } {
    const n = this.n;
    const t = this.t;
    const bits = new Uint32Array(full.buffer, full.byteOffset, n * n);
    const c0 = new Uint32Array(65536);
    const c1 = new Uint32Array(65536);
    let q = 0;
    for (let i = n - 1, row = i * n; i >= 1; i--, row -= n) {
      for (let j = i - 1; j >= 0; j--) {
        if (full[row + j]! <= t) {
          const k = bits[row + j]! & 0x7fffffff;
          c0[k & 0xffff]!++;
          c1[k >>> 16]!++;
          q++;
        }
      }
    }
    for (let b = 0, s0 = 0, s1 = 0; b < 65536; b++) {
      const x0 = c0[b]!;
      const x1 = c1[b]!;
      c0[b] = s0;
      c1[b] = s1;
      s0 += x0;
      s1 += x1;
    }
    const a = new Uint32Array(q);
    for (let i = n - 1, row = i * n; i >= 1; i--, row -= n) {
      for (let j = i - 1; j >= 0; j--) {
        if (full[row + j]! <= t) a[c0[bits[row + j]! & 0xffff]!++] = row + j;
      }
    }
    const out = new Uint32Array(q);
    for (let r = 0; r < q; r++) {
      const pos = a[r]!;
      out[c1[(bits[pos]! & 0x7fffffff) >>> 16]!++] = pos;
    }
    return { pos: out, count: q };
  }

  /** Runs the reduction; births/deaths (and cocycles, generators) in the order found. */
  reduce(maxDim: number): void {
    const n = this.n;
    for (let k = 0; k <= maxDim; k++) {
      this.births.push(new F64Vec());
      this.deaths.push(new F64Vec());
      this.cocycleList.push([]);
      this.gens.push([]);
    }
    if (this.kernel) {
      this.reduceWithKernel(this.kernel, maxDim);
      return;
    }
    const edges = this.edges();
    // ---- dimension 0: Kruskal with the elder rule ----
    const parent = new Int32Array(n);
    const rank = new Uint8Array(n);
    const ufBirth = new Float64Array(n);
    const ufVertex = new Int32Array(n);
    for (let v = 0; v < n; v++) {
      parent[v] = v;
      ufBirth[v] = this.vertexBirth ? this.vertexBirth[v]! : 0;
      ufVertex[v] = v;
    }
    const find = (v: number): number => findRoot(parent, v);
    const keepZero = this.o.keepZero === true;
    const wantGens = this.o.generators === true;
    const ev = new Int32Array(2);
    const colsD = new F64Vec();
    const colsX = new F64Vec();
    let apparent1 = 0;
    const ids = edges.ids;
    const pos = edges.pos;
    for (let q = 0; q < edges.count; q++) {
      let idx: number;
      let d: number;
      if (pos !== undefined) {
        const x = pos[q]!;
        const a = (x / n) | 0;
        ev[0] = a;
        ev[1] = x - a * n;
        idx = (a * (a - 1)) / 2 + ev[1]!;
        d = this.full![x]!;
      } else {
        idx = ids !== undefined ? ids[q]! : edges.idx![q]!;
        // edge index = C(a, 2) + b with a > b: invert with a square root instead of a binary search
        let a = Math.floor((1 + Math.sqrt(1 + 8 * idx)) / 2);
        while ((a * (a - 1)) / 2 > idx) a--;
        while (((a + 1) * a) / 2 <= idx) a++;
        ev[0] = a;
        ev[1] = idx - (a * (a - 1)) / 2;
        d = ids !== undefined ? this.dist(a, ev[1]!) : edges.diam![q]!;
      }
      let u = find(ev[0]!);
      let v = find(ev[1]!);
      if (u !== v) {
        // elder rule: the younger component (larger birth) dies
        let young = u;
        if (ufBirth[v]! > ufBirth[u]! || (ufBirth[v] === ufBirth[u] && v > u)) young = v;
        const b = ufBirth[young]!;
        if (d > b || keepZero) {
          this.births[0]!.push(b);
          this.deaths[0]!.push(d);
          if (wantGens) this.gens[0]!.push(ufVertex[young]!, ev[0]!, ev[1]!);
        }
        if (rank[u]! < rank[v]!) {
          const tmp = u;
          u = v;
          v = tmp;
        }
        // u becomes the root; it carries the older birth
        parent[v] = u;
        if (rank[u] === rank[v]) rank[u]!++;
        if (ufBirth[v]! < ufBirth[u]! || (ufBirth[v] === ufBirth[u] && ufVertex[v]! < ufVertex[u]!)) {
          ufBirth[u] = ufBirth[v]!;
          ufVertex[u] = ufVertex[v]!;
        }
      } else if (this.dimMax > 0) {
        if (this.shortcuts && (this.full !== undefined ? this.edgeApparentDense(ev[0]!, ev[1]!, d) : this.zeroApparentCofacet(idx, d, 1))) {
          apparent1++;
          continue;
        }
        colsD.push(d);
        colsX.push(idx);
      }
    }
    for (let v = 0; v < n; v++) {
      if (parent[v] === v) {
        this.births[0]!.push(ufBirth[v]!);
        this.deaths[0]!.push(Infinity);
        if (wantGens) this.gens[0]!.push(ufVertex[v]!, -1, -1);
      }
    }
    this.stats.apparent[0] = 0;
    this.stats.emergent[0] = 0;
    this.stats.additions[0] = 0;
    this.stats.columns[0] = 0;
    // reverse: (diam desc, idx asc)
    let cd = colsD.toArray().reverse();
    let cx = colsX.toArray().reverse();
    let simplicesD = edges.diam ?? new Float64Array(0);
    let simplicesX = edges.idx ?? new Float64Array(0);
    if (pos !== undefined && this.dimMax >= 2) {
      simplicesD = new Float64Array(edges.count);
      simplicesX = new Float64Array(edges.count);
      for (let q = 0; q < edges.count; q++) {
        const x = pos[q]!;
        const a = (x / n) | 0;
        simplicesD[q] = this.full![x]!;
        simplicesX[q] = (a * (a - 1)) / 2 + x - a * n;
      }
    } else if (ids !== undefined && this.dimMax >= 2) {
      // the next dimension's assembly walks the edges' cofacets: materialise their (diam, index)
      simplicesD = new Float64Array(edges.count);
      simplicesX = new Float64Array(edges.count);
      for (let q = 0; q < edges.count; q++) {
        const x = ids[q]!;
        let a = Math.floor((1 + Math.sqrt(1 + 8 * x)) / 2);
        while ((a * (a - 1)) / 2 > x) a--;
        while (((a + 1) * a) / 2 <= x) a++;
        simplicesD[q] = this.dist(a, x - (a * (a - 1)) / 2);
        simplicesX[q] = x;
      }
    }
    if (this.dimMax >= 1) this.stats.apparent[1] = apparent1;
    this.reduceFrom(1, cd, cx, simplicesD, simplicesX, undefined, maxDim);
  }

  /**
   * Dimensions `first`..dimMax: reduce the columns (cd, cx), assemble the next dimension's from the
   * simplices (sd, sx). `pivots` given: dimension first − 1 is already reduced, with these pivots.
   */
  private reduceFrom(first: number, cd: Float64Array, cx: Float64Array, sd: Float64Array, sx: Float64Array, pivots: PivotMap | undefined, maxDim: number): void {
    for (let dim = first; dim <= this.dimMax; dim++) {
      if (pivots === undefined || dim > first) {
        pivots = new PivotMap(cd.length);
        this.stats.apparent[dim] = this.stats.apparent[dim] ?? 0;
        this.computePairs(cd, cx, pivots, dim);
      }
      if (dim < this.dimMax) {
        const next = this.assemble(sd, sx, pivots, dim + 1);
        cd = next.cd;
        cx = next.cx;
        sd = next.sd;
        sx = next.sx;
      }
    }
    for (let k = this.dimMax + 1; k <= maxDim; k++) {
      this.stats.columns[k] = 0;
      this.stats.apparent[k] = 0;
      this.stats.emergent[k] = 0;
      this.stats.additions[k] = 0;
    }
  }

  /** Dimensions 0 and 1 by the WebAssembly kernel (same pairs, same order as the JS code), the rest in JS. */
  private reduceWithKernel(kernel: DenseKernel, maxDim: number): void {
    const n = this.n;
    const r = kernel.run(this.dimMax, this.p, this.t, this.ratio, !this.shortcuts, this.dimMax >= 2);
    const full = kernel.matrix();
    this.full = full;
    const b0 = this.births[0]!;
    const d0 = this.deaths[0]!;
    for (let q = 0; q < r.h0Deaths.length; q++) {
      b0.push(0);
      d0.push(r.h0Deaths[q]!);
    }
    for (let q = 0; q < r.roots; q++) {
      b0.push(0);
      d0.push(Infinity);
    }
    this.stats.apparent[0] = 0;
    this.stats.emergent[0] = 0;
    this.stats.additions[0] = 0;
    this.stats.columns[0] = 0;
    if (this.dimMax >= 1) {
      this.stats.columns[1] = r.columns;
      this.stats.apparent[1] = r.apparent;
      this.stats.emergent[1] = r.emergent;
      this.stats.additions[1] = r.additions;
      const pairs = r.pairs!;
      const b1 = this.births[1]!;
      const d1 = this.deaths[1]!;
      for (let q = 0; q < pairs.length; q += 2) {
        b1.push(pairs[q]!);
        d1.push(pairs[q + 1]!);
      }
    }
    let pivots: PivotMap | undefined;
    let sd = new Float64Array(0);
    let sx = new Float64Array(0);
    if (this.dimMax >= 2) {
      const keys = r.pivots!;
      pivots = new PivotMap(keys.length);
      for (let q = 0; q < keys.length; q++) pivots.set(keys[q]!, q, 1);
      const pos = r.edgePositions!;
      sd = new Float64Array(pos.length);
      sx = new Float64Array(pos.length);
      for (let q = 0; q < pos.length; q++) {
        const x = pos[q]!;
        const a = (x / n) | 0;
        sd[q] = full[x]!;
        sx[q] = (a * (a - 1)) / 2 + x - a * n;
      }
    }
    // dimension 1 is done: reduceFrom only assembles and reduces dimensions ≥ 2
    this.reduceFrom(1, new Float64Array(0), new Float64Array(0), sd, sx, pivots ?? new PivotMap(), maxDim);
    kernel.finish();
  }

  run(maxDim: number): PersistenceResult {
    this.reduce(maxDim);
    const wantGens = this.o.generators === true;
    // canonical order
    const diagrams: Diagram[] = [];
    const cocycles: Cocycle[][] = [];
    const generators: Int32Array[] = [];
    for (let k = 0; k <= maxDim; k++) {
      const b = this.births[k]!.toArray();
      const d = this.deaths[k]!.toArray();
      const perm = canonicalOrder(b, d);
      diagrams.push({ dim: k, birth: permute(b, perm), death: permute(d, perm) });
      // H0 has no cocycles: its entry is empty (not one hole per bar).
      if (this.o.cocycles) cocycles.push(k === 0 ? [] : Array.from(perm, (i) => this.cocycleList[k]![i]!));
      if (wantGens) {
        const w = k === 0 ? 3 : 4;
        const src = this.gens[k]!;
        const g = new Int32Array(perm.length * w);
        for (let i = 0; i < perm.length; i++) for (let c = 0; c < w; c++) g[i * w + c] = src[perm[i]! * w + c]!;
        generators.push(g);
      }
    }
    this.stats.enclosingRadius = this.enclosing;
    this.stats.numEdges = this.numEdges;
    const out: PersistenceResult = { diagrams, stats: this.stats };
    if (this.o.cocycles) out.cocycles = cocycles;
    if (wantGens) out.generators = generators;
    return out;
  }

  /** Pushes s into W and its coboundary (entries ≤ t) into C. */
  private addSimplexCoboundary(idx: number, diam: number, coef: number, dim: number): void {
    this.W.push(diam, idx, coef);
    if (dim === 1 && this.full !== undefined) {
      this.addEdgeCoboundaryDense(idx, diam, coef);
      return;
    }
    const A = this.A;
    const C = this.C;
    const t = this.t;
    A.set(idx, diam, coef, dim);
    while (A.hasNext(true)) {
      A.next();
      if (A.diam <= t) C.push(A.diam, A.idx, A.coef);
    }
  }

  /**
   * The coboundary of edge {a > b} on dense rows straight into C: cofacet {w, a, b} has diameter
   * max(d, D(a, w), D(b, w)), index C(w,3) + C(a,2) + b (w > a), C(a,3) + C(w,2) + b (a > w > b) or
   * C(a,3) + C(b,2) + w (w < b), and sign (−1)^(vertices above w). Same entries as the enumerator.
   */
  private addEdgeCoboundaryDense(idx: number, diam: number, coef: number): void {
    let a = Math.floor((1 + Math.sqrt(1 + 8 * idx)) / 2);
    while ((a * (a - 1)) / 2 > idx) a--;
    while (((a + 1) * a) / 2 <= idx) a++;
    const b = idx - (a * (a - 1)) / 2;
    const full = this.full!;
    const n = this.n;
    const t = this.t;
    const C = this.C;
    const binom = this.binom;
    const bs = this.bs;
    const p = this.p;
    const ra = a * n;
    const rb = b * n;
    const neg = p === 2 ? 1 : ((p - 1) * coef) % p;
    const pos = p === 2 ? 1 : coef;
    // w > a: C(w,3) + C(a,2) + b
    const above = binom[2 * bs + a]! + b;
    for (let w = n - 1; w > a; w--) {
      let d = full[ra + w]!;
      const e = full[rb + w]!;
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) C.push(d, binom[3 * bs + w]! + above, pos);
    }
    // a > w > b: C(a,3) + C(w,2) + b
    const a3 = binom[3 * bs + a]!;
    for (let w = a - 1; w > b; w--) {
      let d = full[ra + w]!;
      const e = full[rb + w]!;
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) C.push(d, a3 + binom[2 * bs + w]! + b, neg);
    }
    // w < b: C(a,3) + C(b,2) + w
    const below = a3 + binom[2 * bs + b]!;
    for (let w = b - 1; w >= 0; w--) {
      let d = full[ra + w]!;
      const e = full[rb + w]!;
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) C.push(d, below + w, pos);
    }
  }

  /** Returns true and sets C's pivot fields (or the emergent pivot) when a pivot exists. */
  private initCoboundary(idx: number, diam: number, dim: number, pivots: PivotMap, dimIdx: number): boolean {
    const A = this.A;
    const t = this.t;
    const buf = this.buf;
    buf.d.clear();
    buf.x.clear();
    buf.c.clear();
    let checkEmergent = this.shortcuts;
    A.set(idx, diam, 1, dim);
    while (A.hasNext(true)) {
      A.next();
      const cd = A.diam;
      if (cd > t) continue;
      const cx = A.idx;
      const cc = A.coef;
      buf.d.push(cd);
      buf.x.push(cx);
      buf.c.push(cc);
      if (checkEmergent && cd === diam) {
        if (!pivots.has(cx) && !this.zeroApparentFacet(cx, cd, cc, dim + 1)) {
          this.C.pivDiam = cd;
          this.C.pivIdx = cx;
          this.C.pivCoef = cc;
          this.stats.emergent[dimIdx]!++;
          return true;
        }
        checkEmergent = false;
      }
    }
    const C = this.C;
    for (let q = 0; q < buf.d.length; q++) C.push(buf.d.data[q]!, buf.x.data[q]!, buf.c.data[q]!);
    return C.getPivot(this.p);
  }

  private computePairs(cd: Float64Array, cx: Float64Array, pivots: PivotMap, dim: number): void {
    const p = this.p;
    const W = this.W;
    const C = this.C;
    const V = this.V;
    V.d.clear();
    V.x.clear();
    V.c.clear();
    const count = cd.length;
    const vStart = new Int32Array(count + 1);
    const births = this.births[dim]!;
    const deaths = this.deaths[dim]!;
    const wantCocycles = this.o.cocycles === true;
    const wantGens = this.o.generators === true;
    const onProgress = this.o.onProgress;
    const keepZero = !this.shortcuts;
    let additions = 0;
    this.stats.columns[dim] = count;
    this.stats.emergent[dim] = 0;
    for (let c = 0; c < count; c++) {
      if (onProgress && (c & 1023) === 0) onProgress({ dim, column: c, of: count });
      const sIdx = cx[c]!;
      const sDiam = cd[c]!;
      W.clear();
      C.clear();
      let found = this.initCoboundary(sIdx, sDiam, dim, pivots, dim);
      for (;;) {
        if (!found) {
          births.push(sDiam);
          deaths.push(Infinity);
          if (wantCocycles) this.pushCocycle(sIdx, dim, false, vStart[c]!);
          if (wantGens) this.pushGenerators(sIdx, dim, -1);
          vStart[c + 1] = V.x.length;
          break;
        }
        const pd = C.pivDiam;
        const px = C.pivIdx;
        const pc = C.pivCoef;
        if (pivots.find(px)) {
          const c2 = pivots.foundColumn;
          const f = p === 2 ? 1 : p - ((pc * this.inv[pivots.foundCoef]!) % p);
          additions++;
          this.addSimplexCoboundary(cx[c2]!, cd[c2]!, f, dim);
          for (let e = vStart[c2]!; e < vStart[c2 + 1]!; e++) {
            this.addSimplexCoboundary(V.x.data[e]!, V.d.data[e]!, p === 2 ? 1 : (V.c.data[e]! * f) % p, dim);
          }
          found = C.getPivot(p);
        } else if (this.shortcuts && this.zeroApparentFacet(px, pd, pc, dim + 1)) {
          additions++;
          this.addSimplexCoboundary(this.zIdx, this.zDiam, p === 2 ? 1 : p - this.zCoef, dim);
          found = C.getPivot(p);
        } else {
          if (pd > sDiam * this.ratio || (keepZero && pd === sDiam)) {
            births.push(sDiam);
            deaths.push(pd);
            if (wantGens) this.pushGenerators(sIdx, dim, px);
            pivots.set(px, c, pc);
            const before = V.x.length;
            while (W.popPivot(p)) {
              V.d.push(W.pivDiam);
              V.x.push(W.pivIdx);
              V.c.push(W.pivCoef);
            }
            vStart[c + 1] = V.x.length;
            if (wantCocycles) this.pushCocycle(sIdx, dim, true, before);
          } else {
            pivots.set(px, c, pc);
            while (W.popPivot(p)) {
              V.d.push(W.pivDiam);
              V.x.push(W.pivIdx);
              V.c.push(W.pivCoef);
            }
            vStart[c + 1] = V.x.length;
          }
          break;
        }
      }
    }
    this.stats.additions[dim] = additions;
  }

  /** Cocycle = the column's simplex plus its reduction entries (stored in V from `from`, or still in W). */
  private pushCocycle(sIdx: number, dim: number, stored: boolean, from: number): void {
    const xs: number[] = [sIdx];
    const cs: number[] = [1];
    if (stored) {
      for (let e = from; e < this.V.x.length; e++) {
        xs.push(this.V.x.data[e]!);
        cs.push(this.V.c.data[e]!);
      }
    } else {
      while (this.W.popPivot(this.p)) {
        xs.push(this.W.pivIdx);
        cs.push(this.W.pivCoef);
      }
    }
    const m = xs.length;
    const simplices = new Int32Array(m * (dim + 1));
    const v = new Int32Array(dim + 1);
    for (let q = 0; q < m; q++) {
      this.decode(xs[q]!, dim, v);
      for (let a = 0; a <= dim; a++) simplices[q * (dim + 1) + a] = v[dim - a]!; // ascending vertices
    }
    this.cocycleList[dim]!.push({ simplices, coeffs: Uint16Array.from(cs) });
  }

  /** The edge (a, b) realising the diameter of simplex idx of dimension dim. */
  private diameterEdge(idx: number, dim: number, out: number[]): void {
    const v = new Int32Array(dim + 1);
    this.decode(idx, dim, v);
    let best = -Infinity;
    let ba = -1;
    let bb = -1;
    for (let a = 0; a <= dim; a++) {
      for (let b = a + 1; b <= dim; b++) {
        const d = this.dist(v[a]!, v[b]!);
        if (d > best) {
          best = d;
          ba = v[a]!;
          bb = v[b]!;
        }
      }
    }
    out.push(Math.min(ba, bb), Math.max(ba, bb));
  }

  private pushGenerators(sIdx: number, dim: number, deathIdx: number): void {
    const g = this.gens[dim]!;
    this.diameterEdge(sIdx, dim, g);
    if (deathIdx === -1) g.push(-1, -1);
    else this.diameterEdge(deathIdx, dim + 1, g);
  }

  /** Columns of dimension `dim` (clearing + apparent pairs), and the simplices of that dimension. */
  private assemble(sd: Float64Array, sx: Float64Array, pivots: PivotMap, dim: number): { cd: Float64Array; cx: Float64Array; sd: Float64Array; sx: Float64Array } {
    const A = new Cofacets(this);
    const t = this.t;
    const keepNext = dim < this.dimMax;
    const nd = new F64Vec();
    const nx = new F64Vec();
    const colD = new F64Vec();
    const colX = new F64Vec();
    let apparent = 0;
    for (let q = 0; q < sd.length; q++) {
      A.set(sx[q]!, sd[q]!, 1, dim - 1);
      while (A.hasNext(false)) {
        A.next();
        const d = A.diam;
        if (d > t) continue;
        const x = A.idx;
        if (keepNext) {
          nd.push(d);
          nx.push(x);
        }
        if (pivots.has(x)) continue;
        if (this.shortcuts && (dim === 2 && this.full !== undefined ? this.triangleApparentDense(x, d) : this.inZeroApparentPair(x, d, dim))) {
          apparent++;
          continue;
        }
        colD.push(d);
        colX.push(x);
      }
    }
    this.stats.apparent[dim] = apparent;
    const perm = sortFiltrationOrder(colD.data, colX.data, colD.length);
    const m = colD.length;
    const cd = new Float64Array(m);
    const cx = new Float64Array(m);
    // (diam desc, idx asc) = reversed filtration order
    for (let q = 0; q < m; q++) {
      cd[q] = colD.data[perm[m - 1 - q]!]!;
      cx[q] = colX.data[perm[m - 1 - q]!]!;
    }
    return { cd, cx, sd: nd.toArray(), sx: nx.toArray() };
  }
}

/**
 * A cheap up-front size estimate for a Rips computation (users ask for RAM estimates before a long run):
 * the threshold that would be used, the number of edges ≤ it, whether the sparse engine would run, the
 * bytes of distance storage, and an estimate of the number of (k+1)-simplices below the threshold,
 * C(n, k+2)·p^C(k+2, 2) with p the edge density (as if edges were independent; k = maxDim).
 *
 * @example
 * ```ts
 * estimateRipsSize({ kind: 'lower', n: 3, data: new Float64Array([1, 2, 1]) }).numEdges;
 * // 2
 * ```
 */
export function estimateRipsSize(
  x: MetricInput,
  o: { threshold?: number; maxDim?: number } = {},
): { threshold: number; numEdges: number; sparse: boolean; distanceBytes: number; topSimplices: number } {
  const where = 'estimateRipsSize';
  assertKnownKeys(o, ['threshold', 'maxDim'], where, 'options');
  const maxDim = o.maxDim ?? 1;
  // maxDim + 2 factors of the binomial are multiplied: a huge maxDim must not run that loop.
  if (typeof maxDim !== 'number' || !Number.isSafeInteger(maxDim) || maxDim < 0 || maxDim > 2 ** 26) {
    throw new DescentError('INVALID_CONFIG', where, `maxDim must be a non-negative integer ≤ 2^26, got ${describeValue(maxDim)}`);
  }
  if (o.threshold !== undefined && (typeof o.threshold !== 'number' || Number.isNaN(o.threshold))) {
    throw new DescentError('INVALID_CONFIG', where, `threshold must be a number, got ${describeValue(o.threshold)}`);
  }
  const prepared = prepareDistances(x, where);
  const n = prepared.n;
  let threshold = o.threshold ?? Infinity;
  let numEdges = 0;
  let sparse = true;
  let distanceBytes: number;
  if (prepared.lower) {
    threshold = Math.min(threshold, enclosingRadiusOfLower(prepared.lower, n));
    for (const v of prepared.lower) if (v <= threshold) numEdges++;
    sparse = numEdges * 4 < prepared.lower.length;
    distanceBytes = sparse ? 4 * 8 * numEdges : 8 * prepared.lower.length + (n <= 4096 ? 8 * n * n : 0);
  } else {
    for (const v of prepared.nbrW!) if (v <= threshold) numEdges++;
    numEdges /= 2;
    distanceBytes = 12 * 2 * numEdges;
  }
  const pairs = (n * (n - 1)) / 2;
  const density = pairs > 0 ? numEdges / pairs : 0;
  let binom = 1;
  for (let i = 0; i < maxDim + 2; i++) binom = (binom * (n - i)) / (i + 1);
  const topSimplices = Math.max(0, binom) * density ** (((maxDim + 2) * (maxDim + 1)) / 2);
  return { threshold, numEdges, sparse, distanceBytes, topSimplices };
}
