/** A state type with its readonly fields writable: for `stepInto`, which fills a caller-owned state. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
