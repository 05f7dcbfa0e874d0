import { newtonSchulzWorkspace, polarWorkspace, type NewtonSchulzWorkspace, type PolarWorkspace } from '@descent/linalg';

/** A numeric key for a matrix shape (rows, cols < 2^26), so a lookup builds no string. */
const shapeKey = (rows: number, cols: number): number => rows * 67108864 + cols;

/**
 * linalg workspaces per matrix shape, held by a transform (like {@link Scratch}) so that its steps
 * allocate nothing after the first one at each shape.
 */
export class ShapeWorkspaces {
  private readonly ns = new Map<number, NewtonSchulzWorkspace>();
  private readonly pol = new Map<number, PolarWorkspace>();

  newtonSchulz(rows: number, cols: number): NewtonSchulzWorkspace {
    const k = shapeKey(rows, cols);
    let w = this.ns.get(k);
    if (w === undefined) {
      w = newtonSchulzWorkspace(rows, cols);
      this.ns.set(k, w);
    }
    return w;
  }

  polar(rows: number, cols: number): PolarWorkspace {
    const k = shapeKey(rows, cols);
    let w = this.pol.get(k);
    if (w === undefined) {
      w = polarWorkspace(rows, cols);
      this.pol.set(k, w);
    }
    return w;
  }
}
