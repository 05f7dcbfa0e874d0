#!/usr/bin/env node
// descent-ripser: ripser's command line (Ripser 1.2.1 flags and output) on this package's engine.
// Node-only; the package's main entry does not import it, so it still bundles for the browser. It
// imports only the ripser-format module (not the package index), to keep start-up short.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { parseRipserArgs, ripserOutput } from './ripser-io.js';

const USAGE = `Usage: descent-ripser [options] [filename]

Options:

  --help           print this screen
  --format         use the specified file format for the input. Options are:
                     lower-distance (lower triangular distance matrix)
                     upper-distance (upper triangular distance matrix)
                     distance       (full distance matrix; default)
                     point-cloud    (point cloud in Euclidean space)
                     dipha          (distance matrix in DIPHA file format)
                     sparse         (sparse distance matrix in sparse triplet format)
                     binary         (lower triangular distance matrix in binary format)
  --dim <k>        compute persistent homology up to dimension k
  --threshold <t>  compute Rips complexes up to diameter t
  --modulus <p>    compute homology with coefficients in the prime field Z/pZ
  --ratio <r>      only show persistence pairs with death/birth ratio > r
  --engine <e>     auto (default), wasm or js: who reduces dense input (same output)
`;

/** Inputs below this size (a point cloud of ~800 points in R³) are short runs. */
const SHORT_INPUT_BYTES = 48 * 1024;

function fail(message: string, code: number): never {
  process.stderr.write(message);
  process.exit(code);
}

let parsed: ReturnType<typeof parseRipserArgs>;
try {
  parsed = parseRipserArgs(process.argv.slice(2));
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`, 255);
}
if (parsed.help) {
  process.stderr.write(USAGE);
  process.exit(0);
}
let input: string | Uint8Array;
try {
  const bytes = readFileSync(parsed.file ?? 0);
  const f = parsed.options.format;
  // text formats: one character per byte, as ripser's streams read them
  input = f === 'binary' || f === 'dipha' ? bytes : bytes.toString('latin1');
} catch {
  fail(`couldn't open file ${parsed.file ?? 'stdin'}\n`, 255);
}
// WebAssembly starts in V8's baseline compiler (Liftoff) and hot functions are recompiled by the
// optimising one on background threads. On a short run (small input, dimension ≤ 1: well under 0.1 s of
// reduction) that recompilation costs more CPU than it saves, so the kernel stays in Liftoff. The flag
// only affects WebAssembly compiled afterwards; the output does not depend on it.
if (input.length < SHORT_INPUT_BYTES && (parsed.options.dim ?? 1) <= 1) setFlagsFromString('--liftoff-only');
try {
  process.stdout.write(ripserOutput(input, parsed.options));
} catch (e) {
  fail(`descent-ripser: ${(e as Error).message}\n`, 1);
}
