// AssemblyScript source of the WebAssembly Rips kernel: the dense part of src/rips.ts (a symmetric n×n
// float32 or float64 matrix, n ≤ 4096) in dimensions 0 and 1 — float32 point distances, matrix stats,
// the edge sort, Kruskal with the apparent-pair test, and the H1 coboundary reduction (clearing,
// emergent and apparent pairs, Z/p). It is the JS engine's algorithm step for step, so both give the
// same pairs in the same order; WebAssembly is compiled at load by the baseline compiler, so a short
// process does not run this code cold in the interpreter.
// `npm run build:wasm` compiles it into src/internal/rips-wasm-bytes.ts (committed; a test checks that
// the committed bytes are this file's).

// ---- memory: a bump allocator, reset by the JS side before each run ----
let top: usize = 0;

export function reset(): void {
  top = (__heap_base + 15) & ~(<usize>15);
}

export function alloc(size: usize): usize {
  if (top == 0) reset();
  const p = top;
  top = (top + size + 15) & ~(<usize>15);
  const need = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (need > have && memory.grow(need - have) < 0) unreachable();
  return p;
}

// ---- the matrix ----
let M: usize = 0;
let n: i32 = 0;
let F32: bool = true;

@inline function D(k: i32): f64 {
  return F32 ? <f64>load<f32>(M + (<usize>k << 2)) : load<f64>(M + (<usize>k << 3));
}

/** Points the kernel at the n×n matrix at `m` (no allocation). */
export function useMatrix(m: usize, nn: i32, f32: bool): void {
  M = m;
  n = nn;
  F32 = f32;
}

/** ripser's point-cloud distances in float32 arithmetic into the symmetric n×n float32 matrix at `out`. */
export function pointMatrix(x: usize, nn: i32, d: i32, out: usize): void {
  for (let i = 1; i < nn; i++) {
    const xi = x + ((<usize>(i * d)) << 2);
    for (let j = 0; j < i; j++) {
      const xj = x + ((<usize>(j * d)) << 2);
      let s: f32 = 0;
      for (let c = 0; c < d; c++) {
        const t: f32 = load<f32>(xi + (<usize>c << 2)) - load<f32>(xj + (<usize>c << 2));
        s = s + t * t;
      }
      const v: f32 = sqrt<f32>(s);
      store<f32>(out + ((<usize>(i * nn + j)) << 2), v);
      store<f32>(out + ((<usize>(j * nn + i)) << 2), v);
    }
  }
}

let statMin: f64 = 0;
let statMax: f64 = 0;
let statEdges: f64 = 0;
let statEnclosing: f64 = 0;
let statBad: i32 = -1;

/** Range, edges ≤ t and enclosing radius of the matrix (row maxima over whole rows); statBad = i·n + j of the first negative or NaN entry below the diagonal. */
export function matrixStats(t: f64): void {
  let min = Infinity;
  let maxFinite = -Infinity;
  let edges = 0;
  let enclosing: f64 = n <= 1 ? 0 : Infinity;
  statBad = -1;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let rowMax: f64 = 0;
    for (let j = 0; j < n; j++) {
      const d = D(row + j);
      if (d > rowMax) rowMax = d;
      if (j >= i) continue;
      if (!(d >= 0)) {
        if (statBad < 0) statBad = row + j;
        continue;
      }
      if (d < min) min = d;
      if (d != Infinity && d > maxFinite) maxFinite = d;
      if (d <= t) edges++;
    }
    if (rowMax < enclosing) enclosing = rowMax;
  }
  statMin = min;
  statMax = maxFinite;
  statEdges = <f64>edges;
  statEnclosing = enclosing;
}
export function getStat(k: i32): f64 {
  return k == 0 ? statMin : k == 1 ? statMax : k == 2 ? statEdges : k == 3 ? statEnclosing : <f64>statBad;
}

/** Edges ≤ t below the diagonal. */
export function countEdges(t: f64): i32 {
  let q = 0;
  for (let i = 1; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < i; j++) if (D(row + j) <= t) q++;
  }
  return q;
}

// ---- engine state ----
let P: i32 = 2;
let T: f64 = 0;
let RATIO: f64 = 1;
let SHORTCUTS: bool = true;
let B2: usize = 0; // C(w, 2), w = 0..n, i64
let B3: usize = 0; // C(w, 3)
let INV: usize = 0; // inverses mod P, i32

@inline function b2(w: i32): i64 {
  return load<i64>(B2 + (<usize>w << 3));
}
@inline function b3(w: i32): i64 {
  return load<i64>(B3 + (<usize>w << 3));
}

