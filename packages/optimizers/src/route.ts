import { DescentError, describeValue, placeBlocks, type Layout, type PlacedBlock } from '@descent/linalg';
import { checkTransform } from './internal/method-check.js';
import type { Transform } from './transform.js';

/** State of {@link route}: one state per block of the layout, in layout order. */
export interface RouteState {
  readonly blocks: readonly unknown[];
}

/** How {@link route} labels blocks: a name → label map, or a function of the block. */
export type BlockLabels = Readonly<Record<string, string>> | ((block: PlacedBlock) => string);

/**
 * Routes each block of a `Layout` (from `@descent/linalg`) to the transform named by its label (optax
 * `multi_transform`): every block gets its own state and sees its own slice of the update with its
 * own shape, so a matrix transform (Muon, REG, EGD) gets `[rows, cols]`. Labels are a name → label
 * map (every block must be labelled) or a function; {@link matrixLabels} labels 2-D blocks one way and
 * the rest another. A vector or scalar block routed to a matrix transform is a `SHAPE_MISMATCH`.
 *
 * @example
 * ```ts
 * import { route, scale, applyTransform } from '@descent/optimizers';
 * const layout = [{ name: 'W', shape: [1, 2] }, { name: 'b', shape: [1] }];
 * const t = route(layout, { W: 'double', b: 'keep' }, { double: scale(2), keep: scale(1) });
 * Array.from(applyTransform(t, new Float64Array([1, 1, 1]), t.init(new Float64Array(3), [3]), new Float64Array(3)).update);
 * // [2, 2, 1]
 * ```
 */
export function route(
  layout: Layout,
  labels: BlockLabels,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- states of the routes differ
  transforms: Readonly<Record<string, Transform<any>>>,
): Transform<RouteState> {
  if (labels === null || (typeof labels !== 'object' && typeof labels !== 'function') || Array.isArray(labels)) {
    throw new DescentError('INVALID_CONFIG', 'route', `labels must be an object from block names to labels, or a function of the block, got ${describeValue(labels)}`);
  }
  if (transforms === null || typeof transforms !== 'object' || Array.isArray(transforms)) {
    throw new DescentError('INVALID_CONFIG', 'route', `transforms must be an object from labels to transforms, got ${describeValue(transforms)}`);
  }
  for (const label of Object.keys(transforms)) checkTransform('route', transforms[label], `transforms.${label}`);
  const placed = placeBlocks(layout);
  const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
  const per: Transform<unknown>[] = placed.map((b) => {
    const label = typeof labels === 'function' ? labels(b) : labels[b.name];
    if (label === undefined) throw new DescentError('INVALID_CONFIG', 'route', `block '${b.name}' has no label`);
    const t = transforms[label];
    if (t === undefined) throw new DescentError('INVALID_CONFIG', 'route', `block '${b.name}' is labelled '${label}', which names no transform`);
    return t as unknown as Transform<unknown>;
  });
  if (typeof labels !== 'function') {
    for (const name of Object.keys(labels)) {
      if (!placed.some((b) => b.name === name)) throw new DescentError('INVALID_CONFIG', 'route', `label for '${name}', which is not a block of the layout`);
    }
  }
  return {
    name: 'route',
    init(x0, _shape, key) {
      if (x0.length !== total) throw new DescentError('SHAPE_MISMATCH', 'route', `parameters have length ${x0.length}, the layout holds ${total}`);
      return {
        blocks: placed.map((b, i) => {
          try {
            return per[i]!.init(x0.subarray(b.offset, b.offset + b.size), b.shape, key);
          } catch (e) {
            if (e instanceof DescentError) throw new DescentError(e.code, `route: block '${b.name}'`, e.message);
            throw e;
          }
        }),
      };
    },
    updateInto(g, state, x, u, out) {
      if (g.length !== total) throw new DescentError('SHAPE_MISMATCH', 'route', `update has length ${g.length}, the layout holds ${total}`);
      const blocks = out.blocks as unknown[];
      for (let i = 0; i < placed.length; i++) {
        const b = placed[i]!;
        const lo = b.offset, hi = b.offset + b.size;
        blocks[i] = per[i]!.updateInto(g.subarray(lo, hi), state.blocks[i], x.subarray(lo, hi), u.subarray(lo, hi), blocks[i]);
      }
      return out;
    },
  };
}

/**
 * Labels for {@link route}: blocks of 2 or more dimensions get `matrix`, all others `other` — how Muon,
 * REG and EGD are applied to a model (weight matrices and convolution filters, viewed as
 * out × in·kh·kw, to the matrix method; biases and gains to AdamW).
 *
 * @example
 * ```ts
 * import { matrixLabels } from '@descent/optimizers';
 * const label = matrixLabels('muon', 'adamw');
 * [label({ name: 'W', shape: [2, 3], offset: 0, size: 6 }), label({ name: 'b', shape: [3], offset: 6, size: 3 })];
 * // ['muon', 'adamw']
 * ```
 */
export function matrixLabels(matrix: string, other: string): (block: PlacedBlock) => string {
  return (b) => (b.shape.length >= 2 ? matrix : other);
}
