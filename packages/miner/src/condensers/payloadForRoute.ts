import {
  type CondensedPayload,
  type EncodedPayload,
  type TierConfig,
  tierPayloadLimits,
  toWirePayload,
  validatePayload,
} from '@signal/core';
import { tierLimitError } from './condense';

/**
 * The payload for the synapse route: tensors as base64 bittensor `Tensor`s, checked like a
 * validator will (base64 sizes count against the tier's byte cap there).
 */
export function wirePayloadFor(
  payload: EncodedPayload,
  tier: TierConfig,
  model: string,
): CondensedPayload {
  try {
    return validatePayload(
      toWirePayload(payload),
      tierPayloadLimits(tier, { expectedModel: model }),
    );
  } catch (error) {
    throw tierLimitError(error, tier);
  }
}