/** Sets up a run on the n×n matrix at `m` (float32 when f32). */
export function setup(m: usize, nn: i32, f32: bool, p: i32, t: f64, ratio: f64, keepZero: bool): void {
  useMatrix(m, nn, f32);
  // TF: the largest float32 ≤ t (t ≥ 0)
  let tf = <f32>t;
  if (<f64>tf > t) tf = reinterpret<f32>(reinterpret<u32>(tf) - 1);
  TF = tf;
  P = p;
  T = t;
  RATIO = ratio;
  SHORTCUTS = !keepZero;
  B2 = alloc(<usize>(nn + 1) << 3);
  B3 = alloc(<usize>(nn + 1) << 3);
  for (let w = 0; w <= nn; w++) {
    const x = <i64>w;
    store<i64>(B2 + (<usize>w << 3), (x * (x - 1)) / 2);
    store<i64>(B3 + (<usize>w << 3), (x * (x - 1) * (x - 2)) / 6);
  }
  INV = alloc(<usize>(p + 1) << 2);
  if (p > 1) store<i32>(INV + 4, 1);
  for (let a = 2; a < p; a++) store<i32>(INV + (<usize>a << 2), p - ((load<i32>(INV + (<usize>(p % a) << 2)) * (p / a)) % p));
  edgeCount = 0;
  h0Len = 0;
  roots = 0;
  apparent1 = 0;
  emergent1 = 0;
  additions1 = 0;
  colLen = 0;
  pairLen = 0;
}

// ---- growable vectors (bump reallocation) ----
@unmanaged class Vec {
  ptr: usize;
  len: i32;
  cap: i32;
  shift: i32;
}

function newVec(cap: i32, shift: i32): Vec {
  const v = changetype<Vec>(alloc(offsetof<Vec>()));
  v.ptr = alloc(<usize>cap << shift);
  v.len = 0;
  v.cap = cap;
  v.shift = shift;
  return v;
}

function growVec(v: Vec): void {
  const cap = v.cap * 2;
  const p = alloc(<usize>cap << v.shift);
  memory.copy(p, v.ptr, <usize>v.len << v.shift);
  v.ptr = p;
  v.cap = cap;
}

@inline function pushF64(v: Vec, x: f64): void {
  if (v.len == v.cap) growVec(v);
  store<f64>(v.ptr + (<usize>v.len << 3), x);
  v.len++;
}
@inline function pushI64(v: Vec, x: i64): void {
  if (v.len == v.cap) growVec(v);
  store<i64>(v.ptr + (<usize>v.len << 3), x);
  v.len++;
}
@inline function pushF32(v: Vec, x: f32): void {
  if (v.len == v.cap) growVec(v);
  store<f32>(v.ptr + (<usize>v.len << 2), x);
  v.len++;
}
@inline function pushI32(v: Vec, x: i32): void {
  if (v.len == v.cap) growVec(v);
  store<i32>(v.ptr + (<usize>v.len << 2), x);
  v.len++;
}

// ---- edges in filtration order: stable LSD radix sort on the distance bits of a scan in decreasing index order ----
let EP: usize = 0; // u32 positions i·n + j (i > j)
let edgeCount: i32 = 0;

