import type { ModelGeometry } from '@signal/core';
import type { Evaluation } from './Evaluation';
import type { EvaluateOrganicParameters, EvaluateParameters } from './Evaluator';

/**
 * What the epoch loop and the gateway need from evaluation: `Evaluator` itself (models on the
 * calling thread), or `HostedEvaluator`, which runs it in model worker threads.
 */
export interface EvaluationService {
  hasModel(name: string): boolean;
  geometry(model: string): Promise<ModelGeometry>;
  countTokens(model: string, text: string): Promise<number>;
  evaluate(parameters: EvaluateParameters): Promise<Evaluation>;
  evaluateOrganic(parameters: EvaluateOrganicParameters): Promise<Evaluation>;
  /** Drops the full-context references (once per epoch). */
  clearReferences(): void;
  close(): Promise<void>;
}
