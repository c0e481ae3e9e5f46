import {
  Condense,
  Dendrite,
  Inference,
  type InferenceSynapse,
  receivePayloadFrame,
  type Signer,
} from '@signal/core';
import type { CondensedContext } from '../condensed/CondensedContext';
import type { CondenseRequest, Transport } from '../condensed/CondenseRequest';
import { fromReceivedPayload } from '../condensed/fromReceivedPayload';
import { toCondensedContext } from '../condensed/toCondensedContext';
import { ClientError } from '../errors/ClientError';
import type { OpenedInference } from '../inference/OpenedInference';
import type { DirectOptions } from '../options/SignalClientOptions';
import type { Attempt } from '../retry/withRetries';
import { BinaryRoutes } from './BinaryRoutes';
import type { MetagraphReader, MinerNeuron } from './MetagraphReader';
import { combineFailures, minerFailure } from './minerFailure';
import { openChain } from './openChain';
import { minersForAttempt, rankMiners } from './rankMiners';

interface CachedRanking {
  readonly at: number;
  readonly miners: readonly MinerNeuron[];
}

/**
 * Direct mode: signs its own `Condense` synapses with the app's hotkey and asks miners from
 * the metagraph, best incentive first. Each attempt hedges: it asks `hedge` miners at once,
 * the first valid answer wins and the other requests are aborted.
 */
export class DirectTransport implements Transport {
  private readonly signer: Signer;
  private readonly dendrite: Dendrite;
  private chain: Promise<MetagraphReader> | undefined;
  private readonly ownsChain: boolean;
  private ranking: CachedRanking | undefined;
  private readonly routes: BinaryRoutes;

  constructor(
    private readonly options: DirectOptions,
    maxResponseBytes: number,
  ) {
    this.signer = options.wallet ? options.wallet.hotkey : options.signer!;
    this.dendrite = new Dendrite({ signer: this.signer, maxResponseBytes });
    this.routes = new BinaryRoutes(this.dendrite, options.metagraphTtlMs);
    this.ownsChain = options.chain === undefined;
    if (options.chain) this.chain = Promise.resolve(options.chain);
  }

  async condense(request: CondenseRequest, attempt: Attempt): Promise<CondensedContext> {
    const ranked = await this.servedMiners();
    const miners = minersForAttempt(ranked, attempt.index, this.options.hedge);
    const hedge = new AbortController();
    const signal = AbortSignal.any([attempt.signal, hedge.signal]);
    const seconds = Math.max(0.001, (attempt.deadline - Date.now()) / 1000);
    const started = performance.now();
    const failures: ClientError[] = [];
    const ask = async (miner: MinerNeuron): Promise<CondensedContext> => {
      const axon = { ip: miner.axon.ip, port: miner.axon.port, hotkey: miner.hotkey };
      const synapse = {
        context: request.context,
        target_model: request.targetModel,
        tier: request.tier.name,
        adapter: null,
        condensed: null,
      };
      if (this.options.binaryRoute && (await this.routes.speaksBinary(axon, seconds, signal))) {
        // The payload streams back as a frame on the same connection, vetted and dequantized as it comes.
        const framed = await this.dendrite.binary(axon, Condense, synapse, {
          timeout: seconds,
          signal,
          receive: (body) =>
            receivePayloadFrame(body.chunks, {
              limits: request.limits,
              kvDtype: 'float32',
              contentLength: body.contentLength,
            }),
        });
        if (!framed.ok) {
          if (framed.error !== undefined) {
            throw new ClientError(
              'CLIENT_INVALID_RESPONSE',
              `Miner ${miner.uid} sent an invalid payload frame.`,
              {
                details: framed.message,
                status: framed.status,
                cause: framed.error,
              },
            );
          }
          throw minerFailure(framed, miner.uid);
        }
        return fromReceivedPayload(framed.value, request.limits, request.format, {
          minerUid: miner.uid,
          latencyMs: performance.now() - started,
          serverLatencyMs: framed.processTime * 1000,
          source: `Miner ${miner.uid}`,
        });
      }
      const result = await this.dendrite.call(axon, Condense, synapse, {
        timeout: seconds,
        signal,
      });
      if (!result.ok) throw minerFailure(result, miner.uid);
      if (result.synapse.condensed === null) {
        throw new ClientError('CLIENT_INVALID_RESPONSE', `Miner ${miner.uid} sent no payload.`, {
          details: result.message,
        });
      }
      return toCondensedContext(result.synapse.condensed, request.limits, request.format, {
        minerUid: miner.uid,
        latencyMs: performance.now() - started,
        serverLatencyMs: result.processTime * 1000,
        source: `Miner ${miner.uid}`,
      });
    };
    try {
      return await Promise.any(
        miners.map((miner) =>
          ask(miner).catch((error: unknown) => {
            const failure =
              error instanceof ClientError
                ? error
                : new ClientError('CLIENT_INVALID_RESPONSE', `Miner ${miner.uid} failed.`, {
                    cause: error,
                  });
            failures.push(failure);
            throw failure;
          }),
        ),
      );
    } catch {
      throw combineFailures(failures);
    } finally {
      hedge.abort();
    }
  }

