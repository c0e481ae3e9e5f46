import { parse } from 'lossless-json';
import { WireError } from './WireError';

/**
 * Parses JSON text keeping every number as its source text (a `LosslessNumber`), so
 * nanosecond nonces above 2^53 stay exact and `2.0` stays distinguishable from `2`.
 */
export function parseLosslessJson(text: string, what: string): unknown {
  try {
    return parse(text);
  } catch (cause) {
    throw new WireError('WIRE_JSON', `${what} is not valid JSON.`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}
