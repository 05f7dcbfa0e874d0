// AssemblyScript source of the level-2 (matrix-vector) kernels of the blocked two-sided reductions:
// eigh's tridiagonalization (LAPACK dlatrd's dsymv and dgemv calls) and svd's bidiagonalization
// (dlabrd's dgemv calls), with 128-bit SIMD (f64x2). Every argument is an index in doubles into the
// module's memory. src/kernels/level2-kernels.ts holds the same arithmetic in JavaScript, operation
// for operation, as the fallback where WebAssembly SIMD is missing; a test checks that both give the
// same bits.
// `npm run build:wasm` compiles this file into src/kernels/level2-wasm-bytes.ts (committed; a
// test checks that the committed bytes are this file compiled).

/** The first double index free for the caller's data (past the compiler's static area). */
export function heapStart(): i32 {
  return <i32>((__heap_base + 63) >>> 3);
}

/** Grows the memory to hold `doubles` doubles; false when it cannot. */
export function reserve(doubles: i32): bool {
  const need = <i32>((<u64>doubles * 8 + 0xffff) >>> 16);
  const have = memory.size();
  return need <= have || memory.grow(need - have) >= 0;
}

// @ts-ignore: decorator
@inline function at(i: i32): usize {
  return <usize>i << 3;
}

/**
 * y ← y + A·x for the symmetric n×n matrix A given by its lower triangle, column-major at `a` with
 * leading dimension `lda`. Four columns per pass: the part below their diagonal block is read once
 * and used twice, as four dot products (two lanes each: even and odd rows) and as one axpy into y;
 * then the 4×4 diagonal block. The last n mod 4 columns form a corner with nothing below it.
 */
export function symvLower(a: i32, lda: i32, x: i32, y: i32, n: i32): void {
  const ld = at(lda);
  const xb = at(x);
  const yb = at(y);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = at(a + c * lda);
    const k1 = k0 + ld;
    const k2 = k1 + ld;
    const k3 = k2 + ld;
    const xc = xb + at(c);
    const x0 = load<f64>(xc);
    const x1 = load<f64>(xc, 8);
    const x2 = load<f64>(xc, 16);
    const x3 = load<f64>(xc, 24);
    const X0 = f64x2.splat(x0);
    const X1 = f64x2.splat(x1);
    const X2 = f64x2.splat(x2);
    const X3 = f64x2.splat(x3);
    let T0 = f64x2.splat(0.0);
    let T1 = f64x2.splat(0.0);
    let T2 = f64x2.splat(0.0);
    let T3 = f64x2.splat(0.0);
    let r = c + 4;
    for (; r + 2 <= n; r += 2) {
      const o = at(r);
      const V = v128.load(xb + o);
      const P0 = v128.load(k0 + o);
      const P1 = v128.load(k1 + o);
      const P2 = v128.load(k2 + o);
      const P3 = v128.load(k3 + o);
      T0 = f64x2.add(T0, f64x2.mul(P0, V));
      T1 = f64x2.add(T1, f64x2.mul(P1, V));
      T2 = f64x2.add(T2, f64x2.mul(P2, V));
      T3 = f64x2.add(T3, f64x2.mul(P3, V));
      let Y = v128.load(yb + o);
      Y = f64x2.add(Y, f64x2.mul(P0, X0));
      Y = f64x2.add(Y, f64x2.mul(P1, X1));
      Y = f64x2.add(Y, f64x2.mul(P2, X2));
      Y = f64x2.add(Y, f64x2.mul(P3, X3));
      v128.store(yb + o, Y);
    }
    let t0 = f64x2.extract_lane(T0, 0) + f64x2.extract_lane(T0, 1);
    let t1 = f64x2.extract_lane(T1, 0) + f64x2.extract_lane(T1, 1);
    let t2 = f64x2.extract_lane(T2, 0) + f64x2.extract_lane(T2, 1);
    let t3 = f64x2.extract_lane(T3, 0) + f64x2.extract_lane(T3, 1);
    if (r < n) {
      const o = at(r);
      const v = load<f64>(xb + o);
      const p0 = load<f64>(k0 + o);
      const p1 = load<f64>(k1 + o);
      const p2 = load<f64>(k2 + o);
      const p3 = load<f64>(k3 + o);
      t0 += p0 * v;
      t1 += p1 * v;
      t2 += p2 * v;
      t3 += p3 * v;
      store<f64>(yb + o, load<f64>(yb + o) + p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3);
    }
    // The diagonal block: A(i, j) is stored at column min(i, j), row max(i, j).
    const d = at(c);
    const a00 = load<f64>(k0 + d);
    const a10 = load<f64>(k0 + d, 8);
    const a20 = load<f64>(k0 + d, 16);
    const a30 = load<f64>(k0 + d, 24);
    const a11 = load<f64>(k1 + d, 8);
    const a21 = load<f64>(k1 + d, 16);
    const a31 = load<f64>(k1 + d, 24);
    const a22 = load<f64>(k2 + d, 16);
    const a32 = load<f64>(k2 + d, 24);
    const a33 = load<f64>(k3 + d, 24);
    const yc = yb + d;
    store<f64>(yc, load<f64>(yc) + t0 + (a00 * x0 + a10 * x1 + a20 * x2 + a30 * x3));
    store<f64>(yc, load<f64>(yc, 8) + t1 + (a10 * x0 + a11 * x1 + a21 * x2 + a31 * x3), 8);
    store<f64>(yc, load<f64>(yc, 16) + t2 + (a20 * x0 + a21 * x1 + a22 * x2 + a32 * x3), 16);
    store<f64>(yc, load<f64>(yc, 24) + t3 + (a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3), 24);
  }
  for (let i = c; i < n; i++) {
    let s = 0.0;
    for (let j = c; j < n; j++) {
      const aij = i >= j ? load<f64>(at(a + j * lda + i)) : load<f64>(at(a + i * lda + j));
      s += aij * load<f64>(xb + at(j));
    }
    store<f64>(yb + at(i), load<f64>(yb + at(i)) + s);
  }
}

