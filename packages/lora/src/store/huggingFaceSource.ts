import { z } from 'zod';
import { LoraError } from '../errors/LoraError';
import type { AdapterSource } from './AdapterSource';
import {
  type HttpAdapterSpec,
  HttpAdapterSpecSchema,
  type HttpSourceOptions,
  httpSource,
} from './httpSource';

export const HuggingFaceAdapterSpecSchema = z.object({
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be "owner/name"'),
  revision: z.string().min(1).default('main'),
  sha256: HttpAdapterSpecSchema.shape.sha256,
});
export type HuggingFaceAdapterSpec = z.input<typeof HuggingFaceAdapterSpecSchema>;

export interface HuggingFaceSourceOptions extends Omit<HttpSourceOptions, 'adapters'> {
  /** The hub (or a mirror): files live at `{endpoint}/{repo}/resolve/{revision}/{file}`. */
  readonly endpoint?: string | undefined;
  readonly adapters: Readonly<Record<string, HuggingFaceAdapterSpec>>;
}

/** Adapters in Hugging Face repos, fetched by the hub's `resolve` URL layout. */
export function huggingFaceSource(options: HuggingFaceSourceOptions): AdapterSource {
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/+$/, '');
  const adapters: Record<string, HttpAdapterSpec> = {};
  for (const [name, raw] of Object.entries(options.adapters)) {
    const parsed = HuggingFaceAdapterSpecSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoraError(
        'LORA_CONFIG_INVALID',
        `Hub spec for adapter "${name}" is invalid at ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const { repo, revision, sha256 } = parsed.data;
    adapters[name] = {
      url: `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/`,
      sha256,
    };
  }
  return httpSource({ ...options, adapters, label: options.label ?? `hf:${endpoint}` });
}
