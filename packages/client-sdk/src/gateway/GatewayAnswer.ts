import { z } from 'zod';

/** The gateway's 200 body; the payload inside is checked by core's validator, not here. */
export const GatewayAnswerSchema = z.object({
  payload: z.unknown(),
  miner_uid: z.number().int().min(0),
  latency_ms: z.number().finite().min(0),
});

export type GatewayAnswer = z.infer<typeof GatewayAnswerSchema>;

/** Error bodies vary (`{error: {code, message}}`, `{message}`, `{error}`); keep what explains. */
export function gatewayErrorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const { error, message, code } = body as Record<string, unknown>;
      if (typeof error === 'object' && error !== null) {
        const inner = error as Record<string, unknown>;
        return [inner.code, inner.message].filter((v) => typeof v === 'string').join(': ') || text;
      }
      const parts = [code, message ?? error].filter((v) => typeof v === 'string');
      if (parts.length > 0) return parts.join(': ');
    }
  } catch {
    // Not JSON: the raw text is the best explanation there is.
  }
  return text.slice(0, 500) || '(empty body)';
}
