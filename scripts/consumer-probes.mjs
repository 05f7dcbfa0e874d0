// Source text run by scripts/consumer-smoke.mjs in the consumer's Node and in the browser bundle.

// FNV-1a digests of PRNG streams and of the portable elementary functions: equal strings in Node
// and Chromium mean bit-identical draws (Math.log/exp/sin/cos differ between engines in the last bit).
export const prngDigest = `
function prngDigests(l) {
  const fnv = (a) => {
    const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let h = 0x811c9dc5;
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
    return h.toString(16) + ':' + a.length;
  };
  const u = l.uniform(l.key(9), 20000);
  const logs = new Float64Array(u.length);
  const exps = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) {
    logs[i] = l.portableLog(u[i] * 1e3 + 1e-300);
    exps[i] = l.portableExp(1400 * u[i] - 700);
  }
  return {
    'normal(key(0), 20000)': fnv(l.normal(l.key(0), 20000)),
    'normal(key(12345), 20001, 3, 0.5)': fnv(l.normal(l.key(12345), 20001, 3, 0.5)),
    'uniform(key(1), 20000)': fnv(l.uniform(l.key(1), 20000)),
    'categoricalLogits(key(3), ..., 20000)': fnv(l.categoricalLogits(l.key(3), new Float64Array([0, -1.5, 0.25, 2, -30]), 20000)),
    'permutation(key(4), 5000)': fnv(l.permutation(l.key(4), 5000)),
    'portableLog over 20000 points': fnv(logs),
    'portableExp over 20000 points': fnv(exps),
  };
}
`;

// One small real computation per package, checked against its known answer.
export const browserProbe = `
import * as linalg from '@descent/linalg';
import * as optimizers from '@descent/optimizers';
import * as martingale from '@descent/martingale';
import * as circuits from '@descent/circuits';
import * as risk from '@descent/risk';
import * as dynamics from '@descent/dynamics';
import * as topology from '@descent/topology';
${prngDigest}
async function runProbe() {
  const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const probes = {};
  const probe = (name, f) => {
    try { probes[name] = f() === true; } catch (e) { probes[name] = String(e && e.message || e); }
  };
  probe('linalg svd', () => close(linalg.svd(linalg.fromRows([[3, 0], [4, 5]])).s[0], Math.sqrt(45)));
  probe('optimizers adamw', () => {
    let s = optimizers.adamw.init({ lr: 0.1, weightDecay: 0 }, new Float64Array([1, -2]));
    for (let t = 0; t < 300; t++) s = optimizers.adamw.step(s, Float64Array.from(s.query, (v) => 2 * v));
    return Math.abs(s.x[0]) < 0.05 && Math.abs(s.x[1]) < 0.05;
  });
  probe('martingale villeThreshold', () => close(martingale.villeThreshold(1e-3), 1000));
  probe('circuits parseDebd', () => circuits.parseDebd('0,1\\n1,1\\n').rows === 2);
  probe('circuits loadDebd is a DescentError off Node', () => {
    try { circuits.loadDebd('nltcs', 'train'); return false; } catch (e) { return linalg.isDescentError(e); }
  });
  probe('risk drm', () => close(risk.drm(new Float64Array([3, -1, 2, 5, 0]), risk.expectedShortfall(0.6)), 4));
  probe('dynamics critical step size', () => dynamics.scalarVectorCriticalStepSize(1) === 1);
  probe('dynamics encodePng', () => dynamics.encodePng({ width: 2, height: 1, rgb: new Uint8Array(6) })[1] === 80);
  probe('topology sublevelPersistence0', () => {
    const d = topology.sublevelPersistence0(new Float64Array([0, 3, 1, 4, 2]), { kind: 'grid', shape: [1, 5], connectivity: 4 });
    return Array.from(d.death).join(',') === 'Infinity,3,4';
  });
  // The main thread's answer: after initRipsWasm the Rips kernel runs in WebAssembly, same bars.
  const ripsReady = await topology.initRipsWasm();
  probe('topology Rips kernel in WebAssembly after initRipsWasm', () => {
    const r = topology.ripsPersistence({ kind: 'points', n: 4, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]) });
    return ripsReady === true && r.stats.engine === 'wasm' && r.diagrams[1].birth[0] === 1 && r.diagrams[1].death[0] === Math.SQRT2;
  });
  return { probes, prng: prngDigests(linalg) };
}
`;
