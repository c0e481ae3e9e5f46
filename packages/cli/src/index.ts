export { createProgram } from './program';
