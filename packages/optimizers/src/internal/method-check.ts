import { DescentError, describeValue } from '@descent/linalg';

/**
 * `INVALID_CONFIG` unless `method` looks like a method (an object with a string `name` and `init` and
 * `step` functions): the drivers' `where` includes the method's name, so this runs first.
 */
export function checkMethod(where: string, method: unknown): void {
  const m = method as { name?: unknown; init?: unknown; step?: unknown; stepInto?: unknown } | null;
  if (m === null || typeof m !== 'object' || typeof m.name !== 'string' || typeof m.init !== 'function' || typeof m.step !== 'function' || (m.stepInto !== undefined && typeof m.stepInto !== 'function')) {
    throw new DescentError('INVALID_CONFIG', where, `method must be a method (an object with a name, init and step), got ${describeValue(method)}`);
  }
}

/** `INVALID_CONFIG` unless `transform` is a transform (an object with `init` and `updateInto` functions). */
export function checkTransform(where: string, transform: unknown, what = 'transform'): void {
  const t = transform as { init?: unknown; updateInto?: unknown } | null;
  if (t === null || typeof t !== 'object' || typeof t.init !== 'function' || typeof t.updateInto !== 'function') {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a transform (an object with init and updateInto), got ${describeValue(transform)}`);
  }
}
