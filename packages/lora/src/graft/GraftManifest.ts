import { z } from 'zod';

/** Bumped whenever the graft's graph layout changes, so older cached grafts are rebuilt. */
export const GRAFT_VERSION = 1;
export const GRAFT_MANIFEST_FILE = 'lora_graft.json';

const TargetSchema = z.object({
  module: z.string(),
  node: z.string(),
  inFeatures: z.number().int().positive(),
  outFeatures: z.number().int().positive(),
});

/** Written beside a grafted model: what it was grafted from and which inputs it grew. */
export const GraftManifestSchema = z.object({
  version: z.literal(GRAFT_VERSION),
  source: z.object({ modelPath: z.string(), size: z.number(), mtimeMs: z.number() }),
  targets: z.union([z.string(), z.array(z.string())]),
  maxRank: z.number().int().positive().nullable(),
  modelFile: z.string(),
  modules: z.array(TargetSchema),
});
export type GraftManifest = z.infer<typeof GraftManifestSchema>;
