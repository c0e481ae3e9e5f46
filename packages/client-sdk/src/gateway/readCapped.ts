import { ClientError } from '../errors/ClientError';

/** Reads a fetch body as text, refusing (and cancelling) it past `maxBytes`. */
export async function readCapped(
  response: Response,
  maxBytes: number,
  where: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ClientError('CLIENT_INVALID_RESPONSE', `${where} sent an oversized answer.`, {
      details: `content-length ${declared} exceeds the limit of ${maxBytes} bytes`,
      status: response.status,
    });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ClientError('CLIENT_INVALID_RESPONSE', `${where} sent an oversized answer.`, {
        details: `more than ${maxBytes} bytes`,
        status: response.status,
      });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
