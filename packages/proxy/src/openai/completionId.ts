import { randomBytes } from 'node:crypto';
import type { CompletionIdentity } from './ChatCompletion';

/** A fresh identity for one completion: `chatcmpl-…` or `cmpl-…`, created now. */
export function completionIdentity(kind: 'chat' | 'text', model: string): CompletionIdentity {
  const prefix = kind === 'chat' ? 'chatcmpl' : 'cmpl';
  return {
    id: `${prefix}-${randomBytes(12).toString('base64url')}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}