  /**
   * Starts a streamed Inference on one miner (attempt n asks the n-th best, so a retry fails
   * over to the next one) and waits for its first chunk. A miner that fails before sending
   * any text throws its client error here, where a retry is still invisible to the caller.
   */
  async openInference(synapse: InferenceSynapse, attempt: Attempt): Promise<OpenedInference> {
    const [miner] = minersForAttempt(await this.servedMiners(), attempt.index, 1) as [MinerNeuron];
    const seconds = Math.max(0.001, (attempt.deadline - Date.now()) / 1000);
    const stream = this.dendrite.stream(
      { ip: miner.axon.ip, port: miner.axon.port, hotkey: miner.hotkey },
      Inference,
      synapse,
      { timeout: seconds, signal: attempt.signal },
    );
    const chunks = stream.chunks[Symbol.asyncIterator]();
    const first = await chunks.next();
    if (first.done) {
      const result = await stream.result;
      if (!result.ok) throw minerFailure(result, miner.uid);
    }
    return {
      minerUid: miner.uid,
      first: first.done ? undefined : first.value,
      chunks,
      result: stream.result,
    };
  }

  async close(): Promise<void> {
    await this.dendrite.close();
    if (this.ownsChain && this.chain) {
      const chain = await this.chain.catch(() => undefined);
      await chain?.close?.();
    }
  }

  /** The ranked miners; none is a CLIENT_NO_MINERS. */
  private async servedMiners(): Promise<readonly MinerNeuron[]> {
    const ranked = await this.rankedMiners();
    if (ranked.length === 0) {
      throw new ClientError(
        'CLIENT_NO_MINERS',
        `Subnet ${this.options.netuid} has no miner to ask.`,
        {
          details: 'no neuron other than ours has served an axon',
        },
      );
    }
    return ranked;
  }

  /** The ranking, re-read when stale or when it held no miner (one may have served since). */
  private async rankedMiners(): Promise<readonly MinerNeuron[]> {
    const now = Date.now();
    const cached = this.ranking;
    if (cached && cached.miners.length > 0 && now - cached.at < this.options.metagraphTtlMs) {
      return cached.miners;
    }
    if (!this.chain) {
      const opening = openChain(this.options.network);
      this.chain = opening;
      // A failed connection is not cached: the next call tries again.
      opening.catch(() => {
        if (this.chain === opening) this.chain = undefined;
      });
    }
    const chain = await this.chain;
    let metagraph: Awaited<ReturnType<MetagraphReader['metagraph']>>;
    try {
      metagraph = await chain.metagraph(this.options.netuid);
    } catch (cause) {
      throw new ClientError(
        'CLIENT_UNAVAILABLE',
        `Cannot read the metagraph of subnet ${this.options.netuid}.`,
        {
          details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
          cause,
          retryable: true,
        },
      );
    }
    const miners = rankMiners(metagraph.neurons, this.signer.address);
    this.ranking = { at: now, miners };
    return miners;
  }
}
