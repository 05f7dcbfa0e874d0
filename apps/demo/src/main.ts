import { leastSquares } from './least-squares.js';

const r = leastSquares(0);
console.log('descent demo');
console.log(`least squares ${r.rows}×${r.cols}: relative error ${r.relativeError.toExponential(2)}, residual ${r.residual.toExponential(2)}`);
