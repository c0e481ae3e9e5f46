import { createHash, type Hash } from 'node:crypto';
import type { RepoFile } from '../listRepo';
import { sharedHashThread } from './HashThread';

/** The digest of a blob, fed as its bytes stream in. */
export interface BlobHash {
  /**
   * Feeds `chunk` (read at once: the caller may reuse it). A returned promise asks the caller
   * to wait for it before feeding more: the hash is that far behind.
   */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The hex digest of everything fed; the hash is finished after it. */
  digest(): Promise<string>;
  /** Drops a hash that will not be finished (a failed attempt); a no-op after `digest`. */
  close(): void;
}

/**
 * Blobs this large are hashed on the shared hashing thread: sha256 runs at about 1.2 GiB/s
 * on one core, and on the main thread it took 80 of the 177 ms a 100 MiB loopback pull
 * lasted, time the socket was not read. Smaller ones are hashed inline, where posting them
 * would cost more than it saves.
 */
export const THREAD_HASH_BYTES = 8 * 1024 * 1024;

/** sha256 for LFS files, git's blob sha1 (`blob <size>\0` + content) for the rest. */
export function blobHash(file: RepoFile): BlobHash {
  const algorithm = file.sha256 ? 'sha256' : 'sha1';
  const prefix = file.sha256 ? '' : `blob ${file.size}\0`;
  if (file.size >= THREAD_HASH_BYTES) return sharedHashThread().hash(algorithm, prefix);
  return new InlineHash(createHash(algorithm).update(prefix));
}

class InlineHash implements BlobHash {
  constructor(private readonly hash: Hash) {}

  update(chunk: Uint8Array): undefined {
    this.hash.update(chunk);
    return undefined;
  }

  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }

  close(): void {}
}
