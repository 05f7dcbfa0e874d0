import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { anemone, batchStatistics, bernoulliNode, compile, loadCircuit, saveCircuit, sumNode } from '@descent/circuits';
import { arbitraryCircuitCase } from '@descent/circuits/laws';
import { thrownError } from '@descent/linalg/laws';

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

describe('saveCircuit / loadCircuit', () => {
  test('save → load round-trips structure and parameters bit for bit (every family, trained parameters)', () => {
    const families = ['mixture', 'hclt', 'hcltMixture', 'ratSpnHadamard', 'ratSpnOuter', 'chowLiu', 'categoricalMixture', 'gaussianMixture'] as const;
    fc.assert(
      fc.property(arbitraryCircuitCase({ families }), fc.integer({ min: 0, max: 3 }), ({ cc, data }, steps) => {
        // Parameters after a few anemone steps: arbitrary bits, not the builder's.
        let s = anemone.init({ circuit: cc, stepSize: 0.7, momentum: 0 }, cc.params);
        for (let t = 0; t < steps; t++) s = anemone.step(s, batchStatistics(cc, s.x, data));
        const text = saveCircuit(cc, s.x);
        const back = loadCircuit(text);
        expect(sameBits(back.params, s.x)).toBe(true);
        for (const k of ['kind', 'variable', 'leafArg', 'minSigma', 'childPtr', 'child', 'paramPtr', 'original', 'groupChild', 'cardinality'] as const) {
          expect(Array.from(back.cc[k])).toEqual(Array.from(cc[k]));
        }
        expect(saveCircuit(back.cc, back.params)).toBe(text);
        expect(sameBits(loadCircuit(JSON.parse(text)).params, s.x)).toBe(true);
      }),
      { numRuns: 100, seed: 16 },
    );
  });

  test('−0 and subnormal parameters survive', () => {
    const c = compile({ numVars: 1, nodes: [bernoulliNode(0, -0), bernoulliNode(0, 5e-324), sumNode([0, 1], [5e-324, 1])] });
    const back = loadCircuit(saveCircuit(c, c.params));
    expect(sameBits(back.params, c.params)).toBe(true);
    expect(Object.is(back.params[back.cc.paramPtr[back.cc.compiledOf[0]!]!], -0)).toBe(true);
  });

  const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.25, 0.75])] });
  const good = JSON.parse(saveCircuit(c, c.params));
  const edit = (f: (d: Record<string, unknown>) => void): string => {
    const v = structuredClone(good);
    f(v.data as Record<string, unknown>);
    return JSON.stringify(v);
  };
  const typed = (type: string, values: number[]): unknown => {
    const a = type === 'Float64Array' ? Float64Array.from(values) : type === 'Int32Array' ? Int32Array.from(values) : Uint8Array.from(values);
    return { $t: type, b64: Buffer.from(a.buffer).toString('base64'), n: values.length };
  };

  test('bad files are INVALID_STATE errors naming loadCircuit and what is wrong', () => {
    expect(thrownError(() => loadCircuit('{'))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/^loadCircuit: not JSON/) });
    expect(thrownError(() => loadCircuit('{"format":"descent-state","version":1,"kind":"adam","data":null}'))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/^loadCircuit.*'adam' state/) });
    expect(thrownError(() => loadCircuit(JSON.stringify({ ...good, version: 2 })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/version 2/) });
    expect(thrownError(() => loadCircuit(edit((d) => { d.version = 9; })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/circuit layout version 9/) });
    expect(thrownError(() => loadCircuit(edit((d) => { delete d.child; })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/child must be an Int32Array/) });
    expect(thrownError(() => loadCircuit(edit((d) => { d.numVars = 0; })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/numVars/) });
  });

  test('a well-formed file holding an invalid circuit is rejected with compile’s reason', () => {
    const text = saveCircuit(c, c.params);
    // Weights off the simplex: replace the saved parameters.
    const v = JSON.parse(text);
    expect(thrownError(() => loadCircuit(JSON.stringify({ ...v, data: { ...v.data, params: undefined } })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/INVALID|params|state/i) });
    expect(thrownError(() => loadCircuit(edit((d) => { d.params = typed('Float64Array', [0.2, 0.9, 0.5, 0.6]); })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/invalid.*node 2 \(sum\).*sum to 1.1/) });
    // A child that is not an earlier node.
    expect(thrownError(() => loadCircuit(edit((d) => { d.child = typed('Int32Array', [0, 2]); })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/invalid.*earlier node/) });
    // Parameter count that does not match the nodes.
    expect(thrownError(() => loadCircuit(edit((d) => { d.params = typed('Float64Array', [0.2, 0.9, 0.25]); })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/params/) });
    expect(thrownError(() => loadCircuit(edit((d) => { d.kind = typed('Uint8Array', [0, 0, 9]); })))).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/unknown kind 9/) });
  });
});
