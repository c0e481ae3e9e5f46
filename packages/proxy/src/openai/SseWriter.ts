import type { ServerResponse } from 'node:http';
import type { ApiError } from './ApiError';

/** Headers of an OpenAI event stream. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

/**
 * Writes OpenAI's event stream: one `data: <json>` event per chunk, then `data: [DONE]`.
 * A failure after the stream began becomes one `data: {"error": …}` event (the official
 * client throws it as an APIError) and the stream ends, so a client never waits on a dead
 * stream. Writes wait for the socket to drain; once the client has gone they are no-ops.
 */
export class SseWriter {
  private ended = false;

  constructor(private readonly response: ServerResponse) {}

  /** Sends the status line and stream headers (with any extra headers). */
  open(extraHeaders: Record<string, string> = {}): void {
    this.response.writeHead(200, { ...SSE_HEADERS, ...extraHeaders });
    this.response.flushHeaders();
  }

  /** Whether the client is still there to read. */
  get writable(): boolean {
    return !this.ended && !this.response.destroyed && this.response.writable;
  }

  async send(chunk: unknown): Promise<void> {
    await this.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  async done(): Promise<void> {
    await this.write('data: [DONE]\n\n');
    this.end();
  }

  /** Ends the stream with an error event. */
  async fail(error: ApiError): Promise<void> {
    await this.write(`data: ${JSON.stringify(error.toBody())}\n\n`);
    this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.response.destroyed) this.response.end();
  }

  private async write(text: string): Promise<void> {
    if (!this.writable) return;
    if (this.response.write(text)) return;
    await new Promise<void>((resolve) => {
      const settle = () => {
        this.response.off('drain', settle);
        this.response.off('close', settle);
        resolve();
      };
      this.response.on('drain', settle);
      this.response.on('close', settle);
    });
  }
}
