export {};
export { BuilderError, type BuilderErrorCode } from './builder/BuilderError';
export { type BuildModelOptions, type BuiltModel, buildModel } from './builder/buildModel';
export type { LlamaConfig, ModelSize } from './builder/LlamaConfig';
