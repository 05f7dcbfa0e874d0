import { afterEach, expect, test, vi } from 'vitest';
import { isDescentError } from '@descent/linalg';
import { loadDebd, parseDebd } from '@descent/circuits';

afterEach(() => {
  vi.restoreAllMocks();
});

test('without Node builtins (browsers) loadDebd is a DescentError pointing to parseDebd', () => {
  // process.getBuiltinModule, how loadDebd reaches node:fs and node:zlib, finds nothing in a browser.
  vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined as never);
  let err: unknown;
  try {
    loadDebd('nltcs', 'test');
  } catch (e) {
    err = e;
  }
  expect(isDescentError(err) && err.code === 'INVALID_CONFIG' && err.message.includes('loadDebd') && err.message.includes('parseDebd')).toBe(true);
  expect(parseDebd('0,1\n1,0\n').rows).toBe(2);
});