export function sortEdges(): i32 {
  const t = T;
  let q = 0;
  const mark = top;
  if (F32) {
    const c0 = alloc(65536 << 2);
    const c1 = alloc(65536 << 2);
    memory.fill(c0, 0, 65536 << 2);
    memory.fill(c1, 0, 65536 << 2);
    for (let i = n - 1; i >= 1; i--) {
      const row = i * n;
      for (let j = i - 1; j >= 0; j--) {
        const a = M + ((<usize>(row + j)) << 2);
        if (<f64>load<f32>(a) <= t) {
          const k = load<u32>(a) & 0x7fffffff;
          const p0 = c0 + ((<usize>(k & 0xffff)) << 2);
          store<u32>(p0, load<u32>(p0) + 1);
          const p1 = c1 + ((<usize>(k >>> 16)) << 2);
          store<u32>(p1, load<u32>(p1) + 1);
          q++;
        }
      }
    }
    prefix(c0);
    prefix(c1);
    const a = alloc(<usize>q << 2);
    for (let i = n - 1; i >= 1; i--) {
      const row = i * n;
      for (let j = i - 1; j >= 0; j--) {
        const e = M + ((<usize>(row + j)) << 2);
        if (<f64>load<f32>(e) <= t) {
          const pc = c0 + ((<usize>(load<u32>(e) & 0xffff)) << 2);
          const at = load<u32>(pc);
          store<u32>(pc, at + 1);
          store<u32>(a + (<usize>at << 2), row + j);
        }
      }
    }
    EP = alloc(<usize>q << 2);
    for (let r = 0; r < q; r++) {
      const pos = load<u32>(a + (<usize>r << 2));
      const k = (load<u32>(M + (<usize>pos << 2)) & 0x7fffffff) >>> 16;
      const pc = c1 + (<usize>k << 2);
      const at = load<u32>(pc);
      store<u32>(pc, at + 1);
      store<u32>(EP + (<usize>at << 2), pos);
    }
  } else {
    // float64: four 16-bit digits of the IEEE bits (sign cleared: −0 orders as +0)
    const cnt = alloc(4 * 65536 << 2);
    memory.fill(cnt, 0, 4 * 65536 << 2);
    for (let i = n - 1; i >= 1; i--) {
      const row = i * n;
      for (let j = i - 1; j >= 0; j--) {
        const e = M + ((<usize>(row + j)) << 3);
        if (load<f64>(e) <= t) {
          const k = load<u64>(e) & 0x7fffffffffffffff;
          for (let g = 0; g < 4; g++) {
            const pc = cnt + ((<usize>(g * 65536 + <i32>((k >>> (<u64>(16 * g))) & 0xffff))) << 2);
            store<u32>(pc, load<u32>(pc) + 1);
          }
          q++;
        }
      }
    }
    for (let g = 0; g < 4; g++) prefix(cnt + ((<usize>(g * 65536)) << 2));
    let src = alloc(<usize>q << 2);
    let dst = alloc(<usize>q << 2);
    let w = 0;
    for (let i = n - 1; i >= 1; i--) {
      const row = i * n;
      for (let j = i - 1; j >= 0; j--) {
        if (load<f64>(M + ((<usize>(row + j)) << 3)) <= t) {
          store<u32>(src + (<usize>w << 2), row + j);
          w++;
        }
      }
    }
    for (let g = 0; g < 4; g++) {
      const base = cnt + ((<usize>(g * 65536)) << 2);
      for (let r = 0; r < q; r++) {
        const pos = load<u32>(src + (<usize>r << 2));
        const k = load<u64>(M + (<usize>pos << 3)) & 0x7fffffffffffffff;
        const pc = base + ((<usize>(<i32>((k >>> (<u64>(16 * g))) & 0xffff))) << 2);
        const at = load<u32>(pc);
        store<u32>(pc, at + 1);
        store<u32>(dst + (<usize>at << 2), pos);
      }
      const tmp = src;
      src = dst;
      dst = tmp;
    }
    EP = src;
  }
  // release the scratch: the sorted edges move down to where it began (later allocations reuse its pages)
  memory.copy(mark, EP, <usize>q << 2);
  EP = mark;
  top = (mark + (<usize>q << 2) + 15) & ~(<usize>15);
  edgeCount = q;
  return q;
}

function prefix(c: usize): void {
  let s: u32 = 0;
  for (let b = 0; b < 65536; b++) {
    const pc = c + (<usize>b << 2);
    const x = load<u32>(pc);
    store<u32>(pc, s);
    s += x;
  }
}

export function edgesPtr(): usize {
  return EP;
}

// ---- dimension 0: Kruskal; the other edges become H1 columns unless apparent ----
let H0: Vec = changetype<Vec>(0); // deaths (f64)
let h0Len: i32 = 0;
let roots: i32 = 0;
let CD: Vec = changetype<Vec>(0); // columns: diameters (f64)
let CX: Vec = changetype<Vec>(0); // columns: indices (i64)
let colLen: i32 = 0;
let apparent1: i32 = 0;

@inline function findRoot(parent: usize, v: i32): i32 {
  let r = v;
  while (load<i32>(parent + (<usize>r << 2)) != r) r = load<i32>(parent + (<usize>r << 2));
  while (load<i32>(parent + (<usize>v << 2)) != r) {
    const next = load<i32>(parent + (<usize>v << 2));
    store<i32>(parent + (<usize>v << 2), r);
    v = next;
  }
  return r;
}

/**
 * The largest w ∉ {u, v} with D(u, w) ≤ d and D(v, w) ≤ d, or −1: the new vertex of the oldest cofacet
 * of diameter d of the edge {u, v} (d a matrix entry). Four columns at a time on float32 rows.
 */
function lastCommon(u: i32, v: i32, d: f64): i32 {
  const ru = u * n;
  const rv = v * n;
  let w = n - 1;
  if (F32) {
    const dv = f32x4.splat(<f32>d);
    const pu = M + (<usize>ru << 2);
    const pv = M + (<usize>rv << 2);
    for (; w >= 3; w -= 4) {
      const at = <usize>(w - 3) << 2;
      const hit = v128.and(f32x4.le(v128.load(pu + at), dv), f32x4.le(v128.load(pv + at), dv));
      if (v128.any_true(hit)) {
        for (let k = w; k > w - 4; k--) if (k != u && k != v && D(ru + k) <= d && D(rv + k) <= d) return k;
      }
    }
  }
  for (; w >= 0; w--) if (w != u && w != v && D(ru + w) <= d && D(rv + w) <= d) return w;
  return -1;
}

