import { afterEach, expect, test, vi } from 'vitest';
import { loadDebd, parseDebd } from '@descent/circuits';
import { thrownError } from '@descent/linalg/laws';

afterEach(() => {
  vi.restoreAllMocks();
});

test('without Node builtins (browsers) loadDebd is a DescentError pointing to parseDebd', () => {
  // process.getBuiltinModule, how loadDebd reaches node:fs and node:zlib, finds nothing in a browser.
  vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined as never);
  const err = thrownError(() => loadDebd('nltcs', 'test'));
  expect(err.code).toBe('INVALID_CONFIG');
  expect(err.message).toContain('loadDebd');
  expect(err.message).toContain('parseDebd');
  expect(parseDebd('0,1\n1,0\n').rows).toBe(2);
});
