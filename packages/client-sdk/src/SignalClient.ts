import {
  assertContextFits,
  DEFAULT_TIERS,
  getTier,
  isSignalError,
  loadTiers,
  type TierConfig,
  tierPayloadLimits,
} from '@signal/core';
import { z } from 'zod';
import type { CondensedContext } from './condensed/CondensedContext';
import type { CondenseRequest, Transport } from './condensed/CondenseRequest';
import { DirectTransport } from './direct/DirectTransport';
import { ClientError } from './errors/ClientError';
import { GatewayTransport } from './gateway/GatewayTransport';
import type { CondenseOptions } from './options/CondenseOptions';
import {
  type ResolvedClientOptions,
  type SignalClientOptions,
  SignalClientOptionsSchema,
} from './options/SignalClientOptions';
import { withRetries } from './retry/withRetries';

const FORMATS = ['kv', 'soft', 'text'] as const;

function invalidRequest(shortMessage: string, details?: string, cause?: unknown): ClientError {
  return new ClientError('CLIENT_INVALID_REQUEST', shortMessage, { details, cause });
}

/**
 * The SDK's entry point: condenses contexts on the Signal subnet, either through a
 * validator's gateway (`{ gateway: { url, apiKey } }`) or by querying miners directly with
 * the app's own hotkey (`{ direct: { wallet | signer, network, netuid } }`).
 */
export class SignalClient {
  readonly mode: 'gateway' | 'direct';
  private readonly options: ResolvedClientOptions;
  private readonly tiers: readonly TierConfig[];
  private readonly transport: Transport;

  constructor(options: SignalClientOptions) {
    const parsed = SignalClientOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ClientError('CLIENT_INVALID_OPTIONS', 'Invalid SignalClient options.', {
        details: z.prettifyError(parsed.error),
        cause: parsed.error,
      });
    }
    this.options = parsed.data;
    try {
      this.tiers = parsed.data.tiers ? loadTiers(parsed.data.tiers) : DEFAULT_TIERS;
    } catch (cause) {
      throw new ClientError(
        'CLIENT_INVALID_OPTIONS',
        'Invalid tier table in SignalClient options.',
        {
          details: isSignalError(cause) ? cause.details : String(cause),
          cause,
        },
      );
    }
    const { maxResponseBytes } = parsed.data;
    if (parsed.data.gateway) {
      this.mode = 'gateway';
      this.transport = new GatewayTransport(parsed.data.gateway, maxResponseBytes);
    } else {
      this.mode = 'direct';
      this.transport = new DirectTransport(parsed.data.direct!, maxResponseBytes);
    }
  }

  /**
   * Condenses `context` and returns the first valid answer, validated against the tier's
   * limits and decoded. Retries timeouts and server-side failures with backoff; never a 4xx.
   */
  async condense(context: string, options: CondenseOptions = {}): Promise<CondensedContext> {
    const request = this.resolve(context, options);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw invalidRequest(
        'timeoutMs must be a positive number of milliseconds.',
        `got ${timeoutMs}`,
      );
    }
    return withRetries(this.options.retry, { timeoutMs, signal: options.signal }, (attempt) =>
      this.transport.condense(request, attempt),
    );
  }

  /** Closes connections (and the chain connection direct mode opened itself). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private resolve(context: string, options: CondenseOptions): CondenseRequest {
    if (typeof context !== 'string' || context.length === 0) {
      throw invalidRequest('The context must be a non-empty string.');
    }
    let tier: TierConfig;
    try {
      tier = getTier(this.tiers, options.tier ?? this.tiers[0]!.name);
      assertContextFits(tier, context);
    } catch (cause) {
      if (!isSignalError(cause)) throw cause;
      throw invalidRequest(cause.shortMessage, cause.details, cause);
    }
    const targetModel = options.targetModel ?? tier.supportingModels[0]!;
    if (!tier.supportingModels.includes(targetModel)) {
      throw invalidRequest(
        `Tier "${tier.name}" does not serve model "${targetModel}".`,
        `supported: ${tier.supportingModels.join(', ')}`,
      );
    }
    if (options.format !== undefined && !FORMATS.includes(options.format)) {
      throw invalidRequest(
        `Unknown format "${String(options.format)}".`,
        `use one of ${FORMATS.join(', ')}`,
      );
    }
    return {
      context,
      tier,
      targetModel,
      format: options.format,
      limits: tierPayloadLimits(tier, { expectedModel: targetModel }),
    };
  }
}