/** The edge {u > v} of diameter d is in a zero-persistence apparent pair with a triangle (JS edgeApparentDense). */
function edgeApparentDense(u: i32, v: i32, d: f64): bool {
  const w = lastCommon(u, v, d);
  if (w < 0) return false;
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
  if (D(b * n + c) == d) return b == u && c == v;
  if (D(a * n + c) == d) return a == u && c == v;
  return a == u && b == v;
}

export function dim0(wantColumns: bool, keepZero: bool): void {
  const parent = alloc(<usize>n << 2);
  const rank = alloc(<usize>n);
  for (let v = 0; v < n; v++) {
    store<i32>(parent + (<usize>v << 2), v);
    store<u8>(rank + v, 0);
  }
  H0 = newVec(max(n, 4), 3);
  CD = newVec(1024, 3);
  CX = newVec(1024, 3);
  let apparent = 0;
  for (let q = 0; q < edgeCount; q++) {
    const x = <i32>load<u32>(EP + (<usize>q << 2));
    const a = x / n;
    const b = x - a * n;
    const d = D(x);
    let u = findRoot(parent, a);
    let v = findRoot(parent, b);
    if (u != v) {
      if (d > 0 || keepZero) pushF64(H0, d);
      const ru = load<u8>(rank + u);
      const rv = load<u8>(rank + v);
      if (ru < rv) {
        const tmp = u;
        u = v;
        v = tmp;
      }
      store<i32>(parent + (<usize>v << 2), u);
      if (ru == rv) store<u8>(rank + u, ru + 1);
    } else if (wantColumns) {
      if (SHORTCUTS && edgeApparentDense(a, b, d)) {
        apparent++;
        continue;
      }
      pushF64(CD, d);
      pushI64(CX, (<i64>a * <i64>(a - 1)) / 2 + <i64>b);
    }
  }
  let r = 0;
  for (let v = 0; v < n; v++) if (load<i32>(parent + (<usize>v << 2)) == v) r++;
  roots = r;
  h0Len = H0.len;
  apparent1 = apparent;
  // (diam desc, idx asc): reverse
  const m = CD.len;
  for (let i = 0, j = m - 1; i < j; i++, j--) {
    const pi = CD.ptr + (<usize>i << 3);
    const pj = CD.ptr + (<usize>j << 3);
    const di = load<f64>(pi);
    store<f64>(pi, load<f64>(pj));
    store<f64>(pj, di);
    const xi = CX.ptr + (<usize>i << 3);
    const xj = CX.ptr + (<usize>j << 3);
    const ii = load<i64>(xi);
    store<i64>(xi, load<i64>(xj));
    store<i64>(xj, ii);
  }
  colLen = m;
}

// ---- heaps of (diameter, index, coefficient): top = smallest diameter, then largest index ----
@unmanaged class Heap {
  d: usize;
  x: usize;
  c: usize;
  size: i32;
  cap: i32;
}

function newHeap(cap: i32): Heap {
  const h = changetype<Heap>(alloc(offsetof<Heap>()));
  h.d = alloc(<usize>cap << 3);
  h.x = alloc(<usize>cap << 3);
  h.c = alloc(<usize>cap << 2);
  h.size = 0;
  h.cap = cap;
  return h;
}

@inline function hd(h: Heap, i: i32): f64 {
  return F32 ? <f64>load<f32>(h.d + (<usize>i << 2)) : load<f64>(h.d + (<usize>i << 3));
}
@inline function hx(h: Heap, i: i32): i64 {
  return load<i64>(h.x + (<usize>i << 3));
}
@inline function hc(h: Heap, i: i32): i32 {
  return P == 2 ? 1 : load<i32>(h.c + (<usize>i << 2));
}
@inline function hset(h: Heap, i: i32, d: f64, x: i64, c: i32): void {
  if (F32) store<f32>(h.d + (<usize>i << 2), <f32>d);
  else store<f64>(h.d + (<usize>i << 3), d);
  store<i64>(h.x + (<usize>i << 3), x);
  if (P != 2) store<i32>(h.c + (<usize>i << 2), c);
}

function heapGrow(h: Heap): void {
  if (h.size >= 1024) {
    heapCompact(h);
    if (h.size <= h.cap >> 1) return;
  }
  const cap = h.cap * 2;
  const d = alloc(<usize>cap << 3);
  const x = alloc(<usize>cap << 3);
  const c = alloc(<usize>cap << 2);
  memory.copy(d, h.d, <usize>h.size << (F32 ? 2 : 3));
  memory.copy(x, h.x, <usize>h.size << 3);
  if (P != 2) memory.copy(c, h.c, <usize>h.size << 2);
  h.d = d;
  h.x = x;
  h.c = c;
  h.cap = cap;
}

