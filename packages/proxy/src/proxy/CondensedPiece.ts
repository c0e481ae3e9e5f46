import {
  type BtTensor,
  type CondensedPayload,
  type KvPayload,
  payloadLeaves,
  type SoftPayload,
} from '@signal/core';

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

/** Base64 characters of every tensor (a quantized cache's codes, scales and zero points too). */
function payloadChars(payload: CondensedPayload): number {
  if (payload.format === 'text') return payload.text.length;
  let chars = 0;
  for (const { leaf } of payloadLeaves<BtTensor>(payload)) chars += leaf.buffer.length;
  return chars;
}
