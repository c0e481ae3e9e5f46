import { createHash, randomBytes } from 'node:crypto';
import { HashThread } from '../../../src/hub/hashing/HashThread';

/** Splits `bytes` into chunks of awkward sizes, so batches never line up with them. */
function* chunksOf(bytes: Buffer): Generator<Buffer> {
  const sizes = [1, 65_521, 300_007, 4096, 1_048_577];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

describe('HashThread', () => {
  const thread = new HashThread();
  const data = randomBytes(11 * 1024 * 1024 + 13);

  it('digests sha256 and git sha1 like node:crypto over chunks that straddle its batches', async () => {
    const sha256 = thread.hash('sha256', '');
    const sha1 = thread.hash('sha1', `blob ${data.length}\0`);
    for (const chunk of chunksOf(data)) {
      await Promise.all([sha256.update(chunk), sha1.update(chunk)]);
    }
    expect(await sha256.digest()).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await sha1.digest()).toBe(
      createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex'),
    );
  });

  it('copies what it is fed: a chunk overwritten after update does not change the digest', async () => {
    const hash = thread.hash('sha256', '');
    const reused = Buffer.alloc(65_536);
    for (let offset = 0; offset < data.length; offset += reused.length) {
      const n = data.copy(reused, 0, offset, offset + reused.length);
      await hash.update(reused.subarray(0, n));
      reused.fill(0xff);
    }
    expect(await hash.digest()).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('asks its feeder to wait once 8 MiB are posted and not yet hashed, and lets it go on after', async () => {
    const hash = thread.hash('sha256', '');
    const waits: Promise<void>[] = [];
    // Fed without yielding, so no answer from the thread can arrive in between.
    for (const chunk of chunksOf(data)) {
      const behind = hash.update(chunk);
      if (behind) waits.push(behind);
    }
    expect(waits.length).toBeGreaterThan(0);
    await Promise.all(waits);
    expect(await hash.digest()).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('a closed hash is dropped: later hashes are unaffected', async () => {
    const dropped = thread.hash('sha256', '');
    await dropped.update(data.subarray(0, 3 * 1024 * 1024));
    dropped.close();
    const hash = thread.hash('sha256', '');
    await hash.update(data);
    expect(await hash.digest()).toBe(createHash('sha256').update(data).digest('hex'));
  });
});