/** Heapsort in place, reverse, merge equal indices mod P (zeros dropped): a sorted array is a heap. */
function heapCompact(h: Heap): void {
  const m = h.size;
  for (let end = m - 1; end > 0; end--) {
    const d = hd(h, 0);
    const x = hx(h, 0);
    const c = hc(h, 0);
    heapPop(h);
    hset(h, end, d, x, c);
  }
  for (let i = 0, j = m - 1; i < j; i++, j--) {
    const d = hd(h, i);
    const x = hx(h, i);
    const c = hc(h, i);
    hset(h, i, hd(h, j), hx(h, j), hc(h, j));
    hset(h, j, d, x, c);
  }
  let w = 0;
  for (let r = 0; r < m; ) {
    const x = hx(h, r);
    const d = hd(h, r);
    let c = 0;
    for (; r < m && hx(h, r) == x; r++) c += hc(h, r);
    c %= P;
    if (c != 0) {
      hset(h, w, d, x, c);
      w++;
    }
  }
  h.size = w;
}

function heapPush(h: Heap, d: f64, x: i64, c: i32): void {
  if (h.size == h.cap) heapGrow(h);
  let i = h.size++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pd = hd(h, p);
    if (pd < d || (pd == d && hx(h, p) >= x)) break;
    hset(h, i, pd, hx(h, p), hc(h, p));
    i = p;
  }
  hset(h, i, d, x, c);
}

function heapPop(h: Heap): void {
  const n1 = --h.size;
  if (n1 == 0) return;
  const d = hd(h, n1);
  const x = hx(h, n1);
  const c = hc(h, n1);
  let i = 0;
  for (;;) {
    let l = 2 * i + 1;
    if (l >= n1) break;
    const r = l + 1;
    if (r < n1) {
      const ld = hd(h, l);
      const rd = hd(h, r);
      if (rd < ld || (rd == ld && hx(h, r) > hx(h, l))) l = r;
    }
    const cd = hd(h, l);
    if (d < cd || (d == cd && x >= hx(h, l))) break;
    hset(h, i, cd, hx(h, l), hc(h, l));
    i = l;
  }
  hset(h, i, d, x, c);
}

let pvD: f64 = 0;
let pvX: i64 = -1;
let pvC: i32 = 0;

/** Pops the pivot (equal indices summed mod P, cancelled at 0); false for a zero column. */
function popPivot(h: Heap): bool {
  if (P == 2) {
    while (h.size > 0) {
      const d = hd(h, 0);
      const x = hx(h, 0);
      heapPop(h);
      if (h.size == 0 || hx(h, 0) != x) {
        pvD = d;
        pvX = x;
        pvC = 1;
        return true;
      }
      heapPop(h);
    }
    pvX = -1;
    return false;
  }
  let pd: f64 = 0;
  let px: i64 = -1;
  let pc = 0;
  while (h.size > 0) {
    if (pc == 0) {
      pd = hd(h, 0);
      px = hx(h, 0);
      pc = hc(h, 0);
    } else if (hx(h, 0) != px) {
      break;
    } else {
      pc = (pc + hc(h, 0)) % P;
    }
    heapPop(h);
  }
  if (pc == 0) {
    pvX = -1;
    return false;
  }
  pvD = pd;
  pvX = px;
  pvC = pc;
  return true;
}

function getPivot(h: Heap): bool {
  if (!popPivot(h)) return false;
  heapPush(h, pvD, pvX, pvC);
  return true;
}

// ---- pivot table: open addressing, simplex index → column, coefficient ----
let PK: usize = 0; // i64 keys, −1 empty
let PCOL: usize = 0; // i32
let PCF: usize = 0; // i32
let PMASK: i32 = 0;
let foundCol: i32 = 0;
let foundCoef: i32 = 0;

@inline function phash(x: i64): i32 {
  return <i32>((<u64>x * 0x9e3779b97f4a7c15) >>> 32) & PMASK;
}

function pivotsInit(expected: i32): void {
  let cap = 16;
  while (cap < expected * 2) cap *= 2;
  PK = alloc(<usize>cap << 3);
  PCOL = alloc(<usize>cap << 2);
  PCF = alloc(<usize>cap << 2);
  memory.fill(PK, 0xff, <usize>cap << 3);
  PMASK = cap - 1;
}

function pivotFind(x: i64): bool {
  let h = phash(x);
  for (;;) {
    const k = load<i64>(PK + (<usize>h << 3));
    if (k == x) {
      foundCol = load<i32>(PCOL + (<usize>h << 2));
      foundCoef = load<i32>(PCF + (<usize>h << 2));
      return true;
    }
    if (k == -1) return false;
    h = (h + 1) & PMASK;
  }
  return false;
}

function pivotHas(x: i64): bool {
  let h = phash(x);
  for (;;) {
    const k = load<i64>(PK + (<usize>h << 3));
    if (k == x) return true;
    if (k == -1) return false;
    h = (h + 1) & PMASK;
  }
  return false;
}