/**
 * y[r] ← y[r] − Σ_p (A[p, r]·s[p] + B[p, r]·t[p]) for r < n and p < np, the terms subtracted one p
 * after another; A and B are np×n row-major with row stride `ld`. Eight rows per pass share each
 * broadcast of s[p] and t[p].
 */
export function gemvPairSub(y: i32, a: i32, b: i32, ld: i32, np: i32, s: i32, t: i32, n: i32): void {
  const yb = at(y);
  const lb = at(ld);
  const sb = at(s);
  const tb = at(t);
  let r = 0;
  for (; r + 8 <= n; r += 8) {
    const o = at(r);
    let Y0 = v128.load(yb + o);
    let Y1 = v128.load(yb + o, 16);
    let Y2 = v128.load(yb + o, 32);
    let Y3 = v128.load(yb + o, 48);
    let pa = at(a) + o;
    let pb = at(b) + o;
    for (let p = 0; p < np; p++) {
      const S = f64x2.splat(load<f64>(sb + at(p)));
      const T = f64x2.splat(load<f64>(tb + at(p)));
      Y0 = f64x2.sub(Y0, f64x2.add(f64x2.mul(v128.load(pa), S), f64x2.mul(v128.load(pb), T)));
      Y1 = f64x2.sub(Y1, f64x2.add(f64x2.mul(v128.load(pa, 16), S), f64x2.mul(v128.load(pb, 16), T)));
      Y2 = f64x2.sub(Y2, f64x2.add(f64x2.mul(v128.load(pa, 32), S), f64x2.mul(v128.load(pb, 32), T)));
      Y3 = f64x2.sub(Y3, f64x2.add(f64x2.mul(v128.load(pa, 48), S), f64x2.mul(v128.load(pb, 48), T)));
      pa += lb;
      pb += lb;
    }
    v128.store(yb + o, Y0);
    v128.store(yb + o, Y1, 16);
    v128.store(yb + o, Y2, 32);
    v128.store(yb + o, Y3, 48);
  }
  for (; r + 2 <= n; r += 2) {
    const o = at(r);
    let Y = v128.load(yb + o);
    let pa = at(a) + o;
    let pb = at(b) + o;
    for (let p = 0; p < np; p++) {
      const S = f64x2.splat(load<f64>(sb + at(p)));
      const T = f64x2.splat(load<f64>(tb + at(p)));
      Y = f64x2.sub(Y, f64x2.add(f64x2.mul(v128.load(pa), S), f64x2.mul(v128.load(pb), T)));
      pa += lb;
      pb += lb;
    }
    v128.store(yb + o, Y);
  }
  if (r < n) {
    const o = at(r);
    let v = load<f64>(yb + o);
    let pa = at(a) + o;
    let pb = at(b) + o;
    for (let p = 0; p < np; p++) {
      v -= load<f64>(pa) * load<f64>(sb + at(p)) + load<f64>(pb) * load<f64>(tb + at(p));
      pa += lb;
      pb += lb;
    }
    store<f64>(yb + o, v);
  }
}

