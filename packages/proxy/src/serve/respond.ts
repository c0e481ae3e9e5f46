import type { ServerResponse } from 'node:http';
import type { FinishReason as RuntimeFinish } from '@signal/runtime';
import type { Logger } from 'pino';
import { sendApiError, sendJson } from '../http/sendJson';
import type { ServeMetrics } from '../metrics/ServeMetrics';
import {
  type CompletionIdentity,
  chatChunk,
  chatCompletion,
  chatUsageChunk,
} from '../openai/ChatCompletion';
import type { FinishReason } from '../openai/FinishReason';
import { SseWriter } from '../openai/SseWriter';
import { textChunk, textCompletion, textUsageChunk } from '../openai/TextCompletion';
import { type Usage, usage } from '../openai/Usage';
import { generationError, isAborted } from './generationErrors';
import type { ServeChunk, ServeGeneration, ServeModel } from './ServeModel';

export interface RespondParameters {
  kind: 'chat' | 'text';
  identity: CompletionIdentity;
  model: ServeModel;
  generation: ServeGeneration;
  stream: boolean;
  includeUsage: boolean;
  response: ServerResponse;
  signal: AbortSignal;
  started: number;
  metrics: ServeMetrics;
  logger: Logger;
}

const finishOf = (reason: RuntimeFinish): FinishReason =>
  reason === 'max_tokens' ? 'length' : 'stop';

/** The OpenAI objects of one kind of completion. */
function shapes(kind: 'chat' | 'text', identity: CompletionIdentity, includeUsage: boolean) {
  return kind === 'chat'
    ? {
        whole: (text: string, finish: FinishReason, counts: Usage) =>
          chatCompletion(identity, text, finish, counts),
        opening: () => chatChunk(identity, { role: 'assistant', content: '' }, null, includeUsage),
        delta: (text: string) => chatChunk(identity, { content: text }, null, includeUsage),
        closing: (finish: FinishReason) => chatChunk(identity, {}, finish, includeUsage),
        usage: (counts: Usage) => chatUsageChunk(identity, counts),
      }
    : {
        whole: (text: string, finish: FinishReason, counts: Usage) =>
          textCompletion(identity, text, finish, counts),
        opening: undefined,
        delta: (text: string) => textChunk(identity, text, null, includeUsage),
        closing: (finish: FinishReason) => textChunk(identity, '', finish, includeUsage),
        usage: (counts: Usage) => textUsageChunk(identity, counts),
      };
}

/**
 * Runs one generation and answers with it: a whole completion, or an event stream of deltas.
 * The first chunk (the prefill) is awaited before anything is sent, so a model that refuses
 * the input still answers with an HTTP error; after that a failure ends the stream with an
 * error event. A client that goes away stops the generation at its next step.
 */
export async function respond(parameters: RespondParameters): Promise<void> {
  const { model, generation, response, signal, metrics } = parameters;
  const shape = shapes(parameters.kind, parameters.identity, parameters.includeUsage);
  const chunks = model.generate(generation, signal)[Symbol.asyncIterator]();
  metrics.active.inc();
  let completionTokens = 0;
  let first: IteratorResult<ServeChunk>;
  try {
    first = await chunks.next();
  } catch (error) {
    metrics.active.dec();
    if (isAborted(error, signal)) return;
    sendApiError(response, generationError(error));
    return;
  }
  metrics.firstTokenSeconds.observe((performance.now() - parameters.started) / 1000);
  const writer = parameters.stream ? new SseWriter(response) : undefined;
  let text = '';
  try {
    if (writer) {
      writer.open();
      if (shape.opening) await writer.send(shape.opening());
    }
    for (let next = first; !next.done; next = await chunks.next()) {
      const chunk = next.value;
      if (chunk.type === 'token') {
        completionTokens++;
        if (writer && chunk.text.length > 0) await writer.send(shape.delta(chunk.text));
        else text += chunk.text;
        continue;
      }
      const finish = finishOf(chunk.finishReason);
      const counts = usage(chunk.promptTokens, completionTokens);
      metrics.promptTokens.inc(chunk.promptTokens);
      if (!writer) {
        sendJson(response, 200, shape.whole(text, finish, counts));
        return;
      }
      await writer.send(shape.closing(finish));
      if (parameters.includeUsage) await writer.send(shape.usage(counts));
      await writer.done();
      return;
    }
  } catch (error) {
    if (isAborted(error, signal)) return;
    const failure = generationError(error);
    parameters.logger.error({ err: error }, 'serve: generation failed');
    if (writer) await writer.fail(failure);
    else sendApiError(response, failure);
  } finally {
    metrics.active.dec();
    metrics.completionTokens.inc(completionTokens);
    await chunks.return?.();
  }
}