function pivotSet(x: i64, col: i32, coef: i32): void {
  let h = phash(x);
  while (load<i64>(PK + (<usize>h << 3)) != -1) h = (h + 1) & PMASK;
  store<i64>(PK + (<usize>h << 3), x);
  store<i32>(PCOL + (<usize>h << 2), col);
  store<i32>(PCF + (<usize>h << 2), coef);
}

// ---- simplex arithmetic (combinatorial number system) ----
/** Largest v in [k−1, top] with C(v, 3) ≤ idx (k = 3). */
@inline function maxVertex3(idx: i64, top: i32): i32 {
  if (b3(top) <= idx) return top;
  let lo = 2;
  let hi = top;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (b3(mid) <= idx) lo = mid;
    else hi = mid;
  }
  return lo;
}
@inline function maxVertex2(idx: i64, top: i32): i32 {
  if (b2(top) <= idx) return top;
  let lo = 1;
  let hi = top;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (b2(mid) <= idx) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Edge index C(a, 2) + b → a (a > b). */
@inline function edgeTop(idx: i64): i32 {
  let a = <i32>Math.floor((1 + Math.sqrt(1 + 8 * <f64>idx)) / 2);
  while (b2(a) > idx) a--;
  while (b2(a + 1) <= idx) a++;
  return a;
}

let zIdx: i64 = -1;
let zDiam: f64 = 0;
let zCoef: i32 = 0;

@inline function mulmod(a: i32, b: i32): i32 {
  return <i32>((<i64>a * <i64>b) % <i64>P);
}

/**
 * zeroApparentFacet of the triangle (idx, diam, coef): its youngest facet of equal diameter (an edge),
 * if that edge's oldest cofacet of equal diameter is the triangle; sets zIdx/zDiam/zCoef.
 */
function zeroApparentFacet(idx: i64, diam: f64, coef: i32): bool {
  const a = maxVertex3(idx, n - 1);
  const r1 = idx - b3(a);
  const b = maxVertex2(r1, a - 1);
  const c = <i32>(r1 - b2(b));
  // facets in increasing index order: {b, c}, {a, c}, {a, b}
  let e: i32;
  let f: i32;
  let fc: i32;
  if (D(b * n + c) == diam) {
    e = b;
    f = c;
    fc = coef;
  } else if (D(a * n + c) == diam) {
    e = a;
    f = c;
    fc = P == 2 ? 1 : mulmod(P - 1, coef);
  } else if (D(a * n + b) == diam) {
    e = a;
    f = b;
    fc = coef;
  } else {
    zIdx = -1;
    return false;
  }
  // the edge's oldest cofacet of diameter `diam`: the largest w with D(e, w), D(f, w) ≤ diam
  const w = lastCommon(e, f, diam);
  if (w < 0) {
    zIdx = -1;
    return false;
  }
  let cof: i64;
  if (w > e) cof = b3(w) + b2(e) + <i64>f;
  else if (w > f) cof = b3(e) + b2(w) + <i64>f;
  else cof = b3(e) + b2(f) + <i64>w;
  if (cof != idx) {
    zIdx = -1;
    return false;
  }
  zIdx = b2(e) + <i64>f;
  zDiam = diam;
  zCoef = fc;
  return true;
}

// ---- H1 reduction ----
let W: Heap = changetype<Heap>(0);
let C: Heap = changetype<Heap>(0);
let BUF_D: usize = 0;
let BUF_X: usize = 0;
let BUF_C: usize = 0;
let VD: Vec = changetype<Vec>(0);
let VX: Vec = changetype<Vec>(0);
let VC: Vec = changetype<Vec>(0);
let PAIRS: Vec = changetype<Vec>(0); // (birth, death) per column that gave a pair or an essential class
let PIVS: Vec = changetype<Vec>(0); // pivot indices (i64), in the order set
let pairLen: i32 = 0;
let emergent1: i32 = 0;
let additions1: i32 = 0;

// The largest float32 ≤ T: for a float32 value d, d ≤ T ⇔ d ≤ TF.
let TF: f32 = 0;

/**
 * Float32 rows, w = hi down to lo (hi − lo + 1 a multiple of 4 is not needed: the rest is scalar):
 * pushes the cofacets {w} ∪ edge with diameter max(D(a, w), D(b, w), diam) ≤ T into C, index
 * base + C(w, k) (k = 3 above a, 2 between b and a) or base + w (k = 1 below b), four w at a time.
 */
@inline function pushRange(ra: i32, rb: i32, hi: i32, lo: i32, diam: f64, base: i64, k: i32, c: i32): i32 {
  const pa = M + (<usize>ra << 2);
  const pb = M + (<usize>rb << 2);
  const dv = f32x4.splat(<f32>diam);
  const tv = f32x4.splat(TF);
  let w = hi;
  for (; w - 3 >= lo; w -= 4) {
    const at = <usize>(w - 3) << 2;
    const m = f32x4.max(f32x4.max(v128.load(pa + at), v128.load(pb + at)), dv);
    const ok = f32x4.le(m, tv);
    if (!v128.any_true(ok)) continue;
    if (i32x4.extract_lane(ok, 3) != 0) heapPush(C, <f64>f32x4.extract_lane(m, 3), base + kth(w, k), c);
    if (i32x4.extract_lane(ok, 2) != 0) heapPush(C, <f64>f32x4.extract_lane(m, 2), base + kth(w - 1, k), c);
    if (i32x4.extract_lane(ok, 1) != 0) heapPush(C, <f64>f32x4.extract_lane(m, 1), base + kth(w - 2, k), c);
    if (i32x4.extract_lane(ok, 0) != 0) heapPush(C, <f64>f32x4.extract_lane(m, 0), base + kth(w - 3, k), c);
  }
  return w;
}

@inline function kth(w: i32, k: i32): i64 {
  return k == 3 ? b3(w) : k == 2 ? b2(w) : <i64>w;
}

/** The coboundary of edge idx = C(a, 2) + b (entries ≤ T), times coef, into C; the edge into W. */
function addEdge(idx: i64, diam: f64, coef: i32): void {
  heapPush(W, diam, idx, coef);
  const a = edgeTop(idx);
  const b = <i32>(idx - b2(a));
  const ra = a * n;
  const rb = b * n;
  const t = T;
  const pos = P == 2 ? 1 : coef;
  const neg = P == 2 ? 1 : mulmod(P - 1, coef);
  const above = b2(a) + <i64>b;
  if (F32) {
    // same entries as the loops below, in the same order
    let w = pushRange(ra, rb, n - 1, a + 1, diam, above, 3, pos);
    for (; w > a; w--) {
      let d = D(ra + w);
      const e = D(rb + w);
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) heapPush(C, d, b3(w) + above, pos);
    }
    const a3 = b3(a);
    w = pushRange(ra, rb, a - 1, b + 1, diam, a3 + <i64>b, 2, neg);
    for (; w > b; w--) {
      let d = D(ra + w);
      const e = D(rb + w);
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) heapPush(C, d, a3 + b2(w) + <i64>b, neg);
    }
    const below = a3 + b2(b);
    w = pushRange(ra, rb, b - 1, 0, diam, below, 1, pos);
    for (; w >= 0; w--) {
      let d = D(ra + w);
      const e = D(rb + w);
      if (e > d) d = e;
      if (diam > d) d = diam;
      if (d <= t) heapPush(C, d, below + <i64>w, pos);
    }
    return;
  }
  for (let w = n - 1; w > a; w--) {
    let d = D(ra + w);
    const e = D(rb + w);
    if (e > d) d = e;
    if (diam > d) d = diam;
    if (d <= t) heapPush(C, d, b3(w) + above, pos);
  }
  const a3 = b3(a);
  for (let w = a - 1; w > b; w--) {
    let d = D(ra + w);
    const e = D(rb + w);
    if (e > d) d = e;
    if (diam > d) d = diam;
    if (d <= t) heapPush(C, d, a3 + b2(w) + <i64>b, neg);
  }
  const below = a3 + b2(b);
  for (let w = b - 1; w >= 0; w--) {
    let d = D(ra + w);
    const e = D(rb + w);
    if (e > d) d = e;
    if (diam > d) d = diam;
    if (d <= t) heapPush(C, d, below + <i64>w, pos);
  }
}

