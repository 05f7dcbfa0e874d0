// Writes the paper's figures (paperFigures) as PNG files plus a summary.json.
// Usage: npx tsx scripts/figures.ts [outDir = figures] [n = 512]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperFigures } from '../src/experiments/dynamics-figures.js';

const outDir = process.argv[2] ?? 'figures';
const n = Number(process.argv[3] ?? 512);
mkdirSync(outDir, { recursive: true });
const { figures, seconds } = paperFigures({ n });
const summary = figures.map((f) => {
  writeFileSync(join(outDir, `${f.id}.png`), f.png!);
  return {
    id: f.id,
    title: f.title,
    expectation: f.expectation,
    eta: f.eta,
    criticalStepSize: f.criticalStepSize,
    convergedFraction: f.convergedFraction,
    counts: f.counts,
    boundaryDimension: { value: f.boundaryDimension.dimension, se: f.boundaryDimension.standardError, fitRange: f.boundaryDimension.fitRange },
    labelBoundaryDimension: { value: f.labelBoundaryDimension.dimension, se: f.labelBoundaryDimension.standardError },
    mixedNeighbourFraction: f.mixedNeighbourFraction,
  };
});
writeFileSync(join(outDir, 'summary.json'), JSON.stringify({ n, seconds, figures: summary }, null, 2));
for (const s of summary) {
  const d = s.boundaryDimension;
  console.log(
    `${s.id.padEnd(22)} η=${String(s.eta).padEnd(5)} converged ${s.convergedFraction.toFixed(4)}  D(boundary) ${Number.isNaN(d.value) ? '   —   ' : `${d.value.toFixed(3)} ± ${d.se.toFixed(3)}`}  D(labels) ${Number.isNaN(s.labelBoundaryDimension.value) ? '—' : s.labelBoundaryDimension.value.toFixed(3)}`,
  );
}
console.log(`${figures.length} figures (${n}²) in ${seconds.toFixed(1)} s → ${outDir}/`);