/**
 * s[p] ← Σ_r A[p, r]·x[r] and t[p] ← Σ_r B[p, r]·x[r] for p < np over r < n (A, B np×n row-major with
 * row stride `ld`). Each sum keeps four partial sums, one per residue of r mod 4 (two f64x2
 * accumulators), combined as ((r≡0 + r≡2) + (r≡1 + r≡3)); an odd last row is added after.
 */
export function gemvPairDots(a: i32, b: i32, ld: i32, np: i32, x: i32, n: i32, s: i32, t: i32): void {
  const xb = at(x);
  for (let p = 0; p < np; p++) {
    const pa = at(a + p * ld);
    const pb = at(b + p * ld);
    let A0 = f64x2.splat(0.0);
    let A1 = f64x2.splat(0.0);
    let B0 = f64x2.splat(0.0);
    let B1 = f64x2.splat(0.0);
    let r = 0;
    for (; r + 4 <= n; r += 4) {
      const o = at(r);
      const X0 = v128.load(xb + o);
      const X1 = v128.load(xb + o, 16);
      A0 = f64x2.add(A0, f64x2.mul(v128.load(pa + o), X0));
      A1 = f64x2.add(A1, f64x2.mul(v128.load(pa + o, 16), X1));
      B0 = f64x2.add(B0, f64x2.mul(v128.load(pb + o), X0));
      B1 = f64x2.add(B1, f64x2.mul(v128.load(pb + o, 16), X1));
    }
    if (r + 2 <= n) {
      const o = at(r);
      const X0 = v128.load(xb + o);
      A0 = f64x2.add(A0, f64x2.mul(v128.load(pa + o), X0));
      B0 = f64x2.add(B0, f64x2.mul(v128.load(pb + o), X0));
      r += 2;
    }
    let sa = f64x2.extract_lane(A0, 0) + f64x2.extract_lane(A1, 0) + (f64x2.extract_lane(A0, 1) + f64x2.extract_lane(A1, 1));
    let sb = f64x2.extract_lane(B0, 0) + f64x2.extract_lane(B1, 0) + (f64x2.extract_lane(B0, 1) + f64x2.extract_lane(B1, 1));
    if (r < n) {
      const o = at(r);
      const v = load<f64>(xb + o);
      sa += load<f64>(pa + o) * v;
      sb += load<f64>(pb + o) * v;
    }
    store<f64>(at(s + p), sa);
    store<f64>(at(t + p), sb);
  }
}

/**
 * y[c] ← Σ_r A[r, c]·x[r] for c < n over r < m, A column-major with leading dimension `lda`. Four
 * columns per pass share each load of x; every sum keeps two partial sums (even and odd r, one f64x2),
 * adds them, then an odd last row.
 */
export function gemvT(a: i32, lda: i32, m: i32, n: i32, x: i32, y: i32): void {
  const ld = at(lda);
  const xb = at(x);
  const yb = at(y);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = at(a + c * lda);
    const k1 = k0 + ld;
    const k2 = k1 + ld;
    const k3 = k2 + ld;
    let S0 = f64x2.splat(0.0);
    let S1 = f64x2.splat(0.0);
    let S2 = f64x2.splat(0.0);
    let S3 = f64x2.splat(0.0);
    let r = 0;
    for (; r + 2 <= m; r += 2) {
      const o = at(r);
      const X = v128.load(xb + o);
      S0 = f64x2.add(S0, f64x2.mul(v128.load(k0 + o), X));
      S1 = f64x2.add(S1, f64x2.mul(v128.load(k1 + o), X));
      S2 = f64x2.add(S2, f64x2.mul(v128.load(k2 + o), X));
      S3 = f64x2.add(S3, f64x2.mul(v128.load(k3 + o), X));
    }
    let s0 = f64x2.extract_lane(S0, 0) + f64x2.extract_lane(S0, 1);
    let s1 = f64x2.extract_lane(S1, 0) + f64x2.extract_lane(S1, 1);
    let s2 = f64x2.extract_lane(S2, 0) + f64x2.extract_lane(S2, 1);
    let s3 = f64x2.extract_lane(S3, 0) + f64x2.extract_lane(S3, 1);
    if (r < m) {
      const o = at(r);
      const v = load<f64>(xb + o);
      s0 += load<f64>(k0 + o) * v;
      s1 += load<f64>(k1 + o) * v;
      s2 += load<f64>(k2 + o) * v;
      s3 += load<f64>(k3 + o) * v;
    }
    const yc = yb + at(c);
    store<f64>(yc, s0);
    store<f64>(yc, s1, 8);
    store<f64>(yc, s2, 16);
    store<f64>(yc, s3, 24);
  }
  for (; c < n; c++) {
    const k0 = at(a + c * lda);
    let S0 = f64x2.splat(0.0);
    let r = 0;
    for (; r + 2 <= m; r += 2) {
      const o = at(r);
      S0 = f64x2.add(S0, f64x2.mul(v128.load(k0 + o), v128.load(xb + o)));
    }
    let s0 = f64x2.extract_lane(S0, 0) + f64x2.extract_lane(S0, 1);
    if (r < m) s0 += load<f64>(k0 + at(r)) * load<f64>(xb + at(r));
    store<f64>(yb + at(c), s0);
  }
}

