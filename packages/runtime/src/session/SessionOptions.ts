import type { InferenceSession } from 'onnxruntime-node';
import { z } from 'zod';

/**
 * How an ONNX Runtime session runs on CPU. Thread counts of 0 let ORT choose (all cores),
 * which is wrong on machines shared by several models, so callers serving many models
 * should set them explicitly.
 */
export const SessionOptionsSchema = z.object({
  intraOpThreads: z.number().int().nonnegative().default(0),
  interOpThreads: z.number().int().nonnegative().default(0),
  graphOptimization: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
  memoryArena: z.boolean().default(true),
  memoryPattern: z.boolean().default(true),
  executionMode: z.enum(['sequential', 'parallel']).default('sequential'),
});

export type SessionOptions = z.infer<typeof SessionOptionsSchema>;
export type SessionOptionsInput = z.input<typeof SessionOptionsSchema>;

/** Translates our options to ORT's, leaving thread counts to ORT when they are 0. */
export function toOrtSessionOptions(options: SessionOptions): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: options.graphOptimization,
    enableCpuMemArena: options.memoryArena,
    enableMemPattern: options.memoryPattern,
    executionMode: options.executionMode,
    ...(options.intraOpThreads > 0 ? { intraOpNumThreads: options.intraOpThreads } : {}),
    ...(options.interOpThreads > 0 ? { interOpNumThreads: options.interOpThreads } : {}),
  };
}
