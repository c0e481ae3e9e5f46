import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_TIERS, getTier } from '@signal/core';
import { pino } from 'pino';
import { OPEN_AUTH } from '../auth/CallerAuth';
import { type HttpService, listen } from '../http/HttpService';
import { readJsonBody } from '../http/readJsonBody';
import { type Route, routeRequests } from '../http/routeRequests';
import { sendJson } from '../http/sendJson';
import { ProxyMetrics } from '../metrics/ProxyMetrics';

import { ChatCompletionRequestSchema } from '../openai/ChatCompletionRequest';
import { CompletionRequestSchema } from '../openai/CompletionRequest';
import { parseRequest } from '../openai/parseRequest';
import { CondenseCache } from './CondenseCache';
import { CondensePolicySchema } from './CondensePolicy';
import { estimateTokens } from './countTokens';
import { type ForwardContext, forwardRequest } from './forwardRequest';
import { prepareChat } from './prepareChat';
import type { StartProxyOptions } from './StartProxyOptions';
import { UpstreamClient } from './UpstreamClient';

export interface RunningProxy extends HttpService {
  readonly metrics: ProxyMetrics;
  readonly cache: CondenseCache;
}

const MIB = 1024 * 1024;

/**
 * `signal proxy`: an OpenAI-compatible front for any OpenAI-compatible upstream.
 * `POST /v1/chat/completions` condenses the long messages through the subnet and forwards
 * the rewritten request, streaming the answer back as it arrives; `POST /v1/completions` and
 * `GET /v1/models` are forwarded as they are; `GET /health` and `GET /metrics` answer here.
 * Whatever fails on the subnet's side, the original request is forwarded unchanged (unless
 * `requireCondense`), so the proxy is never worse than calling the upstream directly.
 */
export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const policy = CondensePolicySchema.parse(options.policy ?? {});
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const tier = getTier(tiers, policy.tier ?? tiers[0]!.name);
  const targetModel = policy.targetModel ?? tier.supportingModels[0]!;
  const logger = options.logger ?? pino({ name: 'signal-proxy' });
  const cache = new CondenseCache(options.cacheBytes ?? 64 * MIB);
  const metrics = new ProxyMetrics(cache);
  const upstream = new UpstreamClient(options.upstream);
  const auth = options.auth ?? { mode: 'passthrough' };
  const maxBodyBytes = options.maxBodyBytes ?? 16 * MIB;
  const started = Date.now();
  const condenseTimeoutMs = options.condenseTimeoutMs ?? 10_000;

  const forwardContext = (
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
  ): ForwardContext => ({
    upstream,
    request,
    response,
    signal,
    authorization: auth.mode === 'passthrough' ? request.headers.authorization : undefined,
    metrics,
    logger,
  });

  const chat = async (request: IncomingMessage, response: ServerResponse, signal: AbortSignal) => {
    const body = parseRequest(
      ChatCompletionRequestSchema,
      await readJsonBody(request, maxBodyBytes),
    );
    const prepared = await prepareChat({
      body,
      condenser: options.condenser,
      policy,
      tier,
      targetModel,
      cache,
      countTokens: options.countTokens ?? estimateTokens,
      condenseTimeoutMs,
      requireCondense: options.requireCondense ?? false,
      signal,
      metrics,
      logger,
    });
    await forwardRequest(forwardContext(request, response, signal), {
      method: 'POST',
      path: '/chat/completions',
      body: prepared.body,
      original: prepared.condensed ? body : undefined,
      stream: body.stream === true,
      headers: prepared.headers,
    });
  };

  const completions = async (
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
  ) => {
    const body = parseRequest(CompletionRequestSchema, await readJsonBody(request, maxBodyBytes));
    await forwardRequest(forwardContext(request, response, signal), {
      method: 'POST',
      path: '/completions',
      body,
      original: undefined,
      stream: body.stream === true,
      headers: {},
    });
  };

  const routes: Record<string, Route> = {
    '/v1/chat/completions': { method: 'POST', run: chat, authorized: true },
    '/v1/completions': { method: 'POST', run: completions, authorized: true },
    '/v1/models': {
      method: 'GET',
      authorized: true,
      run: (request, response, signal) =>
        forwardRequest(forwardContext(request, response, signal), {
          method: 'GET',
          path: '/models',
          body: undefined,
          original: undefined,
          stream: false,
          headers: {},
        }),
    },
    '/health': {
      method: 'GET',
      authorized: false,
      run: async (_request, response) =>
        sendJson(response, 200, {
          status: 'ok',
          uptime_s: Math.round((Date.now() - started) / 1000),
          upstream: upstream.baseUrl,
          condensing: options.condenser ? policy.format : 'off',
          tier: tier.name,
          target_model: targetModel,
          cache: { entries: cache.size, bytes: cache.bytes },
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
    auth: auth.mode === 'keys' ? auth.auth : OPEN_AUTH,
    observe: (route) => {
      const timer = metrics.requestSeconds.startTimer({ route });
      return (status) => {
        timer();
        metrics.requests.inc({ route, status: String(status) });
      };
    },
    onFailure: (failure, error, path) => {
      if (failure.status >= 500 && failure.code !== 'API_CONDENSE_FAILED') {
        logger.error({ err: error, path }, 'proxy: request failed');
      }
    },
  });

  const service = await listen(
    handle,
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    (error) => logger.error({ err: error }, 'proxy: response failed'),
  );
  logger.info(
    {
      url: service.url,
      upstream: upstream.baseUrl,
      condensing: options.condenser ? policy.format : 'off',
    },
    'proxy listening',
  );
  return {
    ...service,
    metrics,
    cache,
    close: async (graceMs) => {
      await service.close(graceMs);
      await upstream.close();
    },
  };
}
