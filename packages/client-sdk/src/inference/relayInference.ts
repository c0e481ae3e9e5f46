import type { DendriteFailure, Inference } from '@signal/core';
import { minerFailure } from '../direct/minerFailure';
import { ClientError } from '../errors/ClientError';
import type { OpenedInference } from './OpenedInference';

export interface RelayContext {
  readonly timeoutMs: number;
  /** Epoch milliseconds at which the call's budget ran out. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Why a stream that had already delivered `delivered` characters ended without completing:
 * the caller's abort, the call's deadline, or the miner going away (a killed process, a
 * dropped connection). Never retried here: the caller holds part of the text already.
 */
function brokenOff(
  failure: DendriteFailure<typeof Inference>,
  minerUid: number,
  delivered: number,
  context: RelayContext,
): ClientError {
  const { status, message } = failure;
  const details = `${delivered} characters had arrived; the miner's stream ended with ${status}: ${message}`;
  if (context.signal?.aborted) {
    return new ClientError('CLIENT_ABORTED', 'The Inference stream was aborted by the caller.', {
      details,
      cause: context.signal.reason,
    });
  }
  if (status === 408 || (status === 499 && Date.now() >= context.deadline)) {
    return new ClientError(
      'CLIENT_TIMEOUT',
      `Miner ${minerUid} did not finish the completion within ${context.timeoutMs} ms.`,
      { details, status: 408, retryable: true },
    );
  }
  if (delivered === 0) return minerFailure(failure, minerUid);
  return new ClientError(
    'CLIENT_STREAM_INTERRUPTED',
    `Miner ${minerUid}'s Inference stream broke off before the completion ended.`,
    { details, status, retryable: true },
  );
}

/**
 * Yields an opened stream's text deltas (UTF-8 decoded across chunk boundaries), then checks
 * how it ended and throws a typed error when it did not complete. A caller that stops early
 * abandons the miner's stream.
 */
export async function* relayInference(
  opened: OpenedInference,
  context: RelayContext,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let delivered = 0;
  let finished = false;
  try {
    for (let chunk = opened.first; chunk !== undefined; ) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) {
        delivered += text.length;
        yield text;
      }
      const next = await opened.chunks.next();
      chunk = next.done ? undefined : next.value;
    }
    finished = true;
  } finally {
    if (!finished) await opened.chunks.return?.(undefined);
  }
  const result = await opened.result;
  if (!result.ok) {
    throw brokenOff(result, opened.minerUid, delivered, context);
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}
