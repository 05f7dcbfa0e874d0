import { readFileSync } from 'node:fs';
import {
  dualPower,
  expectation,
  expectedShortfall,
  gini,
  lookback,
  prospectWeighting,
  proportionalHazard,
  rangeValueAtRisk,
  sShape,
  valueAtRisk,
  wangTransform,
  type Distortion,
} from '@descent/risk';

export const ref = JSON.parse(readFileSync(new URL('./fixtures/risk_reference.json', import.meta.url), 'utf8'));

/** The fixture's distortion rows as library distortions. */
export function fromFixture(name: string, params: Record<string, number>): Distortion {
  switch (name) {
    case 'var':
      return valueAtRisk(params.alpha!);
    case 'cvar':
      return expectedShortfall(params.alpha!);
    case 'rvar':
      return rangeValueAtRisk(params.alpha!, params.beta!);
    case 'wang':
      return wangTransform(params.lambda!);
    case 'ph':
      return proportionalHazard(params.gamma!);
    case 'dualpower':
      return dualPower(params.gamma!);
    case 'gini':
      return gini(params.kappa!);
    case 'lookback':
      return lookback(params.delta!);
    case 'sshape':
      return sShape(params.a!);
    case 'cpt':
      return prospectWeighting(params.gamma!);
    case 'mean':
      return expectation();
    default:
      throw new Error(`unknown fixture distortion ${name}`);
  }
}
