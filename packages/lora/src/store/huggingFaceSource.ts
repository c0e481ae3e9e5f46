import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { type HubSettings, parseHubRef, pullModel } from '@signal/runtime';
import { z } from 'zod';
import { LoraError } from '../errors/LoraError';
import { ADAPTER_WEIGHTS_FILE } from '../peft/loadPeftAdapter';
import type { AdapterSource } from './AdapterSource';
import { assertAdapterName } from './adapterName';

const Sha256Schema = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters');

/**
 * An adapter in a Hub repository: `repo` (`org/name`, or `hf:org/name@rev/sub` as a whole),
 * `revision` (default `main`) and, optionally, the sha256 its weights must have (a pin that
 * holds even when the revision is a branch that moves; the Hub's own LFS hash is always checked).
 */
export const HuggingFaceAdapterSpecSchema = z.object({
  repo: z.string().min(1),
  revision: z.string().min(1).optional(),
  sha256: Sha256Schema.optional(),
});
export type HuggingFaceAdapterSpec = z.input<typeof HuggingFaceAdapterSpecSchema>;

export interface HuggingFaceSourceOptions {
  readonly adapters: Readonly<Record<string, HuggingFaceAdapterSpec>>;
  /** Endpoint, token, cache and offline mode; by default `HF_ENDPOINT`, `HF_TOKEN`, the huggingface_hub cache, `HF_HUB_OFFLINE`. */
  readonly settings?: Partial<HubSettings> | undefined;
  readonly label?: string | undefined;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Adapters in Hugging Face repositories, pulled by the runtime's Hub client into the
 * huggingface_hub cache (`models--org--name/snapshots/<commit>`), resumed and verified there,
 * and shared with Python. The same client pulls models: one implementation for both.
 */
export function huggingFaceSource(options: HuggingFaceSourceOptions): AdapterSource {
  const specs = new Map<string, ReturnType<typeof parseHubRef> & { sha256?: string }>();
  for (const [name, raw] of Object.entries(options.adapters)) {
    assertAdapterName(name);
    const parsed = HuggingFaceAdapterSpecSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `Hub spec for adapter "${name}" is invalid at ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const { repo, revision, sha256 } = parsed.data;
    let ref: ReturnType<typeof parseHubRef>;
    try {
      // The revision is taken as written: `refs/pr/1` must not be read as a subfolder.
      const parsedRef = parseHubRef(repo);
      ref = revision ? { ...parsedRef, revision } : parsedRef;
    } catch (cause) {
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `Hub spec for adapter "${name}" names no repository`,
        {
          details: cause instanceof Error ? cause.message : String(cause),
          cause,
        },
      );
    }
    specs.set(name, { ...ref, ...(sha256 ? { sha256: sha256.toLowerCase() } : {}) });
  }
  const endpoint =
    options.settings?.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  return {
    label: options.label ?? `hf:${endpoint.replace(/\/+$/, '')}`,
    async resolve(name, signal) {
      const spec = specs.get(name);
      if (!spec) return undefined;
      let dir: string;
      try {
        ({ dir } = await pullModel(spec, {
          kind: 'adapter',
          ...(options.settings ? { settings: options.settings } : {}),
          ...(signal ? { signal } : {}),
        }));
      } catch (cause) {
        throw new LoraError(
          isSignalError(cause, 'HUB_CHECKSUM_MISMATCH')
            ? 'LORA_INTEGRITY_MISMATCH'
            : 'LORA_DOWNLOAD_FAILED',
          `Adapter "${name}" cannot be pulled from ${spec.repo}@${spec.revision}`,
          {
            details: isSignalError(cause) ? `${cause.code}: ${cause.message}` : String(cause),
            cause,
          },
        );
      }
      if (spec.sha256) {
        const digest = await sha256Of(join(dir, ADAPTER_WEIGHTS_FILE));
        if (digest !== spec.sha256) {
          throw new LoraError(
            'LORA_INTEGRITY_MISMATCH',
            `Adapter "${name}" from ${spec.repo}@${spec.revision} does not match its pinned sha256`,
            { details: `expected ${spec.sha256}, got ${digest}` },
          );
        }
      }
      return dir;
    },
  };
}
