import type { Dispatcher } from 'undici';

/**
 * Drops a response body the dendrite will not read (an answer it refused, a stream it stopped
 * early). undici reports destroying an unfinished body as an `error` event; with nobody
 * listening, that event would be thrown as an uncaught exception and take the process down.
 */
export function discardBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
