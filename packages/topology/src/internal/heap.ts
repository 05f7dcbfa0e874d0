/**
 * Binary heap of (diameter, index, coefficient) entries, struct-of-arrays. The top is the entry that is
 * earliest in the filtration: smallest diameter, then largest index (§3.3), i.e. the pivot of a
 * coboundary column.
 */
export class EntryHeap {
  diam: Float64Array;
  idx: Float64Array;
  coef: Uint16Array;
  size = 0;
  /** Result of `popPivot`/`getPivot`. */
  pivDiam = 0;
  pivIdx = -1;
  pivCoef = 0;

  constructor(capacity = 64) {
    this.diam = new Float64Array(capacity);
    this.idx = new Float64Array(capacity);
    this.coef = new Uint16Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  private grow(): void {
    const cap = this.diam.length * 2;
    const d = new Float64Array(cap);
    d.set(this.diam);
    const x = new Float64Array(cap);
    x.set(this.idx);
    const c = new Uint16Array(cap);
    c.set(this.coef);
    this.diam = d;
    this.idx = x;
    this.coef = c;
  }

  push(d: number, x: number, c: number): void {
    if (this.size === this.diam.length) this.grow();
    const diam = this.diam;
    const idx = this.idx;
    const coef = this.coef;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pd = diam[p]!;
      if (pd < d || (pd === d && idx[p]! >= x)) break;
      diam[i] = pd;
      idx[i] = idx[p]!;
      coef[i] = coef[p]!;
      i = p;
    }
    diam[i] = d;
    idx[i] = x;
    coef[i] = c;
  }

  /** Removes the top entry. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const diam = this.diam;
    const idx = this.idx;
    const coef = this.coef;
    const d = diam[n]!;
    const x = idx[n]!;
    const c = coef[n]!;
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
      coef[i] = coef[l]!;
      i = l;
    }
    diam[i] = d;
    idx[i] = x;
    coef[i] = c;
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
