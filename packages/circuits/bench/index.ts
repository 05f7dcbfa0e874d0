// npm run bench: forward and forward+backward edge operations per second on HCLT over Plants at
// K = 16, 64, 128 (batch 512), the time per full-batch EM epoch on NLTCS and Plants (K = 16), the
// anemone update and the queries. The reference is bench/reference.py: NumPy evaluating the SAME
// compiled circuit (structure and parameters exported as raw arrays), layer by layer with dense
// sum blocks and single-threaded BLAS, measured in the same run; the log-likelihoods of both sides
// are compared before any ratio is printed. Ratios > 1 mean descent is faster. Both sides run on one
// thread and are timed in CPU seconds (process.cpuUsage / time.process_time), so a loaded machine
// does not distort the ratio. The worker-thread rows are wall-clock, 2 threads against 1 in the same
// run. `--quick` shortens every measurement.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { key } from '@descent/linalg';
import {
  anemone, batchStatistics, batchStatisticsInto, chowLiuTree, compile, emptyStatistics, fullBatchEm, hcltFromTree,
  loadDebd, logLikelihood, mapQuery, sample, type CompiledCircuit, type DebdName,
} from '../src/index.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;
const B = 512;
const KS = [16, 64, 128] as const;
const dataDir = fileURLToPath(new URL('../data/', import.meta.url));
const referenceScript = fileURLToPath(new URL('./reference.py', import.meta.url));

const sets = { nltcs: loadDebd('nltcs', 'train'), plants: loadDebd('plants', 'train') } as const;
const trees = { nltcs: chowLiuTree(sets.nltcs), plants: chowLiuTree(sets.plants) } as const;

function hcltOn(name: DebdName, K: number): CompiledCircuit {
  return compile(hcltFromTree(trees[name], { K, key: key(1) }));
}

