// One reusable workspace per compiled circuit, so repeated queries and training steps do not
// allocate (and page-fault) their node-major buffers again. Internal.
import type { CompiledCircuit } from './compile.js';
import { workspace, type Workspace } from './engine.js';

/**
 * Rows evaluated per pass: bounds the buffers at numNodes × CHUNK doubles. Also the unit of work of
 * worker threads and of the summation order of batch statistics (partials per chunk, added in order).
 */
export const CHUNK = 512;
const cache = new WeakMap<CompiledCircuit, Workspace>();

/** @internal */
export function cachedWorkspace(cc: CompiledCircuit, rows: number): Workspace {
  const want = Math.max(1, Math.min(rows, CHUNK));
  const ws = cache.get(cc);
  if (ws !== undefined && ws.capacity >= want) return ws;
  const fresh = workspace(cc, Math.max(want, ws?.capacity ?? 0));
  cache.set(cc, fresh);
  return fresh;
}
