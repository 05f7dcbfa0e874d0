import { cloneState, type Method, type MethodState } from '../method.js';
import { isArenaBuffer } from './adam-wasm.js';

/** The drivers' two reusable states: the method's own layout when it has one, else two copies. */
export function pingPongStates<S extends MethodState>(method: Method<unknown, S, unknown>, state: S): readonly [S, S] {
  return method.pingPongStates?.(state) ?? [cloneState(state), cloneState(state)];
}

/**
 * The state a driver hands back for good: arena states are copied out (O(n), once per run) so the
 * caller does not keep the whole arena alive, and so nothing the driver allocated is shared with it.
 */
export function detachState<S extends MethodState>(state: S): S {
  return isArenaBuffer(state.x.buffer) ? cloneState(state) : state;
}
