export { measure, type Measurement } from './measure.js';
export { runPython } from './python.js';
export { printTable, type BenchRow } from './table.js';
