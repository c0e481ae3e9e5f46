/** The digests a blob is checked with: LFS files by sha256, the rest by git's blob sha1. */
export type BlobHashAlgorithm = 'sha256' | 'sha1';

/** What the main thread tells the hashing thread, per open hash (`id`). */
export type ToHashThread =
  | { type: 'open'; id: number; algorithm: BlobHashAlgorithm; prefix: string }
  | { type: 'bytes'; id: number; bytes: Uint8Array }
  | { type: 'digest'; id: number }
  | { type: 'drop'; id: number };

/** What it answers: each batch hashed (for back-pressure), then the hex digest. */
export type FromHashThread =
  | { type: 'hashed'; id: number; bytes: number }
  | { type: 'digest'; id: number; hex: string };
