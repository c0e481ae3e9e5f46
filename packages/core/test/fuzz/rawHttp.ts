import { connect } from 'node:net';

/** What came back on a raw connection: the status line's code (0 when none) and the bytes. */
export interface RawExchange {
  readonly status: number;
  readonly response: Buffer;
}

/**
 * Writes `request` as is on a fresh loopback connection, half-closes it (so a body shorter
 * than its Content-Length ends instead of waiting), and collects the answer until the server
 * closes. Never rejects: a reset connection is an exchange with what had arrived by then.
 */
export function rawExchange(port: number, request: Uint8Array): Promise<RawExchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const response = Buffer.concat(chunks);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(response.subarray(0, 16).toString('latin1'));
      resolve({ status: match ? Number(match[1]) : 0, response });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.end(request));
  });
}

/** An HTTP/1.1 request as bytes, with a Content-Length for the body unless one is given. */
export function httpRequestBytes(
  path: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Uint8Array {
  const lines = [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (!names.includes('content-length') && !names.includes('transfer-encoding')) {
    lines.push(`content-length: ${Buffer.byteLength(body)}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}
