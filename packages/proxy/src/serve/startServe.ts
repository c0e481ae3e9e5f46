import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CondensedPayload } from '@signal/core';
import { pino } from 'pino';
import { type CallerAuth, OPEN_AUTH } from '../auth/CallerAuth';
import { type HttpService, listen } from '../http/HttpService';
import { readJsonBody } from '../http/readJsonBody';
import { type Route, routeRequests } from '../http/routeRequests';
import { sendJson } from '../http/sendJson';
import { ServeMetrics } from '../metrics/ServeMetrics';
import { ApiError } from '../openai/ApiError';
import { ChatCompletionRequestSchema } from '../openai/ChatCompletionRequest';
import { CompletionRequestSchema } from '../openai/CompletionRequest';
import { completionIdentity } from '../openai/completionId';
import { modelList } from '../openai/ModelList';
import { parseRequest } from '../openai/parseRequest';
import { chatPromptIds } from './chatPrompt';
import { completionPromptIds } from './completionPrompt';
import { condensedInput } from './condensedInput';
import { respond } from './respond';
import type { ServeModel } from './ServeModel';
import type { StartServeOptions } from './StartServeOptions';
import { serveSettings } from './serveSettings';

export interface RunningServe extends HttpService {
  readonly metrics: ServeMetrics;
}

const MIB = 1024 * 1024;

/** Positions a condensed context takes ahead of the prompt. */
function prefixTokens(model: ServeModel, condensed: CondensedPayload | null): number {
  if (condensed === null) return 0;
  if (condensed.format === 'kv') return condensed.kept;
  if (condensed.format === 'soft') return condensed.embeddings.shape[0] ?? 0;
  return model.tokenizer.encode(condensed.text).length;
}

function refuse(param: string, message: string): never {
  throw new ApiError('API_INVALID_REQUEST', message, {
    param,
    openaiCode: 'unsupported_parameter',
  });
}

/**
 * `signal serve`: an OpenAI-compatible server over one model of our runtime.
 * `POST /v1/chat/completions` (the model's chat template), `POST /v1/completions`,
 * `GET /v1/models`, `GET /health` and `GET /metrics`; streaming or not, with `max_tokens`,
 * `temperature`, `top_p`, `stop`, `seed`, `n = 1` and `stream_options.include_usage`, and a
 * condensed context in `signal_condensed` to continue from.
 */
export async function startServe(options: StartServeOptions): Promise<RunningServe> {
  const { model, modelName } = options;
  const logger = options.logger ?? pino({ name: 'signal-serve' });
  const auth: CallerAuth = options.auth ?? OPEN_AUTH;
  const metrics = new ServeMetrics();
  const maxBodyBytes = options.maxBodyBytes ?? 256 * MIB;
  const defaultMaxTokens = options.defaultMaxTokens ?? 256;
  const created = Math.floor(Date.now() / 1000);
  const started = Date.now();

  const checkModel = (name: string) => {
    if (name !== modelName) {
      throw new ApiError('API_NOT_FOUND', `The model \`${name}\` does not exist here.`, {
        details: `This server serves \`${modelName}\`.`,
        param: 'model',
        openaiCode: 'model_not_found',
      });
    }
  };

  const chat = async (request: IncomingMessage, response: ServerResponse, signal: AbortSignal) => {
    const begun = performance.now();
    const body = parseRequest(
      ChatCompletionRequestSchema,
      await readJsonBody(request, maxBodyBytes),
    );
    checkModel(body.model);
    if (Array.isArray(body.tools) && body.tools.length > 0)
      refuse('tools', 'Tools are not supported.');
    if (body.logprobs === true) refuse('logprobs', 'logprobs are not supported.');
    const condensed = condensedInput(body.signal_condensed, model, modelName, maxBodyBytes);
    const ids = chatPromptIds(model.tokenizer, body.messages, {
      template: options.chatTemplate,
      afterCondensed: condensed !== null,
    });
    const settings = serveSettings(
      { ...body, max_tokens: body.max_completion_tokens ?? body.max_tokens },
      {
        promptTokens: prefixTokens(model, condensed) + ids.length,
        contextLength: model.contextLength,
        defaultMaxTokens,
      },
    );
    if (condensed) metrics.condensedRequests.inc({ format: condensed.format });
    await respond({
      kind: 'chat',
      identity: completionIdentity('chat', modelName),
      model,
      generation: { ids, condensed, settings },
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      response,
      signal,
      started: begun,
      metrics,
      logger,
    });
  };

  const completions = async (
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
  ) => {
    const begun = performance.now();
    const body = parseRequest(CompletionRequestSchema, await readJsonBody(request, maxBodyBytes));
    checkModel(body.model);
    if (body.echo === true) refuse('echo', 'echo is not supported.');
    if (body.suffix) refuse('suffix', 'suffix is not supported.');
    if (body.logprobs !== null && body.logprobs !== undefined)
      refuse('logprobs', 'logprobs are not supported.');
    if ((body.best_of ?? 1) !== 1) refuse('best_of', 'Only best_of = 1 is supported.');
    const condensed = condensedInput(body.signal_condensed, model, modelName, maxBodyBytes);
    const ids = completionPromptIds(model.tokenizer, body.prompt, condensed !== null);
    const settings = serveSettings(
      { ...body, max_tokens: body.max_tokens ?? 16 },
      {
        promptTokens: prefixTokens(model, condensed) + ids.length,
        contextLength: model.contextLength,
        defaultMaxTokens,
      },
    );
    if (condensed) metrics.condensedRequests.inc({ format: condensed.format });
    await respond({
      kind: 'text',
      identity: completionIdentity('text', modelName),
      model,
      generation: { ids, condensed, settings },
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      response,
      signal,
      started: begun,
      metrics,
      logger,
    });
  };

  const routes: Record<string, Route> = {
    '/v1/chat/completions': { method: 'POST', authorized: true, run: chat },
    '/v1/completions': { method: 'POST', authorized: true, run: completions },
    '/v1/models': {
      method: 'GET',
      authorized: true,
      run: async (_request, response) => sendJson(response, 200, modelList([modelName], created)),
    },
    '/health': {
      method: 'GET',
      authorized: false,
      run: async (_request, response) =>
        sendJson(response, 200, {
          status: 'ok',
          uptime_s: Math.round((Date.now() - started) / 1000),
          model: modelName,
          context_length: model.contextLength,
          ...(model.runtime
            ? {
                runtime: {
                  workers: model.runtime.workers,
                  intra_op_threads: model.runtime.intraOpThreads,
                  queue_size: model.runtime.queueSize,
                },
              }
            : {}),
        }),
    },
    '/metrics': {
      method: 'GET',
      authorized: false,
      run: async (_request, response) => {
        const text = await metrics.registry.metrics();
        response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      },
    },
  };

  const handle = routeRequests({
    routes,
    auth,
    observe: (route) => (status) => metrics.requests.inc({ route, status: String(status) }),
    onFailure: (failure, error, path) => {
      if (failure.status >= 500) logger.error({ err: error, path }, 'serve: request failed');
    },
  });

  const service = await listen(
    handle,
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    (error) => logger.error({ err: error }, 'serve: response failed'),
  );
  logger.info({ url: service.url, model: modelName }, 'serve listening');
  return { ...service, metrics };
}