// Export compiled circuits for the NumPy reference as raw little-endian arrays.
const tmp = mkdtempSync(join(tmpdir(), 'descent-circuits-bench-'));
function exportCircuit(cc: CompiledCircuit, dir: string): void {
  const d = join(tmp, dir);
  const arrays: Record<string, ArrayBufferView> = {
    kind: cc.kind, childPtr: cc.childPtr, child: cc.child, paramPtr: cc.paramPtr, params: cc.params, variable: cc.variable,
    groupOf: cc.groupOf, groupSize: cc.groupSize, groupChildPtr: cc.groupChildPtr, groupChild: cc.groupChild,
  };
  mkdirSync(d);
  for (const [name, a] of Object.entries(arrays)) writeFileSync(join(d, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(join(d, 'meta.json'), JSON.stringify({ numNodes: cc.numNodes, numLeaves: cc.numLeaves, numSumParams: cc.numSumParams }));
}

const blocks = KS.map((K) => ({ K, cc: hcltOn('plants', K) }));
const epochs = (['nltcs', 'plants'] as const).map((name) => ({ name, cc: hcltOn(name, 16) }));
const jobs = [
  ...blocks.map(({ K, cc }) => {
    exportCircuit(cc, `plants${K}`);
    return { dir: join(tmp, `plants${K}`), key: `plants_${K}`, data: join(dataDir, 'plants.train.data.gz') };
  }),
  ...epochs.map(({ name, cc }) => {
    exportCircuit(cc, `epoch_${name}`);
    return { dir: join(tmp, `epoch_${name}`), key: name, data: join(dataDir, `${name}.train.data.gz`), epoch: true };
  }),
];
let numpy: Record<string, number> | undefined;
try {
  numpy = runPython<Record<string, number>>(
    `import sys; sys.argv = ['reference.py', ${JSON.stringify(JSON.stringify(jobs))}, '${B}', '${quick ? 3 : 7}']; exec(open(${JSON.stringify(referenceScript)}).read())`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const ref = (name: string) => (numpy ? numpy[name] : undefined);
const numpyLabel = numpy ? 'NumPy 1-thread' : 'NumPy (not installed)';

const rows: BenchRow[] = [];
const firstRows = Int32Array.from({ length: B }, (_, i) => i);
const batch = { rows: B, cols: 69, data: sets.plants.data.slice(0, B * 69) };

// Forward, and forward + backward (flows and statistics), over one batch of 512.
for (const { K, cc } of blocks) {
  const ll = logLikelihood(cc, cc.params, batch);
  let sum = 0;
  for (const v of ll) sum += v;
  const theirs = ref(`ll_plants_${K}`);
  if (theirs !== undefined && Math.abs(theirs - sum) > 1e-9 * Math.abs(sum)) {
    throw new Error(`NumPy reference disagrees at K = ${K}: Σ log p = ${theirs} vs ${sum}`);
  }
  const size = `HCLT K=${K}, plants, B=${B}, ${cc.numSumParams} sum edges`;
  const fwd = measure(() => logLikelihood(cc, cc.params, batch, { check: false }), { minSeconds, warmup: 1, clock: 'cpu' });
  rows.push({ operation: 'forward (log-likelihood)', size, seconds: fwd.seconds, work: cc.numSumParams * B, unit: 'edge-op', referenceSeconds: ref(`fwd_plants_${K}`), reference: numpyLabel });
  const out = emptyStatistics(cc);
  const fb = measure(() => batchStatisticsInto(cc, cc.params, sets.plants, out, { rows: firstRows, check: false }), { minSeconds, warmup: 1, clock: 'cpu' });
  rows.push({ operation: 'forward+backward (flows)', size, seconds: fb.seconds, work: cc.numSumParams * B, unit: 'edge-op', referenceSeconds: ref(`fb_plants_${K}`), reference: numpyLabel, note: K >= 64 ? 'target ≥ 1× NumPy' : '' });
}

// One full-batch EM epoch (statistics over the whole training set + M-step).
for (const { name, cc } of epochs) {
  const data = sets[name];
  let state = fullBatchEm.init({ circuit: cc, check: false }, cc.params);
  const out = emptyStatistics(cc);
  const m = measure(
    () => {
      batchStatisticsInto(cc, state.query, data, out, { check: false });
      state = fullBatchEm.step(state, out);
    },
    { minSeconds: quick ? 0.5 : 2, warmup: 1, clock: 'cpu' },
  );
  rows.push({
    operation: 'full-batch EM epoch', size: `HCLT K=16, ${name}, ${data.rows}×${data.cols}`,
    seconds: m.seconds, work: cc.numSumParams * data.rows, unit: 'edge-op',
    referenceSeconds: ref(`epoch_${name}`), reference: numpyLabel,
  });
}

// Worker threads: the same full-batch statistics pass on 1 and 2 threads, in wall-clock seconds (CPU
// time adds the threads up); the 2-thread row's ratio is against the 1-thread row of this run. On a
// machine whose cores are busy with other work the 2-thread row shows that, not the method.
for (const { name, cc } of epochs) {
  const data = sets[name];
  const out = emptyStatistics(cc);
  let oneThread = 0;
  for (const threads of [1, 2]) {
    const m = measure(() => batchStatisticsInto(cc, cc.params, data, out, { check: false, threads }), { minSeconds: quick ? 0.5 : 2, warmup: 1, clock: 'wall' });
    if (threads === 1) oneThread = m.seconds;
    rows.push({
      operation: `statistics pass, threads: ${threads} (wall)`, size: `HCLT K=16, ${name}, ${data.rows}×${data.cols}`,
      seconds: m.seconds, work: cc.numSumParams * data.rows, unit: 'edge-op',
      ...(threads === 2 ? { referenceSeconds: oneThread, reference: '1 thread, wall' } : { reference: 'bit-identical for every count' }),
    });
  }
}

// The anemone update itself (top-down pass + M-step; no data), and the queries.
{
  const cc = hcltOn('plants', 32);
  const obs = batchStatistics(cc, cc.params, sets.plants, { rows: firstRows });
  const s0 = anemone.init({ circuit: cc, check: false }, cc.params);
  const spare = anemone.step(s0, obs);
  const m = measure(() => anemone.stepInto(s0, obs, spare), { minSeconds });
  rows.push({ operation: 'anemone update (TD + M-step)', size: `HCLT K=32, plants, ${cc.numParams} params`, seconds: m.seconds, work: cc.numParams, unit: 'param', reference: 'not measured' });
  const missing = new Uint8Array(B * 69);
  for (let i = 0; i < missing.length; i += 2) missing[i] = 1;
  const mp = measure(() => mapQuery(cc, cc.params, batch, { missing, check: false }), { minSeconds });
  rows.push({ operation: 'MAP (max-product + backtrack)', size: `HCLT K=32, plants, B=${B}, half missing`, seconds: mp.seconds, work: B, unit: 'row', reference: 'not measured' });
  const sm = measure(() => sample(cc, cc.params, key(0), B, { check: false }), { minSeconds });
  rows.push({ operation: 'unconditional sampling', size: `HCLT K=32, plants, ${B} samples`, seconds: sm.seconds, work: B, unit: 'sample', reference: 'not measured' });
}

printTable('@descent/circuits', rows);
