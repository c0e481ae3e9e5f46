import type { ServerResponse } from 'node:http';

/**
 * An AbortSignal that fires when the client goes away before the response is complete
 * (closed tab, cancelled request), so work on its behalf stops at once.
 */
export function clientGone(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the client disconnected'));
  });
  return controller.signal;
}
