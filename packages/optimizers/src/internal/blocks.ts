import { DescentError, placeBlocks, type Layout } from '@descent/linalg';

/**
 * The names of the blocks a matrix method (Muon, REG, EGD) takes: the given names (each must exist
 * and have at least 2 dimensions, else INVALID_CONFIG / SHAPE_MISMATCH), or by default every block with
 * at least 2 dimensions (a convolution [out, in, kh, kw] is viewed as out × in·kh·kw).
 */
export function resolveMatrixBlocks(method: string, layout: Layout | undefined, names: readonly string[] | undefined): string[] {
  const where = `${method}.init`;
  if (!Array.isArray(layout)) throw new DescentError('INVALID_CONFIG', where, 'layout is required (it says which blocks are matrices)');
  const placed = placeBlocks(layout);
  if (names === undefined) return placed.filter((b) => b.shape.length >= 2).map((b) => b.name);
  if (!Array.isArray(names)) throw new DescentError('INVALID_CONFIG', where, 'matrixBlocks must be an array of block names');
  for (const name of names) {
    const b = placed.find((p) => p.name === name);
    if (b === undefined) throw new DescentError('INVALID_CONFIG', where, `matrixBlocks names '${name}', which is not a block of the layout`);
    if (b.shape.length < 2) {
      throw new DescentError('SHAPE_MISMATCH', where, `block '${name}' has shape [${b.shape.join(', ')}]: ${method} acts on matrix blocks (2 or more dimensions) only`);
    }
  }
  return [...names];
}
