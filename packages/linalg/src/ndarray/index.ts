export { toNdarray, fromNdarray } from './convert.js';
