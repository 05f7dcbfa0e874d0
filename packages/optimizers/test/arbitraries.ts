import fc from 'fast-check';
import type { AdamConfig } from '@descent/optimizers';

/** A Float64Array of length n with entries in [−s, s] (no NaN, no infinities). */
export function vec(n: number, s = 10): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -s, max: s, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
    .map((a) => Float64Array.from(a));
}

/** A run: x0 of length n and `steps` gradients of length n, with config drawn from `configs`. */
export function runs<C>(configs: fc.Arbitrary<C>, opts: { minN?: number; maxN?: number; steps?: number } = {}) {
  return fc
    .tuple(configs, fc.integer({ min: opts.minN ?? 1, max: opts.maxN ?? 6 }), fc.integer({ min: 1, max: opts.steps ?? 6 }))
    .chain(([config, n, steps]) => fc.record({ config: fc.constant(config), x0: vec(n), obs: fc.array(vec(n), { minLength: steps, maxLength: steps }) }));
}

/** Adam/AdamW configs over the options' interesting values (every branch of the fused kernel). */
export const adamConfigs: fc.Arbitrary<AdamConfig> = fc.record({
  lr: fc.double({ min: 0, max: 1, noNaN: true }),
  betas: fc.tuple(fc.constantFrom(0, 0.5, 0.9), fc.constantFrom(0, 0.9, 0.999)),
  eps: fc.constantFrom(1e-8, 1e-3),
  weightDecay: fc.constantFrom(0, 0.01, 0.3),
  amsgrad: fc.boolean(),
  maximize: fc.boolean(),
});
