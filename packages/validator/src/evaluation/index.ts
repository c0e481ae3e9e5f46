export { exactMatch, extractAnswer, tokenF1 } from './answerMetrics';
export { EvaluationError, type EvaluationErrorCode } from './EvaluationError';
export {
  type AnswerEvaluation,
  type AnswerTask,
  type EvaluateAnswersOptions,
  evaluateAnswers,
} from './evaluateAnswers';
export { exactWords } from './exactWords';
export {
  continuationFidelity,
  fidelityFromGap,
  type LogProbs,
  meanKlDivergence,
  nllGap,
} from './fidelity';
export { answerTokens, normalizeAnswer } from './normalizeAnswer';
export {
  type CountTokens,
  type RecountedTokens,
  type RecountTextPayloadParameters,
  recountTextPayload,
} from './tokenCounts';
export { parseYesNo, type YesNo, yesNoAccuracy } from './yesNo';
