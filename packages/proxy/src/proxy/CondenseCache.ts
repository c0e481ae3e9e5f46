import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type CondensedPiece, pieceBytes } from './CondensedPiece';

/** What a cached piece is keyed on besides its text: the same text condensed otherwise is another entry. */
export interface CondenseKey {
  readonly text: string;
  readonly format: string;
  readonly tier: string;
  readonly targetModel: string;
}

/**
 * Condensed pieces by content hash (sha256 of the text and how it was condensed), least
 * recently used first out once the entries pass `maxBytes`. Identical requests that arrive
 * together share one condense call, so a document asked about twice is condensed once.
 */
export class CondenseCache {
  private readonly entries: LRUCache<string, CondensedPiece> | undefined;
  private readonly pending = new Map<string, Promise<CondensedPiece>>();

  constructor(maxBytes: number) {
    this.entries =
      maxBytes > 0
        ? new LRUCache<string, CondensedPiece>({
            maxSize: maxBytes,
            sizeCalculation: (piece) => Math.max(1, pieceBytes(piece)),
          })
        : undefined;
  }

  /** The cached piece, or the result of `make` (shared with concurrent callers, then cached). */
  async get(
    key: CondenseKey,
    make: () => Promise<CondensedPiece>,
  ): Promise<{ piece: CondensedPiece; cached: boolean }> {
    const hash = hashKey(key);
    const hit = this.entries?.get(hash);
    if (hit) return { piece: hit, cached: true };
    const inFlight = this.pending.get(hash);
    if (inFlight) return { piece: await inFlight, cached: true };
    const made = make();
    this.pending.set(hash, made);
    try {
      const piece = await made;
      this.entries?.set(hash, piece);
      return { piece, cached: false };
    } finally {
      this.pending.delete(hash);
    }
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  get bytes(): number {
    return this.entries?.calculatedSize ?? 0;
  }
}

function hashKey(key: CondenseKey): string {
  return createHash('sha256')
    .update(`${key.format}\u0000${key.tier}\u0000${key.targetModel}\u0000`)
    .update(key.text)
    .digest('hex');
}
