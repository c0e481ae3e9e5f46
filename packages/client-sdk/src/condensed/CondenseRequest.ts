import type { CondensedPayloadFormat, PayloadLimits, TierConfig } from '@signal/core';
import type { Attempt } from '../retry/withRetries';
import type { CondensedContext } from './CondensedContext';

/** One condense call, resolved against the tier table. */
export interface CondenseRequest {
  readonly context: string;
  readonly tier: TierConfig;
  readonly targetModel: string;
  readonly format: CondensedPayloadFormat | undefined;
  /** What a valid answer must satisfy (the tier's limits and the target model). */
  readonly limits: PayloadLimits;
}

/** How a mode reaches the subnet: one attempt per call; retries happen above it. */
export interface Transport {
  condense(request: CondenseRequest, attempt: Attempt): Promise<CondensedContext>;
  close(): Promise<void>;
}
