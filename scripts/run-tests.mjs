// `npm test`: every workspace's tests through turbo with --continue, so one failing package never
// hides the others' results, then the summary line over all of them (scripts/test-summary.mjs).
// Old reports are removed first: a package whose build fails must count as failed, not as its last run.
// Extra arguments go to turbo (e.g. `npm test -- --filter=@descent/linalg --concurrency=1`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const group of ['packages', 'apps', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) rmSync(join(dir, name, '.vitest-results.json'), { force: true });
}
rmSync(join(root, '.consumer-smoke-results.json'), { force: true });
const args = process.argv.slice(2);
const turbo = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'test', '--continue', ...args], { cwd: root, stdio: 'inherit' });
const filtered = args.some((a) => a.startsWith('--filter') || a === '-F');
// A filtered run reports only what it ran; the summary would count the others as missing.
const summary = spawnSync(process.execPath, [join(root, 'scripts', 'test-summary.mjs'), ...(filtered ? ['--ran-only'] : [])], { cwd: root, stdio: 'inherit' });
process.exit(turbo.status !== 0 ? turbo.status ?? 1 : summary.status ?? 1);
