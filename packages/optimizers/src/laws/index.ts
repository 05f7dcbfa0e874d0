// optimizers-core (issue 3)
export { firstDifference } from './same.js';
export { stepNeverMutatesInputs, stepIntoMatchesStep, type MethodRun } from './contract.js';
