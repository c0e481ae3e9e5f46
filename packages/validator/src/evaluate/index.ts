export type { Conditioning } from './Conditioning';
export { decodePayload } from './decodePayload';
export { EvaluateError, type EvaluateErrorCode } from './EvaluateError';
export type { Evaluation, InvalidReason } from './Evaluation';
export type { EvaluationService } from './EvaluationService';
export {
  type EvaluateOrganicParameters,
  type EvaluateParameters,
  Evaluator,
  type EvaluatorOptions,
} from './Evaluator';
export { type InvalidPayloadCode, InvalidPayloadError } from './InvalidPayloadError';
export { ModelRunner } from './ModelRunner';
export { type AnswerOptions, promptIds, runAnswers } from './runAnswers';
export { type ReferenceOptions, type TaskReference, taskReference } from './TaskReference';
export { TokenEmbedder } from './TokenEmbedder';
