import { z } from 'zod';

/**
 * The config-file sections behind the shared neuron flags, in snake_case like the rest of a
 * neuron's config. Spread `NeuronConfigShape` into a neuron's own strict schema so a file
 * can carry the whole deployment; a flag or its env form overrides these.
 */
export const NeuronConfigShape = {
  wallet: z
    .strictObject({
      name: z.string().min(1).optional(),
      hotkey: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
    })
    .optional(),
  subtensor: z.strictObject({ network: z.string().min(1).optional() }).optional(),
  logging: z.strictObject({ debug: z.boolean().optional() }).optional(),
  /** How the neuron's model host spends the machine (see `--runtime.*`). */
  runtime: z
    .strictObject({
      threads: z.int().positive().optional(),
      workers: z.int().positive().optional(),
      queue_size: z.int().nonnegative().optional(),
    })
    .optional(),
};

export const NeuronConfigSchema = z.object(NeuronConfigShape);
export type NeuronConfig = z.infer<typeof NeuronConfigSchema>;
