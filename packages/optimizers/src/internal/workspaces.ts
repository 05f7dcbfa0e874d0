import {
  newtonSchulzWorkspace, polarWorkspace, randomizedSvdWorkspace, type NewtonSchulzWorkspace, type PolarWorkspace, type RandomizedSvdWorkspace,
} from '@descent/linalg';
import { Scratch } from './matrix-momentum.js';

/** A numeric key for a matrix shape (rows, cols < 2^26), so a lookup builds no string. */
const shapeKey = (rows: number, cols: number): number => rows * 67108864 + cols;

/**
 * linalg workspaces per matrix shape, held by a transform (like {@link Scratch}) so that its steps
 * allocate nothing after the first one at each shape.
 */
export class ShapeWorkspaces {
  private readonly ns = new Map<number, NewtonSchulzWorkspace>();
  private readonly pol = new Map<number, PolarWorkspace>();
  private readonly rsvd = new Map<number, Map<number, RandomizedSvdWorkspace>>();
  /** Two plain scratch buffers (e.g. a rescaled copy of the input and a product). */
  readonly first = new Scratch();
  readonly second = new Scratch();

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

  randomizedSvd(rows: number, cols: number, k: number): RandomizedSvdWorkspace {
    const key = shapeKey(rows, cols);
    let byRank = this.rsvd.get(key);
    if (byRank === undefined) {
      byRank = new Map();
      this.rsvd.set(key, byRank);
    }
    let w = byRank.get(k);
    if (w === undefined) {
      w = randomizedSvdWorkspace(rows, cols, k);
      byRank.set(k, w);
    }
    return w;
  }
}
