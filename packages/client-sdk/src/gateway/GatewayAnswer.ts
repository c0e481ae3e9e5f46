import { z } from 'zod';

/** The gateway's 200 body; the payload inside is checked by core's validator, not here. */
export const GatewayAnswerSchema = z.object({
  payload: z.unknown(),
  miner_uid: z.number().int().min(0),
  latency_ms: z.number().finite().min(0),
});

export type GatewayAnswer = z.infer<typeof GatewayAnswerSchema>;

const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * What a gateway's error body says: the text that explains it and its stable code, when it
 * has one. Bodies vary (`{error: {code, message}}`, `{code, message}`, `{message}`, `{error}`).
 */
export function gatewayError(text: string): { message: string; code: string | undefined } {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const { error, message, code } = body as Record<string, unknown>;
      const inner =
        typeof error === 'object' && error !== null
          ? (error as Record<string, unknown>)
          : undefined;
      const found = inner ? inner.code : code;
      const stable = typeof found === 'string' && ERROR_CODE.test(found) ? found : undefined;
      const parts = (inner ? [inner.code, inner.message] : [code, message ?? error]).filter(
        (v) => typeof v === 'string',
      );
      if (parts.length > 0) return { message: parts.join(': '), code: stable };
      if (inner) return { message: text, code: stable };
    }
  } catch {
    // Not JSON: the raw text is the best explanation there is.
  }
  return { message: text.slice(0, 500) || '(empty body)', code: undefined };
}