@inline function bufPush(k: i32, d: f64, x: i64, c: i32): void {
  store<f64>(BUF_D + (<usize>k << 3), d);
  store<i64>(BUF_X + (<usize>k << 3), x);
  store<i32>(BUF_C + (<usize>k << 2), c);
}

/** The column's coboundary into C (or an emergent pivot): true when it has a pivot (in pvD/pvX/pvC). */
function initCoboundary(idx: i64, diam: f64): bool {
  const a = edgeTop(idx);
  const b = <i32>(idx - b2(a));
  const ra = a * n;
  const rb = b * n;
  const t = T;
  const neg = P - 1;
  let check = SHORTCUTS;
  let k = 0;
  const above = b2(a) + <i64>b;
  const a3 = b3(a);
  const below = a3 + b2(b);
  for (let w = n - 1; w >= 0; w--) {
    if (w == a || w == b) continue;
    let d = D(ra + w);
    const e = D(rb + w);
    if (e > d) d = e;
    if (diam > d) d = diam;
    if (d > t) continue;
    let x: i64;
    let c: i32;
    if (w > a) {
      x = b3(w) + above;
      c = 1;
    } else if (w > b) {
      x = a3 + b2(w) + <i64>b;
      c = P == 2 ? 1 : neg;
    } else {
      x = below + <i64>w;
      c = 1;
    }
    bufPush(k++, d, x, c);
    if (check && d == diam) {
      if (!pivotHas(x) && !zeroApparentFacet(x, d, c)) {
        pvD = d;
        pvX = x;
        pvC = c;
        emergent1++;
        return true;
      }
      check = false;
    }
  }
  for (let q = 0; q < k; q++) heapPush(C, load<f64>(BUF_D + (<usize>q << 3)), load<i64>(BUF_X + (<usize>q << 3)), load<i32>(BUF_C + (<usize>q << 2)));
  return getPivot(C);
}

