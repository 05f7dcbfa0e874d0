// npm run curves -w @descent/demo [-- --dataset nltcs --K 16 --epochs 10]: spec (f) learning curves. Trains one HCLT
// from the same initial parameters and shuffling key with full-batch EM, mini-batch EM, anemone (with
// and without momentum) and Adam, and prints the test log-likelihood side by side per epoch and per
// second of training time; then the HCLT + anemone vs Chow–Liu figures (hcltVersusChowLiu).
import type { DebdName } from '@descent/circuits';
import { compareLearners, hcltVersusChowLiu, type LearnerCurve } from '../src/experiments/anemone-runs.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

function printCurves(title: string, curves: LearnerCurve[]): void {
  const w = Math.max(12, ...curves.map((c) => c.label.length)) + 2;
  console.log(`\n${title}: test log-likelihood (nats/sample) per epoch`);
  console.log(pad('epoch', 7) + curves.map((c) => pad(c.label, w)).join(''));
  const epochs = Math.max(...curves.map((c) => c.curve.length));
  for (let e = 0; e < epochs; e++) {
    console.log(pad(String(e), 7) + curves.map((c) => pad(c.curve[e]?.test?.toFixed(4) ?? '', w)).join(''));
  }
  // Per second: the best test LL each learner has reached by wall-clock t (last finished epoch ≤ t).
  const tMax = Math.max(...curves.map((c) => c.curve[c.curve.length - 1]!.seconds));
  const marks: number[] = [];
  for (let t = 0.25; t < tMax * 1.01; t *= 2) marks.push(t);
  marks.push(tMax);
  console.log(`\n${title}: test log-likelihood reached after t seconds of training`);
  console.log(pad('t (s)', 7) + curves.map((c) => pad(c.label, w)).join(''));
  for (const t of marks) {
    console.log(
      pad(t.toFixed(2), 7) +
        curves
          .map((c) => {
            let v: number | undefined;
            for (const p of c.curve) if (p.seconds <= t) v = p.test;
            return pad(v?.toFixed(4) ?? '', w);
          })
          .join(''),
    );
  }
  console.log(`\n${title}: updates per epoch / seconds per epoch`);
  for (const c of curves) {
    const last = c.curve[c.curve.length - 1]!;
    console.log(`  ${pad(c.label, w)} ${(last.updates / Math.max(1, last.epoch)).toFixed(0)} updates, ${(last.seconds / Math.max(1, last.epoch)).toFixed(2)} s`);
  }
}

const only = arg('dataset') as DebdName | undefined;
const K = Number(arg('K') ?? 16);
const runs: [DebdName, number][] = only ? [[only, Number(arg('epochs') ?? 10)]] : [['nltcs', Number(arg('epochs') ?? 10)], ['plants', Number(arg('epochs') ?? 5)]];
for (const [dataset, epochs] of runs) {
  printCurves(`${dataset}, HCLT K=${K}, batch 512`, compareLearners({ dataset, K, epochs }));
  const r = hcltVersusChowLiu({ dataset, K, epochs });
  console.log(
    `\n${dataset}: Chow–Liu test LL ${r.chowLiuTest.toFixed(4)} (reported ${r.chowLiuReported}); HCLT K=${K} + anemone test LL ${r.hcltTest.toFixed(4)} ` +
      `at epoch ${r.hcltBestEpoch} (best validation), ${r.trainSeconds.toFixed(1)} s training: ${r.beatsChowLiu ? 'beats' : 'does NOT beat'} Chow–Liu`,
  );
}
