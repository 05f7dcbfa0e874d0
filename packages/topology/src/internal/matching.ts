/**
 * Hopcroft–Karp maximum bipartite matching on a CSR adjacency (left vertices 0..nl−1, right 0..nr−1).
 * Returns the matching size; `matchL[u]` is the right partner of u or −1.
 */
export function hopcroftKarp(nl: number, nr: number, adjStart: Int32Array, adj: Int32Array, matchL: Int32Array, matchR: Int32Array): number {
  matchL.fill(-1, 0, nl);
  matchR.fill(-1, 0, nr);
  const dist = new Int32Array(nl);
  const queue = new Int32Array(nl);
  const it = new Int32Array(nl);
  const stack = new Int32Array(nl + 1);
  const INF = 0x3fffffff;
  let size = 0;
  for (;;) {
    // BFS from free left vertices
    let qh = 0;
    let qt = 0;
    for (let u = 0; u < nl; u++) {
      if (matchL[u] === -1) {
        dist[u] = 0;
        queue[qt++] = u;
      } else dist[u] = INF;
    }
    let found = false;
    while (qh < qt) {
      const u = queue[qh++]!;
      for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
        const w = matchR[adj[e]!]!;
        if (w === -1) found = true;
        else if (dist[w] === INF) {
          dist[w] = dist[u]! + 1;
          queue[qt++] = w;
        }
      }
    }
    if (!found) return size;
    const before = size;
    // DFS (iterative) for vertex-disjoint shortest augmenting paths
    for (let u = 0; u < nl; u++) it[u] = adjStart[u]!;
    for (let s = 0; s < nl; s++) {
      if (matchL[s] !== -1) continue;
      let top = 0;
      stack[0] = s;
      while (top >= 0) {
        const u = stack[top]!;
        let advanced = false;
        while (it[u]! < adjStart[u + 1]!) {
          const r = adj[it[u]!]!;
          const w = matchR[r]!;
          if (w === -1) {
            // augment along the stack
            let rr = r;
            for (let k = top; k >= 0; k--) {
              const uu = stack[k]!;
              const prev = matchL[uu]!;
              matchL[uu] = rr;
              matchR[rr] = uu;
              rr = prev;
            }
            size++;
            top = -1;
            advanced = true;
            break;
          }
          if (dist[w] === dist[u]! + 1) {
            it[u]!++;
            stack[++top] = w;
            advanced = true;
            break;
          }
          it[u]!++;
        }
        if (!advanced) {
          dist[u] = INF;
          top--; // the parent's iterator already moved past the edge to u
        }
      }
    }
    // BFS saw an augmenting path, so the layered DFS must have used one: guards against a silent loop.
    if (size === before) throw new Error('hopcroftKarp: no augmenting path found in a non-empty layered graph');
  }
}
