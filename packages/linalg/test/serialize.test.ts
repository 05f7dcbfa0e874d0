import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertStateLike, DescentError, deserialize, serialize, STATE_FORMAT, STATE_VERSION } from '@descent/linalg';
import { thrownError } from '@descent/linalg/laws';

const roundTrip = <T>(v: T, kind = ''): T => deserialize<T>(JSON.parse(JSON.stringify(serialize(v, kind))), { kind });

// Every float64 bit pattern (NaN payloads included) as a number, and as a typed array.
const anyDouble = fc.double({ noDefaultInfinity: false, noNaN: false });
const typed = fc.oneof(
  fc.float64Array({ maxLength: 20 }),
  fc.float32Array({ maxLength: 20 }),
  fc.int8Array({ maxLength: 20 }),
  fc.int16Array({ maxLength: 20 }),
  fc.int32Array({ maxLength: 20 }),
  fc.uint8Array({ maxLength: 20 }),
  fc.uint8ClampedArray({ maxLength: 20 }),
  fc.uint16Array({ maxLength: 20 }),
  fc.uint32Array({ maxLength: 20 }),
  fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 10 }).map((w) => {
    // Arbitrary bit patterns, signalling/quiet NaN payloads included.
    const a = new Float64Array(w.length >> 1);
    new Uint32Array(a.buffer).set(w.slice(0, 2 * a.length));
    return a;
  }),
);
const { state } = fc.letrec((tie) => ({
  state: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyDouble,
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    typed,
    fc.array(tie('state'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('$t', '$$t', '$', '__proto__', 'constructor')), tie('state'), { maxKeys: 4 }),
  ),
}));

function sameBits(a: unknown, b: unknown): boolean {
  if (typeof a === 'number') return typeof b === 'number' && Object.is(a, b);
  if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.every((v, i) => v === y[i]);
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameBits(v, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b) || Object.getPrototypeOf(b) !== Object.prototype) return false;
    // (a may have a null prototype: it comes back as an ordinary object)
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => kb[i] === k && sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

