import type { CondensedPayload, KvPayload, SoftPayload } from '@signal/core';

/** What the subnet made of one piece of a long part, as the proxy keeps and forwards it. */
export type CondensedPiece =
  | {
      readonly format: 'text';
      readonly text: string;
      readonly originalTokens: number;
      readonly condensedTokens: number;
    }
  | {
      readonly format: 'kv' | 'soft';
      readonly payload: KvPayload | SoftPayload;
      readonly originalTokens: number;
      readonly condensedTokens: number;
    };

/** Roughly what a piece holds in memory: its strings (two bytes a character) plus a fixed overhead. */
export function pieceBytes(piece: CondensedPiece): number {
  const overhead = 256;
  if (piece.format === 'text') return overhead + piece.text.length * 2;
  return overhead + payloadChars(piece.payload) * 2;
}

function payloadChars(payload: CondensedPayload): number {
  if (payload.format === 'kv') {
    let chars = 0;
    for (const layer of payload.layers)
      chars += layer.key.buffer.length + layer.value.buffer.length;
    return chars;
  }
  if (payload.format === 'soft') return payload.embeddings.buffer.length;
  return payload.text.length;
}
