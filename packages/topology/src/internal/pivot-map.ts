/**
 * Open-addressing hash map from a simplex index (a float64 integer < 2^53) to a column number and a
 * coefficient: Ripser's `pivot_column_index`, without boxing (§3.10).
 */
export class PivotMap {
  private keys: Float64Array;
  private cols: Int32Array;
  private coefs: Uint16Array;
  private mask: number;
  size = 0;
  /** Column and coefficient of the last successful `find`. */
  foundColumn = -1;
  foundCoef = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.cols = new Int32Array(cap);
    this.coefs = new Uint16Array(cap);
    this.mask = cap - 1;
  }

  private static hash(idx: number): number {
    const lo = idx >>> 0;
    const hi = (idx / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    return h ^ (h >>> 13);
  }

  /** Whether `idx` is a key; on success `foundColumn`/`foundCoef` hold its value. */
  find(idx: number): boolean {
    const keys = this.keys;
    let h = PivotMap.hash(idx) & this.mask;
    for (;;) {
      const k = keys[h]!;
      if (k === idx) {
        this.foundColumn = this.cols[h]!;
        this.foundCoef = this.coefs[h]!;
        return true;
      }
      if (k === -1) return false;
      h = (h + 1) & this.mask;
    }
  }

  has(idx: number): boolean {
    const keys = this.keys;
    let h = PivotMap.hash(idx) & this.mask;
    for (;;) {
      const k = keys[h]!;
      if (k === idx) return true;
      if (k === -1) return false;
      h = (h + 1) & this.mask;
    }
  }

  /** Inserts (the key must be new). */
  set(idx: number, column: number, coef: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.rehash();
    let h = PivotMap.hash(idx) & this.mask;
    while (this.keys[h] !== -1) h = (h + 1) & this.mask;
    this.keys[h] = idx;
    this.cols[h] = column;
    this.coefs[h] = coef;
    this.size++;
  }

  private rehash(): void {
    const { keys, cols, coefs } = this;
    const cap = keys.length * 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.cols = new Int32Array(cap);
    this.coefs = new Uint16Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i]!, cols[i]!, coefs[i]!);
  }
}
