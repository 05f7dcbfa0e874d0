/** A growable Float64Array (amortised doubling); `data` may be replaced on growth, read it after pushes. */
export class F64Vec {
  data: Float64Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Float64Array(Math.max(4, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = x;
  }
  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  clear(): void {
    this.length = 0;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable Int32Array. */
export class I32Vec {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  clear(): void {
    this.length = 0;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable Uint16Array. */
export class U16Vec {
  data: Uint16Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Uint16Array(Math.max(4, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Uint16Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  clear(): void {
    this.length = 0;
  }
}
