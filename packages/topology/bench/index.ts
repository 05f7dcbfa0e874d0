// npm run bench: Rips persistence against the ripser CLI (Debian 1.2.1) on the same points in the same
// run, plus diagram distances and sublevel persistence. Ratios > 1 mean descent is faster.
// Rips rows come in two kinds:
// - in-process: ripsPersistence on the points, median of repeated calls in this process;
// - whole process: our CLI (dist/cli.js, `descent-ripser`, the same flags and byte-identical output) and
//   `ripser --format point-cloud`, each spawned `reps` times, interleaved so load hits both alike; median
//   CPU time (user + system of the process and its threads, from bash's `times`, 1 ms resolution: on a
//   shared machine wall time mostly measures the load), median wall time, and the peak RSS of each
//   process (/usr/bin/time). The CLI's stdout must equal ripser's. `--engine js` adds rows for our CLI
//   with the JS engine.
// `--quick` skips n = 2000 and H2 at n = 400.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable, type BenchRow } from '@descent/bench';
import { key, uniform } from '@descent/linalg';
import { bottleneck, diagram, ripsPersistence, sublevelPersistence0, wasserstein, type Diagram } from '../src/index.js';

const quick = process.argv.includes('--quick');
const RIPSER = '/usr/bin/ripser';
const TIME = '/usr/bin/time';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const haveRipser = existsSync(RIPSER);
const haveTime = existsSync(TIME);
const dir = mkdtempSync(join(tmpdir(), 'descent-topology-bench-'));

interface ProcessRun {
  /** user + system CPU seconds (wall seconds where bash is missing). */
  seconds: number;
  wall: number;
  mb?: number;
  stdout: string;
}

const BASH = '/bin/bash';
const haveBash = existsSync(BASH);
// bash runs the command (under /usr/bin/time for the peak RSS), then `times` prints the CPU time of its
// children (user and system, all threads) to stderr.
const TIMED = `${haveTime ? `${TIME} -f 'RSS %M' ` : ''}"$@"; s=$?; times >&2; exit $s`;

const secondsOf = (t: string) => {
  const m = /(\d+)m([\d.]+)s/.exec(t);
  return m ? 60 * Number(m[1]) + Number(m[2]) : NaN;
};

