/**
 * Binary heap of (diameter, index, coefficient) entries, struct-of-arrays. The top is the entry that is
 * earliest in the filtration: smallest diameter, then largest index (§3.3), i.e. the pivot of a
 * coboundary column.
 */
export class EntryHeap {
  diam: Float64Array | Float32Array;
  idx: Float64Array;
  /** Coefficients at `i & cmask`: over Z/2 every coefficient is 1, so one slot (cmask = 0) stands for all. */
  coef: Uint16Array;
  private readonly cmask: number;
  size = 0;
  /** Result of `popPivot`/`getPivot`. */
  pivDiam = 0;
  pivIdx = -1;
  pivCoef = 0;

  /**
   * @param modulus the coefficient field Z/p (merging equal entries when the heap is compacted; Z/2 stores
   * no coefficients).
   * @param float32 diameters are float32 values: store them in 4 bytes.
   */
  constructor(
    private readonly modulus = 2,
    private readonly float32 = false,
    capacity = 64,
  ) {
    this.diam = float32 ? new Float32Array(capacity) : new Float64Array(capacity);
    this.idx = new Float64Array(capacity);
    this.cmask = modulus === 2 ? 0 : -1;
    this.coef = new Uint16Array(modulus === 2 ? 1 : capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /**
   * Full heap: first compact it (equal indices summed mod `modulus`, zeros dropped), which keeps a
   * coboundary column near its true support instead of one entry per cofacet ever added; grow only when
   * that leaves it more than half full.
   */
  private grow(): void {
    if (this.size >= 1024) {
      this.compact();
      if (this.size <= this.diam.length >> 1) return;
    }
    const cap = this.diam.length * 2;
    const d = this.float32 ? new Float32Array(cap) : new Float64Array(cap);
    d.set(this.diam);
    this.diam = d;
    const x = new Float64Array(cap);
    x.set(this.idx);
    this.idx = x;
    if (this.cmask !== 0) {
      const c = new Uint16Array(cap);
      c.set(this.coef);
      this.coef = c;
    }
  }

  /**
   * In place: heapsort (each popped top goes to the freed last slot, so the array ends up in decreasing
   * filtration order), reverse, then merge runs of equal index. A sorted array is a valid heap.
   */
  private compact(): void {
    const diam = this.diam;
    const idx = this.idx;
    const coef = this.coef;
    const cm = this.cmask;
    const m = this.size;
    for (let end = m - 1; end > 0; end--) {
      const d = diam[0]!;
      const x = idx[0]!;
      const c = coef[0]!;
      this.pop();
      diam[end] = d;
      idx[end] = x;
      coef[end & cm] = c;
    }
    for (let i = 0, j = m - 1; i < j; i++, j--) {
      const d = diam[i]!;
      const x = idx[i]!;
      const c = coef[i & cm]!;
      diam[i] = diam[j]!;
      idx[i] = idx[j]!;
      coef[i & cm] = coef[j & cm]!;
      diam[j] = d;
      idx[j] = x;
      coef[j & cm] = c;
    }
    const p = this.modulus;
    let w = 0;
    for (let r = 0; r < m; ) {
      const x = idx[r]!;
      const d = diam[r]!;
      let c = 0;
      for (; r < m && idx[r] === x; r++) c += cm === 0 ? 1 : coef[r]!;
      c %= p;
      if (c !== 0) {
        diam[w] = d;
        idx[w] = x;
        coef[w & cm] = c;
        w++;
      }
    }
    this.size = w;
  }

  push(d: number, x: number, c: number): void {
    if (this.size === this.diam.length) this.grow();
    const diam = this.diam;
    const idx = this.idx;
    const coef = this.coef;
    const cm = this.cmask;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pd = diam[p]!;
      if (pd < d || (pd === d && idx[p]! >= x)) break;
      diam[i] = pd;
      idx[i] = idx[p]!;
      coef[i & cm] = coef[p & cm]!;
      i = p;
    }
    diam[i] = d;
    idx[i] = x;
    coef[i & cm] = c;
  }

  /** Removes the top entry. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const diam = this.diam;
    const idx = this.idx;
    const coef = this.coef;
    const cm = this.cmask;
    const d = diam[n]!;
    const x = idx[n]!;
    const c = coef[n & cm]!;
    let i = 0;
    for (;;) {
      let l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      if (r < n) {
        const ld = diam[l]!;
        const rd = diam[r]!;
        if (rd < ld || (rd === ld && idx[r]! > idx[l]!)) l = r;
      }
      const cd = diam[l]!;
      if (d < cd || (d === cd && x >= idx[l]!)) break;
      diam[i] = cd;
      idx[i] = idx[l]!;
      coef[i & cm] = coef[l & cm]!;
      i = l;
    }
    diam[i] = d;
    idx[i] = x;
    coef[i & cm] = c;
  }

  /**
   * Pops the pivot: entries with equal index are summed mod p and cancelled when the sum is 0.
   * Returns false when the column is zero; otherwise the pivot is in pivDiam/pivIdx/pivCoef.
   */
  popPivot(p: number): boolean {
    if (p === 2) {
      while (this.size > 0) {
        const d = this.diam[0]!;
        const x = this.idx[0]!;
        this.pop();
        if (this.size === 0 || this.idx[0] !== x) {
          this.pivDiam = d;
          this.pivIdx = x;
          this.pivCoef = 1;
          return true;
        }
        this.pop();
      }
      this.pivIdx = -1;
      return false;
    }
    let pd = 0;
    let px = -1;
    let pc = 0;
    while (this.size > 0) {
      if (pc === 0) {
        pd = this.diam[0]!;
        px = this.idx[0]!;
        pc = this.coef[0]!;
      } else if (this.idx[0] !== px) {
        break;
      } else {
        pc = (pc + this.coef[0]!) % p;
      }
      this.pop();
    }
    if (pc === 0) {
      this.pivIdx = -1;
      return false;
    }
    this.pivDiam = pd;
    this.pivIdx = px;
    this.pivCoef = pc;
    return true;
  }

  /** The pivot without removing it. */
  getPivot(p: number): boolean {
    if (!this.popPivot(p)) return false;
    this.push(this.pivDiam, this.pivIdx, this.pivCoef);
    return true;
  }
}