@inline function drainW(): void {
  while (popPivot(W)) {
    if (F32) pushF32(VD, <f32>pvD);
    else pushF64(VD, pvD);
    pushI64(VX, pvX);
    if (P != 2) pushI32(VC, pvC);
  }
}

@inline function vDiam(e: i32): f64 {
  return F32 ? <f64>load<f32>(VD.ptr + (<usize>e << 2)) : load<f64>(VD.ptr + (<usize>e << 3));
}

/** Reduces the H1 columns left by dim0 (keepZero: also pairs of zero persistence). */
export function dim1(keepZero: bool): void {
  const count = colLen;
  // Large capacities cost address space only (pages count once written): no regrowth copies, and the
  // coboundary heap compacts only when it holds 2^20 entries.
  W = newHeap(1 << 18);
  C = newHeap(1 << 20);
  BUF_D = alloc(<usize>n << 3);
  BUF_X = alloc(<usize>n << 3);
  BUF_C = alloc(<usize>n << 2);
  VD = newVec(1 << 20, F32 ? 2 : 3);
  VX = newVec(1 << 20, 3);
  VC = newVec(1 << 20, 2);
  PAIRS = newVec(1024, 3);
  PIVS = newVec(1024, 3);
  pivotsInit(count);
  const vStart = alloc(<usize>(count + 1) << 2);
  store<i32>(vStart, 0);
  let additions = 0;
  emergent1 = 0;
  const p = P;
  for (let col = 0; col < count; col++) {
    const sIdx = load<i64>(CX.ptr + (<usize>col << 3));
    const sDiam = load<f64>(CD.ptr + (<usize>col << 3));
    W.size = 0;
    C.size = 0;
    let found = initCoboundary(sIdx, sDiam);
    for (;;) {
      if (!found) {
        pushF64(PAIRS, sDiam);
        pushF64(PAIRS, Infinity);
        store<i32>(vStart + (<usize>(col + 1) << 2), VX.len);
        break;
      }
      const pd = pvD;
      const px = pvX;
      const pc = pvC;
      if (pivotFind(px)) {
        const c2 = foundCol;
        const f = p == 2 ? 1 : p - mulmod(pc, load<i32>(INV + (<usize>foundCoef << 2)));
        additions++;
        addEdge(load<i64>(CX.ptr + (<usize>c2 << 3)), load<f64>(CD.ptr + (<usize>c2 << 3)), f);
        const e1 = load<i32>(vStart + (<usize>(c2 + 1) << 2));
        for (let e = load<i32>(vStart + (<usize>c2 << 2)); e < e1; e++) {
          addEdge(load<i64>(VX.ptr + (<usize>e << 3)), vDiam(e), p == 2 ? 1 : mulmod(load<i32>(VC.ptr + (<usize>e << 2)), f));
        }
        found = getPivot(C);
      } else if (SHORTCUTS && zeroApparentFacet(px, pd, pc)) {
        additions++;
        addEdge(zIdx, zDiam, p == 2 ? 1 : p - zCoef);
        found = getPivot(C);
      } else {
        if (pd > sDiam * RATIO || (keepZero && pd == sDiam)) {
          pushF64(PAIRS, sDiam);
          pushF64(PAIRS, pd);
        }
        pivotSet(px, col, pc);
        pushI64(PIVS, px);
        drainW();
        store<i32>(vStart + (<usize>(col + 1) << 2), VX.len);
        break;
      }
    }
  }
  additions1 = additions;
  pairLen = PAIRS.len >> 1;
}

// ---- results ----
export function h0Ptr(): usize {
  return H0.ptr;
}
export function h0Count(): i32 {
  return h0Len;
}
export function rootCount(): i32 {
  return roots;
}
export function columnCount(): i32 {
  return colLen;
}
export function apparentCount(): i32 {
  return apparent1;
}
export function emergentCount(): i32 {
  return emergent1;
}
export function additionCount(): i32 {
  return additions1;
}
export function pairsPtr(): usize {
  return PAIRS.ptr;
}
export function pairCount(): i32 {
  return pairLen;
}
export function pivotsPtr(): usize {
  return PIVS.ptr;
}
export function pivotCount(): i32 {
  return PIVS.len;
}
