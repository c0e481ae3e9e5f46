import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Agent, type Dispatcher, interceptors } from 'undici';
import { z } from 'zod';
import { LoraError } from '../errors/LoraError';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from '../peft/loadPeftAdapter';
import type { AdapterSource } from './AdapterSource';
import { assertAdapterName } from './adapterName';
import { downloadVerified, type OpenDownloadFile } from './downloadVerified';

const Sha256Schema = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters');

/** Where one adapter's two files live, and the sha256 each must have (required, not optional). */
export const HttpAdapterSpecSchema = z.object({
  /** Base URL of the adapter directory; the PEFT file names are appended. */
  url: z.url({ protocol: /^https?$/ }),
  sha256: z.object({
    [ADAPTER_CONFIG_FILE]: Sha256Schema,
    [ADAPTER_WEIGHTS_FILE]: Sha256Schema,
  }),
});
export type HttpAdapterSpec = z.infer<typeof HttpAdapterSpecSchema>;

export interface HttpSourceOptions {
  readonly adapters: Readonly<Record<string, HttpAdapterSpec>>;
  /** On-disk cache; verified files are kept here and reused without downloading. */
  readonly cacheDir: string;
  /** Per-file size cap in bytes. */
  readonly maxBytes: number;
  readonly timeoutMs?: number | undefined;
  /** Defaults to an agent that follows up to 5 redirects (hub `resolve` URLs redirect to a CDN). */
  readonly dispatcher?: Dispatcher | undefined;
  readonly label?: string | undefined;
  /**
   * Opens the temporary file each download is written to (default: an exclusive fs write
   * stream); a failed write is a LORA_WRITE_FAILED and leaves no file behind.
   */
  readonly openFile?: OpenDownloadFile | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function fileUrl(base: string, file: string): string {
  return new URL(file, base.endsWith('/') ? base : `${base}/`).toString();
}

/**
 * Adapters served over HTTP(S). Each adapter is cached under a directory named after the
 * sha256 of its weights, so a changed spec never reuses stale files, and a file lands there
 * only after its hash checks out.
 */
export function httpSource(options: HttpSourceOptions): AdapterSource {
  const specs = new Map<string, HttpAdapterSpec>();
  for (const [name, raw] of Object.entries(options.adapters)) {
    assertAdapterName(name);
    const parsed = HttpAdapterSpecSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `HTTP spec for adapter "${name}" is invalid at ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    specs.set(name, parsed.data);
  }
  const cacheDir = resolve(options.cacheDir);
  const dispatcher =
    options.dispatcher ?? new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  return {
    label: options.label ?? 'http',
    async resolve(name, signal) {
      const spec = specs.get(name);
      if (!spec) return undefined;
      const weightsHash = spec.sha256[ADAPTER_WEIGHTS_FILE].toLowerCase();
      const dir = join(cacheDir, `${name.replace('/', '--')}-${weightsHash.slice(0, 16)}`);
      await mkdir(dir, { recursive: true });
      for (const file of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE] as const) {
        const dest = join(dir, file);
        if (await exists(dest)) continue;
        await downloadVerified(fileUrl(spec.url, file), dest, {
          sha256: spec.sha256[file],
          maxBytes: options.maxBytes,
          dispatcher,
          signal,
          timeoutMs: options.timeoutMs,
          openFile: options.openFile,
        });
      }
      return dir;
    },
  };
}
