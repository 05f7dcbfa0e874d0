/** One row of the benchmark table. */
export interface BenchRow {
  operation: string;
  size: string;
  /** Seconds per operation. */
  seconds: number;
  /** Work per operation, in `unit`s (flops, elements, steps...). */
  work?: number;
  unit?: string;
  /** Seconds the reference took for the same work, measured in the same run. */
  referenceSeconds?: number;
  reference?: string;
  note?: string;
}

function fmtTime(s: number): string {
  if (s < 1e-6) return `${(s * 1e9).toFixed(1)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

function fmtRate(x: number): string {
  const units = ['', 'k', 'M', 'G', 'T'];
  let i = 0;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x.toFixed(x < 10 ? 2 : 1)} ${units[i]}`;
}

/**
 * Prints the benchmark table: operation, size, time, throughput, and our speed relative to the
 * reference (ratio > 1 means descent is faster).
 */
export function printTable(title: string, rows: BenchRow[]): void {
  const header = ['operation', 'size', 'time', 'throughput', 'reference', 'speed vs ref', 'note'];
  const body = rows.map((r) => [
    r.operation,
    r.size,
    fmtTime(r.seconds),
    r.work !== undefined ? `${fmtRate(r.work / r.seconds)}${r.unit ?? 'op'}/s` : '',
    r.referenceSeconds !== undefined ? `${r.reference ?? 'ref'} ${fmtTime(r.referenceSeconds)}` : r.reference ?? 'not measured',
    r.referenceSeconds !== undefined ? `${(r.referenceSeconds / r.seconds).toFixed(2)}x` : '',
    r.note ?? '',
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}
