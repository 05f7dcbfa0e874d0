import { DescentError, describeValue } from '@descent/linalg';
import type { Distortion } from './distortion.js';

const FUNCTIONS = ['g', 'gPrime', 'gTilde', 'gTildePrime', 'gTildeContinuous'] as const;

/**
 * Throws `INVALID_CONFIG` unless `d` has the shape of a {@link Distortion} (its five functions, its
 * sorted jumps and kinks in [0, 1], the concavity flag), for callers without TypeScript. The values
 * of g are the caller's: they are not checked here.
 */
export function assertDistortion(d: Distortion, where: string, what = 'd'): void {
  const bad = (msg: string): never => {
    throw new DescentError('INVALID_CONFIG', where, `${what} is not a Distortion: ${msg}`);
  };
  if (d === null || typeof d !== 'object') bad(`got ${describeValue(d)}`);
  for (const f of FUNCTIONS) if (typeof d[f] !== 'function') bad(`${what}.${f} is ${describeValue(d[f])}, expected a function`);
  if (typeof d.isConcave !== 'boolean') bad(`${what}.isConcave is ${describeValue(d.isConcave)}, expected a boolean`);
  if (!Array.isArray(d.jumps)) bad(`${what}.jumps is ${describeValue(d.jumps)}, expected an array`);
  if (!Array.isArray(d.kinks)) bad(`${what}.kinks is ${describeValue(d.kinks)}, expected an array`);
  if (d.jumps.length > 1e6 || d.kinks.length > 1e6) bad('more than 10^6 jumps or kinks');
  d.jumps.forEach((j, i) => {
    if (j === null || typeof j !== 'object' || !(j.u >= 0 && j.u <= 1) || !(j.mass >= 0 && j.mass <= 1)) {
      bad(`${what}.jumps[${i}] is ${describeValue(j)}, expected { u, mass } in [0, 1]`);
    }
  });
  d.kinks.forEach((k, i) => {
    if (!(typeof k === 'number' && k >= 0 && k <= 1)) bad(`${what}.kinks[${i}] is ${describeValue(k)}, expected a level in [0, 1]`);
  });
}
