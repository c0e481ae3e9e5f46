import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  host: string;
  port: number;
}

/** A listening HTTP server and how to stop it. */
export interface HttpService {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts a node:http server on `host:port` (port 0 lets the OS choose). A handler's
 * rejection is its own business (it answers the error itself); a rejection that escapes
 * destroys only that response.
 */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: ListenOptions,
  onEscaped: (error: unknown) => void,
): Promise<HttpService> {
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      onEscaped(error);
      response.destroy();
    });
  });
  // Keep-alive sockets stay open longer than the common client pools keep theirs.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: (graceMs = 2_000) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), graceMs).unref();
      }),
  };
}
