import type { BuildModelOptions } from '@signal/runtime';

export interface DevnetModel {
  /** The target model's name, as tiers, miners, the validator and the client use it. */
  readonly name: string;
  /** Folder under `<data-dir>/models`. */
  readonly folder: string;
  readonly build: Omit<BuildModelOptions, 'outDir'>;
}

/**
 * The devnet's target model: the runtime's reference recall model, a constructed
 * induction-head Llama that really answers "which value followed this key?". A seeded
 * random model would score every condenser about the same (its predictions barely depend on
 * the context); this one answers right only if the condensed cache kept the asked pair, so
 * the validator's recall tasks tell good condensers from poor ones. Its post-RoPE queries are
 * exposed for the presses that read them (snapkv).
 */
export const DEVNET_MODEL: DevnetModel = {
  name: 'signal/recall',
  folder: 'recall',
  build: { arch: 'llama', preset: 'recall', exposeQueries: true },
};