/** One spawn of `cmd args`: CPU time (bash's `times`), wall time, peak RSS (/usr/bin/time). */
function spawnTimed(cmd: string, args: string[]): ProcessRun | undefined {
  const t0 = performance.now();
  const p = haveBash ? spawnSync(BASH, ['-c', TIMED, 'bash', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (p.status !== 0) return undefined;
  const err = (p.stderr ?? '').trim().split('\n');
  let seconds = wall;
  if (haveBash) {
    // last line of `times`: the children's user and system time
    const [u, s] = err[err.length - 1]!.trim().split(/\s+/);
    seconds = secondsOf(u!) + secondsOf(s!);
  }
  const m = /RSS (\d+)/.exec(p.stderr ?? '');
  const run: ProcessRun = { seconds, wall, stdout: p.stdout };
  if (m) run.mb = Number(m[1]) / 1024;
  return run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

interface Timing {
  seconds: number;
  wall: number;
  mb?: number;
}

/**
 * Spawns ours (default engine, then `--engine js`) and ripser alternately `reps` times: median CPU and
 * wall seconds, max peak RSS, and whether stdout matched ripser's.
 */
function processes(args: string[], reps: number): { ours: Timing; js: Timing; ref?: Timing; identical?: boolean } {
  const runs: ProcessRun[][] = [[], [], []];
  let identical: boolean | undefined;
  const summary = (xs: ProcessRun[]): Timing => {
    const t: Timing = { seconds: median(xs.map((x) => x.seconds)), wall: median(xs.map((x) => x.wall)) };
    const mbs = xs.flatMap((x) => (x.mb === undefined ? [] : [x.mb]));
    if (mbs.length > 0) t.mb = Math.max(...mbs);
    return t;
  };
  for (let r = 0; r < reps; r++) {
    const o = spawnTimed(process.execPath, [CLI, ...args]);
    const j = spawnTimed(process.execPath, [CLI, '--engine', 'js', ...args]);
    if (!o || !j) throw new Error(`descent-ripser ${args.join(' ')} failed (build first: npm run build)`);
    runs[0]!.push(o);
    runs[1]!.push(j);
    identical = (identical ?? true) && j.stdout === o.stdout;
    if (haveRipser) {
      const x = spawnTimed(RIPSER, args);
      if (x) {
        runs[2]!.push(x);
        identical = identical && x.stdout === o.stdout;
      }
    }
  }
  const out = { ours: summary(runs[0]!), js: summary(runs[1]!) };
  return runs[2]!.length === 0 ? { ...out, identical: identical! } : { ...out, ref: summary(runs[2]!), identical: identical! };
}

const rows: BenchRow[] = [];
const REF = 'ripser 1.2.1 process';

// ---- Rips on uniform points in [0,1]³: H1 at n = 500, 1000, 2000; H2 at n = 200, 400 ----
const ripsCases: Array<{ dim: number; n: number }> = [
  { dim: 1, n: 500 },
  { dim: 1, n: 1000 },
  ...(quick ? [] : [{ dim: 1, n: 2000 }]),
  { dim: 2, n: 200 },
  ...(quick ? [] : [{ dim: 2, n: 400 }]),
];
for (const { dim, n } of ripsCases) {
  // float32-exact coordinates, so ripser (float32) and we see the same points
  const pts = uniform(key(n + dim), 3 * n).map(Math.fround);
  const file = join(dir, `cube-${n}.txt`);
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${pts[3 * i]},${pts[3 * i + 1]},${pts[3 * i + 2]}`).join('\n') + '\n');
  const args = ['--format', 'point-cloud', '--dim', String(dim), file];
  const big = n >= 2000 || (dim === 2 && n >= 400);
  const reps = big ? 3 : 7;
  const proc = processes(args, reps);
  const input = { kind: 'points' as const, n, d: 3, data: pts };
  let h: Diagram = diagram([], dim);
  const m = measure(() => (h = ripsPersistence(input, { maxDim: dim }).diagrams[dim]!), { minSeconds: big ? 0 : 0.5, warmup: 1, clock: 'cpu' });
  const op = `Rips H≤${dim}, uniform cube R³`;
  const mem = `peak RSS ours ${proc.ours.mb?.toFixed(0) ?? '?'} MB${proc.ref?.mb !== undefined ? `, ripser ${proc.ref.mb.toFixed(0)} MB (${(proc.ours.mb! / proc.ref.mb).toFixed(2)}×)` : ''}`;
  const wall = `wall ${proc.ours.wall.toFixed(2)} s${proc.ref ? ` vs ripser ${proc.ref.wall.toFixed(2)} s` : ''}`;
  const same = proc.identical === undefined ? '' : proc.identical ? '; stdout identical to ripser' : '; STDOUT DIFFERS FROM RIPSER';
  const whole: BenchRow = { operation: `${op}, whole process (CPU)`, size: `n=${n}`, seconds: proc.ours.seconds, note: `descent-ripser; ${wall}; ${mem}${same}` };
  const js: BenchRow = { operation: `${op}, whole process, --engine js (CPU)`, size: `n=${n}`, seconds: proc.js.seconds, note: `peak RSS ${proc.js.mb?.toFixed(0) ?? '?'} MB` };
  const inproc: BenchRow = { operation: `${op}, in-process (CPU)`, size: `n=${n}`, seconds: m.seconds, note: `${h.birth.length} H${dim} bars; reference is ripser's whole process` };
  if (proc.ref) {
    for (const row of [whole, js, inproc]) {
      row.referenceSeconds = proc.ref.seconds;
      row.reference = REF;
    }
  }
  rows.push(whole, js, inproc);
}

// ---- diagram distances ----
function randomDiagram(seed: number, s: number): Diagram {
  const u = uniform(key(seed), 2 * s);
  return diagram(Array.from({ length: s }, (_, i) => [u[2 * i]!, u[2 * i]! + 0.5 * u[2 * i + 1]! + 1e-3] as const));
}
for (const s of [100, 250]) {
  const a = randomDiagram(1, s);
  const b = randomDiagram(2, s);
  rows.push({ operation: 'bottleneck (exact)', size: `${s}+${s} points`, seconds: measure(() => bottleneck(a, b), { minSeconds: 0.3 }).seconds, note: 'target < 50 ms at S = 500 [RECON]' });
  rows.push({ operation: 'Wasserstein W1 (exact, Hungarian)', size: `${s}+${s} points`, seconds: measure(() => wasserstein(a, b), { minSeconds: 0.3, warmup: 1 }).seconds, note: 'target < 0.5 s at S = 500 [RECON]' });
}

// ---- sublevel H0 on a grid ----
{
  const side = 401;
  const f = new Float64Array(side * side);
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const x = -5 + (10 * j) / (side - 1);
      const y = -5 + (10 * i) / (side - 1);
      f[i * side + j] = (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2;
    }
  const m = measure(() => sublevelPersistence0(f, { kind: 'grid', shape: [side, side], connectivity: 8 }), { minSeconds: 0.5, warmup: 1 });
  rows.push({ operation: 'sublevel H0 (union–find, 8-conn)', size: `${side}² grid`, seconds: m.seconds, work: side * side, unit: 'vertices' });
}

rmSync(dir, { recursive: true, force: true });
printTable('@descent/topology', rows);
if (!haveRipser) console.log('ripser not installed: no reference timings');
