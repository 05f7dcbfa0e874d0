export { uleb, sleb, section, wasmName, f64bytes } from './encoding.js';
export { decodeBase64 } from './base64.js';
export { wasmApi, type WasmApi, type WasmMemory } from './api.js';
export {
  nodeWorkerThreads, laneWorkerSource, startLane, postLane, awaitLane, LANE_CONTROL_SLOTS, type WorkerLane, type LaneWorker, type LanePort, type WorkerThreadsModule,
} from './worker-lanes.js';
