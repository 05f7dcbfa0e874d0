import { DescentError } from '../errors.js';

/**
 * A kernel's scalar must be a number; its value is not checked (NaN and ±∞ propagate as in BLAS).
 * @internal
 */
export function assertNumberType(value: number, where: string, what: string): void {
  if (typeof value !== 'number') throw new DescentError('INVALID_CONFIG', where, `${what} must be a number, got ${typeof value}`);
}
