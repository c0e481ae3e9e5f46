import type { CondensedPayload, TierConfig } from '@signal/core';
import type { JobSpec } from '@signal/runtime';

/** The devnet client's model worker: the app's own copy of the target model. */
export interface ClientWorkerInit {
  readonly modelDir: string;
}

export interface AnswerJob {
  /** The condensed context as the gateway answered it (validated again in the worker). */
  readonly payload: CondensedPayload;
  readonly tier: TierConfig;
  readonly context: string;
  readonly prompt: string;
  readonly maxNewTokens: number;
}

export interface AnswerJobResult {
  /** Answered from the condensed context. */
  readonly answer: string;
  /** Answered from the full context, for the report. */
  readonly fullContextAnswer: string;
}

export type ClientJobs = {
  answer: JobSpec<AnswerJob, AnswerJobResult>;
};
