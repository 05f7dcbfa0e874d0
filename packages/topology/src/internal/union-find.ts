/**
 * The root of v's tree in a union–find forest stored as a parent array (`parent[r] === r` at roots),
 * compressing the path so every vertex on it points straight at the root afterwards.
 */
export function findRoot(parent: Int32Array, v: number): number {
  let r = v;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[v] !== r) {
    const next = parent[v]!;
    parent[v] = r;
    v = next;
  }
  return r;
}
