import { DescentError } from './errors.js';

/**
 * Throws `INVALID_CONFIG` unless `cfg` is a plain object (not `null`, an array, a typed array or a
 * function) whose own keys are all in `known`. An unknown key is named with the closest known one
 * ({@link closestKey}), so a misspelt option fails loudly instead of silently keeping its default.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertKnownKeys({ lr: 0.1, momentun: 0.9 }, ['lr', 'momentum'], 'sgd.init'); } catch (e) { return e as DescentError; } })();
 * [err?.code, err?.message];
 * // ['INVALID_CONFIG', 'sgd.init: unknown config key `momentun` (did you mean `momentum`?); known keys: lr, momentum']
 * ```
 */
export function assertKnownKeys(cfg: unknown, known: readonly string[], where: string, what = 'config'): void {
  assertStringList(known, 'assertKnownKeys', 'known');
  assertConfigObject(cfg, where, what);
  for (const k of Object.keys(cfg)) {
    if (!known.includes(k)) {
      const near = k.length <= MAX_KEY_LENGTH ? closestKey(k, known) : undefined;
      const hint = near === undefined ? '' : ` (did you mean \`${near}\`?)`;
      const list = known.length === 0 ? 'none' : known.join(', ');
      throw new DescentError('INVALID_CONFIG', where, `unknown ${what} key \`${k}\`${hint}; known keys: ${list}`);
    }
  }
}

/**
 * Throws `INVALID_CONFIG` unless `cfg` is a plain object: `null`, arrays, typed arrays, functions,
 * primitives and class instances (other than `Object.create(null)` objects) are rejected.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertConfigObject([1], 'adam.init'); } catch (e) { return e as DescentError; } })();
 * err?.message;
 * // 'adam.init: config must be a plain object, got an array'
 * ```
 */
export function assertConfigObject(cfg: unknown, where: string, what = 'config'): asserts cfg is Record<string, unknown> {
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg) || ArrayBuffer.isView(cfg)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a plain object, got ${describe(cfg)}`);
  }
  const proto = Object.getPrototypeOf(cfg) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a plain object, got ${describe(cfg)}`);
  }
}

/** `INVALID_CONFIG` unless `list` is an array of strings (of at most MAX_KEYS entries). */
function assertStringList(list: unknown, where: string, what: string): asserts list is readonly string[] {
  if (!Array.isArray(list)) throw new DescentError('INVALID_CONFIG', where, `${what} must be an array of strings, got ${describe(list)}`);
  if (list.length > MAX_KEYS) throw new DescentError('INVALID_CONFIG', where, `${what} has ${list.length} entries, above the limit of ${MAX_KEYS}`);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') throw new DescentError('INVALID_CONFIG', where, `${what}[${i}] must be a string, got ${describe(list[i])}`);
  }
}

/** `INVALID_CONFIG` unless `s` is a string of at most MAX_KEY_LENGTH characters. */
function assertKeyString(s: unknown, where: string, what: string): asserts s is string {
  if (typeof s !== 'string') throw new DescentError('INVALID_CONFIG', where, `${what} must be a string, got ${describe(s)}`);
  if (s.length > MAX_KEY_LENGTH) throw new DescentError('INVALID_CONFIG', where, `${what} has ${s.length} characters, above the limit of ${MAX_KEY_LENGTH}`);
}

// Keys are identifiers: the edit distance is O(|a|·|b|), so both the key length and the number of
// known keys are bounded to keep a hostile or mistaken argument from running for minutes.
const MAX_KEY_LENGTH = 4096;
const MAX_KEYS = 65536;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'non-plain object'}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * The entry of `known` closest to `key`: smallest optimal-string-alignment (Damerau–Levenshtein)
 * distance after ignoring case, `_` and `-` (so `weight_decay` finds `weightDecay`), ties broken by
 * the exact distance and then by order in `known`. `undefined` when `known` is empty.
 *
 * @example
 * ```ts
 * [closestKey('weight_decay', ['lr', 'weightDecay']), closestKey('momnetum', ['lr', 'momentum'])];
 * // ['weightDecay', 'momentum']
 * ```
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  assertKeyString(key, 'closestKey', 'key');
  assertStringList(known, 'closestKey', 'known');
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const nk = norm(key);
  let best: string | undefined;
  let bestLoose = Infinity;
  let bestExact = Infinity;
  for (const k of known) {
    const loose = editDistance(nk, norm(k));
    const exact = editDistance(key, k);
    if (loose < bestLoose || (loose === bestLoose && exact < bestExact)) {
      best = k;
      bestLoose = loose;
      bestExact = exact;
    }
  }
  return best;
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
 * adjacent characters each cost 1 (Damerau–Levenshtein without editing a substring twice).
 *
 * @example
 * ```ts
 * [editDistance('momentun', 'momentum'), editDistance('momnetum', 'momentum'), editDistance('', 'abc')];
 * // [1, 1, 3]
 * ```
 */
export function editDistance(a: string, b: string): number {
  assertKeyString(a, 'editDistance', 'a');
  assertKeyString(b, 'editDistance', 'b');
  const m = a.length, n = b.length;
  // Three rolling rows: the transposition looks two rows back.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** `unknown` when `K` lists every key of `T`, otherwise an object type naming the missing keys. */
export type ListsEveryKey<T, K extends readonly string[]> = [Exclude<keyof T & string, K[number]>] extends [never]
  ? unknown
  : { readonly missingKeys: Exclude<keyof T & string, K[number]> };

/**
 * The known keys of a config type `T`, for {@link assertKnownKeys}: the compiler rejects a list that
 * misses a key of `T` or names a key `T` does not have, so the runtime check cannot drift from the type.
 *
 * @example
 * ```ts
 * interface Cfg { lr: number; momentum?: number }
 * configKeys<Cfg>()('lr', 'momentum'); // configKeys<Cfg>()('lr') does not compile
 * // ['lr', 'momentum']
 * ```
 */
export function configKeys<T>(): <const K extends readonly (keyof T & string)[]>(...keys: K & ListsEveryKey<T, K>) => readonly string[] {
  return (...keys) => keys;
}
