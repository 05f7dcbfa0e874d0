import { describe, expect, test } from 'vitest';
import { DescentError, cholesky, fromRows } from '@descent/linalg';
import { thrownCode, thrownError } from '@descent/linalg/laws';

describe('thrownError', () => {
  test('returns the DescentError itself: code, where and message', () => {
    const e = thrownError(() => cholesky(fromRows([[1, 2], [2, 1]])));
    expect(e).toBeInstanceOf(DescentError);
    expect(e.code).toBe('DOMAIN');
    expect(e.where).toBe('cholesky');
    expect(e.message.startsWith('cholesky: ')).toBe(true);
    expect(thrownCode(() => cholesky(fromRows([[1, 2], [2, 1]])))).toBe(e.code);
  });

  test('throws when the call returns or throws anything but a DescentError, so no assertion on it can pass', () => {
    expect(() => thrownError(() => 1)).toThrow(/^expected a DescentError, the call returned$/);
    expect(() =>
      thrownError(() => {
        throw new TypeError('x is undefined');
      }),
    ).toThrow(/^expected a DescentError, got TypeError: x is undefined$/);
    expect(() =>
      thrownError(() => {
        throw 'a string';
      }),
    ).toThrow(/^expected a DescentError, got a string$/);
  });
});
