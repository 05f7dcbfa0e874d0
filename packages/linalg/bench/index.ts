// npm run bench: linalg kernels (bench/kernels.ts) and decompositions (bench/decompositions.ts)
// against NumPy (single-threaded BLAS/LAPACK, CPU seconds on both sides) and ml-matrix, measured in
// the same run. Ratios > 1 mean descent is faster.
import { printTable } from '@descent/bench';
import { kernelRows } from './kernels.js';

const quick = process.argv.includes('--quick');
printTable('@descent/linalg kernels', kernelRows(quick ? 0.3 : 1));
await import('./decompositions.js');
