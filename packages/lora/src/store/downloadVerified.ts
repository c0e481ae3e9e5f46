import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { type Dispatcher, request } from 'undici';
import { LoraError } from '../errors/LoraError';

export interface DownloadVerifiedOptions {
  /** Lowercase hex sha256 the body must hash to; the file appears only if it does. */
  readonly sha256: string;
  readonly maxBytes: number;
  readonly dispatcher?: Dispatcher | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

function writeChunk(stream: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolveWrite, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolveWrite()));
  });
}

function closeStream(stream: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolveClose, reject) => {
    stream.once('error', reject);
    stream.end(() => resolveClose());
  });
}

/**
 * Streams `url` to `dest` through a temporary sibling, hashing and counting as it goes.
 * The temporary file is renamed into place only after the size cap and sha256 both pass,
 * so a failed, truncated or tampered download never leaves a file a later load could trust.
 * Returns the number of bytes written.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  options: DownloadVerifiedOptions,
): Promise<number> {
  const temp = `${dest}.${randomBytes(6).toString('hex')}.part`;
  const file = createWriteStream(temp, { flags: 'wx' });
  const hash = createHash('sha256');
  let received = 0;
  try {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        signal: options.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
    } catch (cause) {
      throw new LoraError('LORA_DOWNLOAD_FAILED', `Download of ${url} failed`, { cause });
    }
    const { statusCode, headers, body } = response;
    if (statusCode !== 200) {
      await body.dump();
      throw new LoraError(
        'LORA_DOWNLOAD_FAILED',
        `Download of ${url} failed with HTTP ${statusCode}`,
      );
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await body.dump();
      throw new LoraError(
        'LORA_TOO_LARGE',
        `Download of ${url} is ${declared} bytes, above the cap of ${options.maxBytes}`,
      );
    }
    try {
      for await (const chunk of body) {
        const bytes = chunk as Uint8Array;
        received += bytes.byteLength;
        if (received > options.maxBytes) {
          body.destroy();
          throw new LoraError(
            'LORA_TOO_LARGE',
            `Download of ${url} exceeded the cap of ${options.maxBytes} bytes`,
          );
        }
        hash.update(bytes);
        await writeChunk(file, bytes);
      }
    } catch (cause) {
      if (cause instanceof LoraError) throw cause;
      throw new LoraError(
        'LORA_DOWNLOAD_FAILED',
        `Download of ${url} broke off after ${received} bytes`,
        { cause },
      );
    }
    await closeStream(file);
    const digest = hash.digest('hex');
    if (digest !== options.sha256.toLowerCase()) {
      throw new LoraError(
        'LORA_INTEGRITY_MISMATCH',
        `Download of ${url} does not match its sha256`,
        {
          details: `expected ${options.sha256.toLowerCase()}, got ${digest} over ${received} bytes`,
        },
      );
    }
    await rename(temp, dest);
    return received;
  } catch (error) {
    file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