describe('serialize / deserialize', () => {
  test('a JSON round trip gives back every value bit for bit (typed arrays, NaN payloads, −0, ±Infinity, $-keys, __proto__)', () => {
    fc.assert(
      fc.property(state, fc.string(), (s, kind) => sameBits(s, roundTrip(s, kind))),
      { numRuns: 500 },
    );
  });

  test('the output is JSON-safe: stringify then parse is the identity on it', () => {
    fc.assert(
      fc.property(state, (s) => {
        const v = serialize(s);
        expect(JSON.parse(JSON.stringify(v))).toEqual(v);
        return v.format === STATE_FORMAT && v.version === STATE_VERSION;
      }),
      { numRuns: 200 },
    );
  });

  test('shared arrays stay shared, views of a larger buffer are copied alone', () => {
    const arena = new Float64Array([1, 2, 3, 4, 5, 6]);
    const x = arena.subarray(2, 4);
    const back = roundTrip({ x, query: x, list: [x, { y: x }] });
    expect(back.query).toBe(back.x);
    expect(back.list[0]).toBe(back.x);
    expect((back.list[1] as { y: Float64Array }).y).toBe(back.x);
    expect(Array.from(back.x)).toEqual([3, 4]);
    expect(back.x.buffer.byteLength).toBe(16);
  });

  test('a __proto__ key stays a plain field and never changes a prototype', () => {
    const back = roundTrip(JSON.parse('{"__proto__": {"polluted": 1}}') as object);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a cycle cannot be saved', () => {
    const a: unknown[] = [];
    a.push({ a });
    expect(thrownError(() => serialize(a)).message).toContain('cycle');
  });

  test('functions, symbols, bigints, Maps and class instances cannot be saved', () => {
    for (const bad of [() => 1, Symbol('s'), 1n, new Map(), new Date(0), new DataView(new ArrayBuffer(1)), new BigInt64Array(1)]) {
      const e = thrownError(() => serialize({ a: [bad] }));
      expect(e.code).toBe('INVALID_STATE');
      expect(e.message).toContain('state.a[0]');
    }
  });

  test('a foreign, corrupted or truncated value is INVALID_STATE', () => {
    const good = JSON.parse(JSON.stringify(serialize({ x: new Float64Array([1, 2]), t: NaN, s: { $x: 1 } }, 'k')));
    const bad: unknown[] = [
      null,
      [],
      'state',
      { ...good, format: 'other' },
      { ...good, version: 2 },
      { ...good, kind: 3 },
      { ...good, extra: 1 },
      { format: good.format, version: good.version, kind: 'k' },
      { ...good, data: { x: { $t: 'Float64Array', n: 3, b64: good.data.x.b64 } } },
      { ...good, data: { x: { $t: 'Float64Array', n: 2, b64: good.data.x.b64.slice(0, -4) } } },
      { ...good, data: { x: { $t: 'Float64Array', n: 2, b64: good.data.x.b64.replace(/^./, '!') } } },
      { ...good, data: { x: { $t: 'Float64Array', n: -1, b64: '' } } },
      { ...good, data: { x: { $t: 'Float64Array', n: 2, b64: good.data.x.b64, extra: 1 } } },
      { ...good, data: { x: { $t: 'Float65Array', n: 2, b64: good.data.x.b64 } } },
      { ...good, data: { x: { $t: 'Uint8Array', n: 1, b64: 'AB==' } } },
      { ...good, data: { t: { $t: 'number', v: 'nan' } } },
      { ...good, data: { t: { $t: 'ref', id: 0 } } },
      { ...good, data: [{ $t: 'ref', id: 0 }] },
      { ...good, data: { t: { $t: 'ref', id: 1 } } },
      { ...good, data: { $x: 1 } },
      { ...good, data: { t: Infinity } },
      { ...good, data: { t: -0 } },
      { ...good, data: { t: () => 1 } },
    ];
    for (const b of bad) expect(thrownError(() => deserialize(b, { kind: 'k' })).code).toBe('INVALID_STATE');
    expect(thrownError(() => deserialize(good, { kind: ['a', 'b'] })).message).toContain("expected 'a' or 'b'");
    expect(deserialize(good, { kind: ['a', 'k'] })).toBeTruthy();
  });

  test('any single-character change of the base64 bytes is rejected or changes the decoded bits', () => {
    fc.assert(
      fc.property(fc.float64Array({ minLength: 1, maxLength: 8 }), fc.nat(), fc.nat(63), (a, at, c) => {
        const v = JSON.parse(JSON.stringify(serialize(a)));
        const b64: string = v.data.b64;
        const i = at % b64.length;
        const ch = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='[c]!;
        if (ch === b64[i]) return true;
        v.data.b64 = b64.slice(0, i) + ch + b64.slice(i + 1);
        try {
          return !sameBits(deserialize(v), a);
        } catch (e) {
          return e instanceof DescentError && e.code === 'INVALID_STATE';
        }
      }),
      { numRuns: 300 },
    );
  });

  test('check runs on the decoded state and its error is reported as is', () => {
    const v = serialize({ x: new Float64Array(2) }, 'k');
    const e = thrownError(() =>
      deserialize(v, {
        where: 'load',
        check: (s, where) => {
          if ((s as { x: Float64Array }).x.length !== 3) throw new DescentError('INVALID_STATE', where, 'x has the wrong length');
        },
      }),
    );
    expect(e.message).toBe('load: x has the wrong length');
  });
});

describe('assertStateLike', () => {
  test('accepts every value against itself and a round trip of it, rejects a changed shape', () => {
    fc.assert(
      fc.property(state, (s) => {
        assertStateLike(s, s, 'f');
        assertStateLike(roundTrip(s), s, 'f');
        return true;
      }),
      { numRuns: 200 },
    );
    const like = { x: new Float64Array(3), m: [new Float64Array(2)], t: 0, name: 'a', b: { c: true } };
    const bad = [
      { ...like, x: new Float64Array(2) },
      { ...like, x: new Float32Array(3) },
      { ...like, m: [] },
      { ...like, t: '0' },
      { ...like, extra: 1 },
      { x: like.x, m: like.m, t: 0, name: 'a' },
      { ...like, b: { c: 1 } },
      null,
    ];
    for (const b of bad) expect(thrownError(() => assertStateLike(b, like, 'f')).code).toBe('INVALID_STATE');
  });
});