/**
 * y[r] ← y[r] + Σ_c A[r, c]·x[c] for r < m over c < n, A column-major with leading dimension `lda`,
 * the terms added in increasing c. Four columns per pass share each load and store of y.
 */
export function gemvN(a: i32, lda: i32, m: i32, n: i32, x: i32, y: i32): void {
  const ld = at(lda);
  const xb = at(x);
  const yb = at(y);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = at(a + c * lda);
    const k1 = k0 + ld;
    const k2 = k1 + ld;
    const k3 = k2 + ld;
    const xc = xb + at(c);
    const x0 = load<f64>(xc);
    const x1 = load<f64>(xc, 8);
    const x2 = load<f64>(xc, 16);
    const x3 = load<f64>(xc, 24);
    const X0 = f64x2.splat(x0);
    const X1 = f64x2.splat(x1);
    const X2 = f64x2.splat(x2);
    const X3 = f64x2.splat(x3);
    let r = 0;
    for (; r + 2 <= m; r += 2) {
      const o = at(r);
      let Y = v128.load(yb + o);
      Y = f64x2.add(Y, f64x2.mul(v128.load(k0 + o), X0));
      Y = f64x2.add(Y, f64x2.mul(v128.load(k1 + o), X1));
      Y = f64x2.add(Y, f64x2.mul(v128.load(k2 + o), X2));
      Y = f64x2.add(Y, f64x2.mul(v128.load(k3 + o), X3));
      v128.store(yb + o, Y);
    }
    if (r < m) {
      const o = at(r);
      store<f64>(yb + o, load<f64>(yb + o) + load<f64>(k0 + o) * x0 + load<f64>(k1 + o) * x1 + load<f64>(k2 + o) * x2 + load<f64>(k3 + o) * x3);
    }
  }
  for (; c < n; c++) {
    const k0 = at(a + c * lda);
    const x0 = load<f64>(xb + at(c));
    const X0 = f64x2.splat(x0);
    let r = 0;
    for (; r + 2 <= m; r += 2) {
      const o = at(r);
      v128.store(yb + o, f64x2.add(v128.load(yb + o), f64x2.mul(v128.load(k0 + o), X0)));
    }
    if (r < m) store<f64>(yb + at(r), load<f64>(yb + at(r)) + load<f64>(k0 + at(r)) * x0);
  }
}

/**
 * A[:, c] ← A[:, c] + x·y[c] for c < n over m rows (a rank-one update, dger), A column-major with
 * leading dimension `lda`: one multiply and one add per entry.
 */
export function rank1Update(a: i32, lda: i32, m: i32, n: i32, x: i32, y: i32): void {
  const xb = at(x);
  for (let c = 0; c < n; c++) {
    const k0 = at(a + c * lda);
    const yc = load<f64>(at(y + c));
    const Y = f64x2.splat(yc);
    let r = 0;
    for (; r + 2 <= m; r += 2) {
      const o = at(r);
      v128.store(k0 + o, f64x2.add(v128.load(k0 + o), f64x2.mul(v128.load(xb + o), Y)));
    }
    if (r < m) store<f64>(k0 + at(r), load<f64>(k0 + at(r)) + load<f64>(xb + at(r)) * yc);
  }
}
