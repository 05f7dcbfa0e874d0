import { spawnSync } from 'node:child_process';

/**
 * Runs a python3 snippet that prints one JSON object on its last line, and returns that object, or
 * `undefined` when python3 (or a module the snippet imports) is missing: references are optional.
 * BLAS runs on `threads` threads (default 1). Prefers Debian's /usr/bin/python3 (where python3-torch lives), then whatever python3 is on PATH.
 */
export function runPython<T>(code: string, options: { timeoutSeconds?: number; threads?: number } = {}): T | undefined {
  const threads = String(options.threads ?? 1);
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(exe, ['-c', code], {
      encoding: 'utf8',
      timeout: (options.timeoutSeconds ?? 600) * 1000,
      env: { ...process.env, OMP_NUM_THREADS: options.threads !== undefined ? threads : (process.env.OMP_NUM_THREADS ?? '1'), OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
    });
    if (r.status === 0) {
      const lines = r.stdout.trim().split('\n');
      try {
        return JSON.parse(lines[lines.length - 1]!) as T;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
