import { contextLength, type TierConfig } from '@signal/core';
import { z } from 'zod';
import { GatewayError } from '../errors/GatewayError';
import { type CondenseRequest, CondenseRequestSchema } from './CondenseRequest';

export interface ResolvedCondenseRequest {
  request: CondenseRequest;
  tier: TierConfig;
  model: string;
}

/**
 * Validates a condense body and fills in what the client left out: the smallest tier whose
 * context limit fits, and the tier's default model (one the validator can check, as its
 * view says). Every refusal names the field at fault.
 */
export function resolveCondenseRequest(
  body: unknown,
  tiers: readonly TierConfig[],
  defaultModels: Readonly<Record<string, string>>,
): ResolvedCondenseRequest {
  const parsed = CondenseRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'body';
    throw new GatewayError('GATEWAY_BAD_REQUEST', `Invalid field "${field}": ${issue.message}.`, {
      details: z.prettifyError(parsed.error),
      field,
    });
  }
  const request = parsed.data;
  const length = contextLength(request.context);
  let tier: TierConfig | undefined;
  if (request.tier !== undefined) {
    tier = tiers.find((candidate) => candidate.name === request.tier);
    if (!tier) {
      throw new GatewayError('GATEWAY_BAD_REQUEST', `Invalid field "tier": unknown tier.`, {
        details: `"${request.tier}" is not one of ${tiers.map((t) => t.name).join(', ')}`,
        field: 'tier',
      });
    }
    if (length > tier.maxContextChars) {
      throw new GatewayError(
        'GATEWAY_BAD_REQUEST',
        'Invalid field "context": too long for the tier.',
        {
          details: `${length} characters; tier ${tier.name} takes at most ${tier.maxContextChars}`,
          field: 'context',
        },
      );
    }
  } else {
    tier = [...tiers]
      .sort((a, b) => a.maxContextChars - b.maxContextChars)
      .find((candidate) => length <= candidate.maxContextChars);
    if (!tier) {
      throw new GatewayError(
        'GATEWAY_BAD_REQUEST',
        'Invalid field "context": too long for any tier.',
        {
          details: `${length} characters`,
          field: 'context',
        },
      );
    }
  }
  const model = request.target_model ?? defaultModels[tier.name] ?? tier.supportingModels[0]!;
  if (!tier.supportingModels.includes(model)) {
    throw new GatewayError(
      'GATEWAY_BAD_REQUEST',
      'Invalid field "target_model": the tier does not serve it.',
      {
        details: `tier ${tier.name} serves ${tier.supportingModels.join(', ')}`,
        field: 'target_model',
      },
    );
  }
  return { request, tier, model };
}
