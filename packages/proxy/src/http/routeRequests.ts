import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallerAuth } from '../auth/CallerAuth';
import { ApiError, toApiError } from '../openai/ApiError';
import { clientGone } from './clientGone';
import { requestPath } from './requestPath';
import { sendApiError } from './sendJson';

/** One path of an OpenAI-compatible server. */
export interface Route {
  method: 'GET' | 'POST';
  /** Whether the caller's `Authorization` is checked before `run`. */
  authorized: boolean;
  /** `signal` fires when the client goes away before the answer is complete. */
  run(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void>;
}

export interface RouteRequestsOptions {
  routes: Readonly<Record<string, Route>>;
  auth: CallerAuth;
  /**
   * Called as a request starts, with its route (or `other`); what it returns is called
   * once its response has closed, with the status sent (for request counters and timers).
   */
  observe(route: string): (status: number) => void;
  /** A request that failed with `failure` (already answered in OpenAI's error shape). */
  onFailure(failure: ApiError, error: unknown, path: string): void;
}

/**
 * The request handler `signal serve` and `signal proxy` share: the route by path, 404 and
 * 405 for what no route takes, the caller's key where the route wants it, and every error
 * answered in OpenAI's shape.
 */
export function routeRequests(
  options: RouteRequestsOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { routes, auth } = options;
  return async (request, response) => {
    const path = requestPath(request);
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    const closed = options.observe(route ? path : 'other');
    response.once('close', () => closed(response.statusCode));
    try {
      if (!route) {
        throw new ApiError('API_NOT_FOUND', `No route for ${request.method} ${path}.`, {
          openaiCode: 'unknown_url',
        });
      }
      if (request.method !== route.method) {
        throw new ApiError('API_METHOD_NOT_ALLOWED', `${path} takes ${route.method}.`, {
          openaiCode: 'method_not_allowed',
        });
      }
      if (route.authorized) await auth.check(request.headers.authorization);
      await route.run(request, response, clientGone(response));
    } catch (error) {
      const failure = toApiError(error);
      options.onFailure(failure, error, path);
      // A 401 or 429 is answered before the body is read; drain it so the socket stays usable.
      request.resume();
      sendApiError(response, failure);
    }
  };
}
