import type { CondensedPayloadFormat } from '@signal/core';

/**
 * The payload format a condenser method produces, as miners name their methods in Metadata:
 * `soft` and `text` are their own formats; every other method is a KV press.
 */
export function methodFormat(method: string): CondensedPayloadFormat {
  if (method === 'soft') return 'soft';
  if (method === 'text') return 'text';
  return 'kv';
}
