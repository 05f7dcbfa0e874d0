// optimizers-core (issue 3)
export { firstDifference } from './same.js';
export { stepNeverMutatesInputs, stepIntoMatchesStep, pingPongMatchesStep, type MethodRun } from './contract.js';
export { adamConstantGradientStep, adamStepBound, adamStepBoundFactor } from './adam.js';
export { hillAdamPrefixIsAdam, hillAdamResetStep, hillAdamSignSymmetry, hillAdamBestTracking, hillAdamDeterminism, hillAdamPlateauStall } from './hill-adam.js';
export { egdUnitSpectrum, egdPolarFactor, egdSameSingularVectors, egdInvariances, egdClampSemantics, egdRandomizedSvd, egdNullDirections } from './egd.js';
export { muonSpectralForm, muonBand, muonRankPreserved, muonInvariances, muonScaleInvariance, muonMomentumConventionsAgree, muonUpdateRms, newtonSchulzScalar } from './muon.js';
export { racsBalanced, racsSignPattern, racsDiagonalInvariance, racsEquivariance, racsRankOne, regGongNormGrowth } from './reg.js';
export { fromSpectrum, spectralCases, type SpectralCase } from './matrices.js';
// optimizers-multi (issue 4)
export { lawNaturalGradientReparameterisationInvariance, lawConsistentDampingInvariance, lawPlainDampingNotInvariant, lawDiagonalFisherDiagonalInvariance, lawNaturalGradientMinimumNorm, lawIdentityFisherIsSgd, lawLargeDampingIsSgd, lawWoodburyEqualsDense, lawSoftmaxFisherClosedForm, lawKlTrustRegion } from './natural-gradient.js';
export { randomQuadratic, lawSamRhoZeroIsBase, lawSamPerturbation, lawSamLinearLossIsBase, lawSamQuadraticPsf, lawSamTwoObservationsPerStep, lawSamPermutationEquivariance, lawArsamAlwaysIsSam, lawArsamNeverIsBase, lawArsamQuadraticReuse, lawArsamWindowQuota, type QuadraticProblem } from './sam.js';
export { lawConversionBudgetAndBall, lawMidpointIdentity, lawLinearLossSaturation, lawZeroStepNoMotion, lawWindowAverage, lawConversionDeterminism, lawOptimisticO2ncOneIterationIsOdog, lawOptimisticO2ncContraction, type ConversionMethod } from './o2nc.js';
