import { z } from 'zod';

export const PAGE_IDS = ['subnet', 'miners', 'quality', 'gateway'] as const;
export const PageIdSchema = z.enum(PAGE_IDS);
export type PageId = z.infer<typeof PageIdSchema>;

/** `GET /dashboard/api/info`: what serves this dashboard and which pages have data here. */
export const DashboardInfoSchema = z.object({
  role: z.enum(['validator', 'gateway', 'devnet']),
  netuid: z.int().min(0).max(65_535),
  /** The serving neuron's hotkey address (public), when it has one. */
  hotkey: z.string().nullable(),
  pages: z.object({
    subnet: z.boolean(),
    miners: z.boolean(),
    quality: z.boolean(),
    gateway: z.boolean(),
  }),
  /** How often the server re-reads its sources while someone watches. */
  refresh_ms: z.int().positive(),
});
export type DashboardInfo = z.infer<typeof DashboardInfoSchema>;

/** Every JSON error the API answers: a stable code and a sentence. */
export const DashboardApiErrorSchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string().min(1) }),
});
export type DashboardApiError = z.infer<typeof DashboardApiErrorSchema>;
