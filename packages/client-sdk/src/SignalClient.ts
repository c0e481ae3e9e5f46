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
import type { InferenceOptions, InferenceRequest } from './inference/InferenceRequest';
import { inferenceSynapse } from './inference/inferenceSynapse';
import { relayInference } from './inference/relayInference';
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
    const timeoutMs = this.timeoutOf(options.timeoutMs);
    return withRetries(this.options.retry, { timeoutMs, signal: options.signal }, (attempt) =>
      this.transport.condense(request, attempt),
    );
  }

  /**
   * Streams an Inference from a miner (direct mode): yields the completion's text as it is
   * generated. A miner that fails before sending any text (unreachable, refusing with a 5xx,
   * killed) is failed over to the next ranked miner, with backoff, within `timeoutMs`; once
   * text has arrived, a stream that breaks off throws CLIENT_STREAM_INTERRUPTED, and one that
   * runs past the deadline CLIENT_TIMEOUT. It never waits beyond `timeoutMs`.
   */
  async *streamInference(
    request: InferenceRequest,
    options: InferenceOptions = {},
  ): AsyncGenerator<string, void, undefined> {
    if (!(this.transport instanceof DirectTransport)) {
      throw invalidRequest(
        'Inference is served to direct-mode clients only.',
        'the gateway has no Inference route; construct the client with `direct`',
      );
    }
    const transport = this.transport;
    const synapse = inferenceSynapse(request);
    const timeoutMs = this.timeoutOf(options.timeoutMs);
    const deadline = Date.now() + timeoutMs;
    const opened = await withRetries(
      this.options.retry,
      { timeoutMs, signal: options.signal },
      (attempt) => transport.openInference(synapse, attempt),
    );
    yield* relayInference(opened, { timeoutMs, deadline, signal: options.signal });
  }

  /** Closes connections (and the chain connection direct mode opened itself). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private timeoutOf(requested: number | undefined): number {
    const timeoutMs = requested ?? this.options.timeoutMs;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw invalidRequest(
        'timeoutMs must be a positive number of milliseconds.',
        `got ${timeoutMs}`,
      );
    }
    return timeoutMs;
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
