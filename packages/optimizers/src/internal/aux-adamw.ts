import { configKeys, DescentError } from '@descent/linalg';
import type { Transform } from '../transform.js';
import { chain } from '../chain.js';
import { scaleByAdam } from '../scale-by-adam.js';
import { addDecayedWeights } from '../weight-decay.js';
import { scaleByLearningRate } from '../scale.js';
import { nonNegative, param, positive, unitInterval } from './checks.js';

/** AdamW settings for the blocks Muon/REG do not take. */
export interface AuxAdamWOptions {
  readonly lr?: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  readonly weightDecay?: number;
}

/** The keys of {@link AuxAdamWOptions}. */
export const AUX_ADAMW_KEYS = configKeys<AuxAdamWOptions>()('lr', 'betas', 'eps', 'weightDecay');

export function resolveAux(where: string, a: AuxAdamWOptions | undefined, defaults: Required<AuxAdamWOptions>): Required<AuxAdamWOptions> {
  const betas = a?.betas ?? defaults.betas;
  if (!Array.isArray(betas) || betas.length !== 2) throw new DescentError('INVALID_CONFIG', where, 'adamw.betas must be a pair');
  return {
    lr: param(where, 'adamw.lr', a?.lr, defaults.lr, nonNegative, 'a non-negative number'),
    betas: [param(where, 'adamw.betas[0]', betas[0], 0.9, unitInterval, 'in [0, 1)'), param(where, 'adamw.betas[1]', betas[1], 0.95, unitInterval, 'in [0, 1)')],
    eps: param(where, 'adamw.eps', a?.eps, defaults.eps, positive, 'positive'),
    weightDecay: param(where, 'adamw.weightDecay', a?.weightDecay, defaults.weightDecay, nonNegative, 'non-negative'),
  };
}

/** AdamW as a transform chain: Adam direction, decoupled decay, −lr. */
export function auxAdamW(a: Required<AuxAdamWOptions>): Transform<unknown> {
  return chain(scaleByAdam({ betas: a.betas, eps: a.eps }), addDecayedWeights(a.weightDecay), scaleByLearningRate(a.lr));
}

