import {
  assertContextFits,
  checkPayload,
  type EncodedPayload,
  fieldPath,
  type KvFormat,
  PayloadError,
  type TierConfig,
  tierPayloadLimits,
} from '@signal/core';
import type { CondenserPlan } from '../config/condenserPlan';
import { MinerRequestError } from '../models/MinerRequestError';
import type { TargetModels } from '../models/TargetModels';
import type { ReconstructionAttention } from '../presses/reconstruction/ReconstructionAttention';
import type { CondenseResult } from './CondenseResult';
import { condenseKv } from './condenseKv';
import { condenseSoft } from './condenseSoft';
import { condenseText } from './condenseText';
import { tierBudget } from './tierBudget';
import type { WindowAttention } from './WindowAttention';

export interface CondenseRequest {
  readonly context: string;
  readonly targetModel: string;
  readonly adapter: string | null;
  readonly tier: TierConfig;
  readonly plan: CondenserPlan;
  readonly dtype: 'float16' | 'float32';
  readonly signal?: AbortSignal | undefined;
  readonly windowAttention?: WindowAttention | undefined;
  readonly reconstruction?: ReconstructionAttention | undefined;
}

/**
 * One Condense request end to end: the tier's context limit, the target model (with its
 * adapter), the condenser the tier's plan names at a ratio the tier's bounds allow, and a
 * final check of the payload against the tier's limits, so a miner never sends what a
 * validator would refuse.
 */
export async function condense(
  models: TargetModels,
  request: CondenseRequest,
): Promise<CondenseResult> {
  const { tier, targetModel } = request;
  assertContextFits(tier, request.context);
  if (request.context.length === 0) {
    throw new MinerRequestError('MINER_BAD_REQUEST', 'The context is empty.');
  }
  if (!tier.supportingModels.includes(targetModel)) {
    throw new MinerRequestError(
      'MINER_NOT_SERVED',
      `Model "${targetModel}" is not a supporting model of tier "${tier.name}".`,
      { details: `Tier "${tier.name}" supports: ${tier.supportingModels.join(', ')}.` },
    );
  }
  models.assertServed(targetModel);
  const lease = await models.acquire(targetModel, request.adapter, request.signal);
  try {
    const result = await run(models, lease, request);
    checkAgainstTier(result.payload, tier, targetModel);
    return result;
  } finally {
    lease.release();
  }
}

async function run(
  models: TargetModels,
  lease: Awaited<ReturnType<TargetModels['acquire']>>,
  request: CondenseRequest,
): Promise<CondenseResult> {
  const { plan, tier, context, dtype } = request;
  const { tokenizer } = lease.lm;
  switch (plan.kind) {
    case 'kv': {
      const ids = tokenizer.encode(context);
      const { kept } = tierBudget(ids.length, plan.ratio, tier);
      const format: KvFormat = plan.encoding.format ?? (dtype === 'float32' ? 'fp32' : 'fp16');
      return condenseKv({
        model: lease,
        ids,
        scorer: plan.scorer,
        prefillWindow: plan.encoding.prefillWindow,
        kept,
        encoding: { format, groupSize: plan.encoding.groupSize },
        prefillChunk: plan.encoding.prefillChunk,
        windowAttention: request.windowAttention,
        reconstruction: request.reconstruction,
      });
    }
    case 'soft': {
      const ids = tokenizer.encode(context);
      const { kept } = tierBudget(ids.length, plan.ratio, tier);
      return condenseSoft({
        models,
        model: lease.name,
        ids,
        kept,
        hidden: lease.lm.modelDir.config.hidden_size,
        dtype,
      });
    }
    case 'text': {
      const tokens = tokenizer.encode(context, { addSpecialTokens: false }).length;
      const budget = tierBudget(tokens, plan.ratio, tier);
      return condenseText({ model: lease, context, budget, options: plan.options });
    }
  }
}

/**
 * The tier's rules that the encoded payload decides (model, shapes, quantization layout,
 * token counts, raw size), so a miner never condenses what a validator would refuse; each
 * route then adds its own (`payloadForRoute`).
 */
function checkAgainstTier(payload: EncodedPayload, tier: TierConfig, model: string): void {
  try {
    checkPayload(
      payload,
      tierPayloadLimits(tier, { expectedModel: model }),
      (code, at, message) => {
        throw new PayloadError(code, fieldPath('condensed', at), message);
      },
    );
  } catch (error) {
    throw tierLimitError(error, tier);
  }
}

/** A payload refused by the tier's limits as the miner's 422 naming the limit. */
export function tierLimitError(error: unknown, tier: TierConfig): unknown {
  if (!(error instanceof PayloadError)) return error;
  return new MinerRequestError(
    'MINER_TIER_LIMIT',
    `The condensed context breaks tier "${tier.name}" limits: ${error.shortMessage}`,
    { details: error.details, cause: error },
  );
}
