import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, request } from 'undici';
import { LoraError } from '../errors/LoraError';

export interface DownloadVerifiedOptions {
  /** Lowercase hex sha256 the body must hash to; the file appears only if it does. */
  readonly sha256: string;
  readonly maxBytes: number;
  readonly dispatcher?: Dispatcher | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  /** Opens the temporary file (default: `fs.createWriteStream(path, { flags: 'wx' })`). */
  readonly openFile?: OpenDownloadFile | undefined;
}

/**
 * Opens the temporary file a download is written to. The stream must emit 'close' once it is
 * done or destroyed (fs streams do), so the temporary file is removed only after it closed.
 */
export type OpenDownloadFile = (path: string) => Writable;

const openExclusive: OpenDownloadFile = (path) => createWriteStream(path, { flags: 'wx' });

/** Resolves once `stream` has closed (its file descriptor released), however it ended. */
function closed(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolveClosed) => stream.once('close', () => resolveClosed()));
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
  const file = (options.openFile ?? openExclusive)(temp);
  // Until the pipeline below owns it, a failure to open or write must not go unheard: an
  // 'error' event nobody listens to would take the whole process down.
  let fileError: Error | undefined;
  file.on('error', (error) => {
    fileError ??= error;
  });
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
        { details: hubErrorOf(headers) },
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
      await pipeline(
        body,
        async function* count(source: AsyncIterable<Uint8Array>) {
          for await (const bytes of source) {
            received += bytes.byteLength;
            if (received > options.maxBytes) {
              throw new LoraError(
                'LORA_TOO_LARGE',
                `Download of ${url} exceeded the cap of ${options.maxBytes} bytes`,
              );
            }
            hash.update(bytes);
            yield bytes;
          }
        },
        file,
      );
    } catch (cause) {
      if (cause instanceof LoraError) throw cause;
      if (fileError) {
        throw new LoraError(
          'LORA_WRITE_FAILED',
          `Could not write the download of ${url} to ${temp}`,
          { details: fileError.message, cause: fileError },
        );
      }
      throw new LoraError(
        'LORA_DOWNLOAD_FAILED',
        `Download of ${url} broke off after ${received} bytes`,
        { details: (cause as Error).message, cause },
      );
    }
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
    await closed(file);
    await rename(temp, dest);
    return received;
  } catch (error) {
    // Wait for the file to be closed (an open still under way would create it after the rm).
    file.destroy();
    await closed(file);
    await rm(temp, { force: true });
    throw error;
  }
}

/** The Hub's own reason for a refusal (`X-Error-Code`/`X-Error-Message`), when it sent one. */
function hubErrorOf(headers: Dispatcher.ResponseData['headers']): string | undefined {
  const code = headers['x-error-code'];
  const message = headers['x-error-message'];
  if (code === undefined && message === undefined) return undefined;
  return [code, message].filter((part) => part !== undefined).join(': ');
}
