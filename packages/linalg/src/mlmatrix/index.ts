export { toMlMatrix, fromMlMatrix } from './convert.js';
