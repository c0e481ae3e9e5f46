import { basename, resolve } from 'node:path';
import { type AdapterSource, httpSource, huggingFaceSource } from '@signal/lora';
import { isHubRef, parseHubRef } from '@signal/runtime';
import type { AdapterSource as ConfiguredAdapter } from '../config/MinerConfigSchema';

/** Per-file download cap for adapters fetched over HTTP. */
const MAX_ADAPTER_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** The name requests and `Metadata` use for a configured adapter. */
export function adapterNameOf(adapter: ConfiguredAdapter): string {
  if (adapter.name !== undefined) return adapter.name;
  if ('dir' in adapter && isHubRef(adapter.dir))
    return parseHubRef(adapter.dir).repo.split('/')[1]!;
  if ('dir' in adapter) return basename(resolve(adapter.dir));
  const segments = new URL(adapter.url).pathname.split('/').filter((s) => s.length > 0);
  return segments.at(-1) ?? new URL(adapter.url).hostname;
}

/**
 * The `@signal/lora` source that materialises one configured adapter: its own directory, a
 * Hub repository (`hf:org/name@rev`, pulled into the huggingface_hub cache), or its two PEFT
 * files downloaded into `cacheDir` after their hashes check out.
 */
export function adapterSourceOf(adapter: ConfiguredAdapter, cacheDir: string): AdapterSource {
  const name = adapterNameOf(adapter);
  if ('dir' in adapter && isHubRef(adapter.dir)) {
    return huggingFaceSource({ adapters: { [name]: { repo: adapter.dir } } });
  }
  if ('dir' in adapter) {
    const dir = resolve(adapter.dir);
    return {
      label: `dir:${dir}`,
      resolve: async (wanted) => (wanted === name ? dir : undefined),
    };
  }
  return httpSource({
    adapters: {
      [name]: {
        url: adapter.url,
        sha256: {
          'adapter_config.json': adapter.config_sha256,
          'adapter_model.safetensors': adapter.sha256,
        },
      },
    },
    cacheDir,
    maxBytes: MAX_ADAPTER_FILE_BYTES,
  });
}
