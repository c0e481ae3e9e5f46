import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore, InvalidApiKeyError } from '@signal/validator';

const limit = { capacity: 5, refillPerSecond: 1 };

describe('ApiKeyStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signal-keys-'));
    file = join(dir, 'keys.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates keys that verify, stores only salted hashes, and persists them', async () => {
    const store = await ApiKeyStore.open(file);
    const { key, record } = await store.create({ name: 'app one', rateLimit: limit }, 1000);
    expect(key).toMatch(/^sig_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(store.verify(key)).toEqual(record);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key.split('_').slice(2).join('_'));
    expect(JSON.parse(text)).toMatchObject({
      schemaVersion: 1,
      keys: [{ id: record.id, name: 'app one', createdAt: 1000 }],
    });

    const reopened = await ApiKeyStore.open(file);
    expect(reopened.verify(key)).toEqual(record);
    // Same secret under two keys still gives two different hashes: salts are per key.
    const other = await store.create({ name: 'app two', rateLimit: limit });
    expect(other.record.salt).not.toBe(record.salt);
  });

  it('refuses malformed, unknown, wrong and revoked keys with a 401 error', async () => {
    const store = await ApiKeyStore.open(file);
    const { key, record } = await store.create({ name: 'a', rateLimit: limit });
    const reason = (presented: string) => {
      try {
        store.verify(presented);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidApiKeyError);
        expect((error as InvalidApiKeyError).status).toBe(401);
        return (error as InvalidApiKeyError).reason;
      }
      return 'accepted';
    };
    expect(reason('hello')).toBe('malformed');
    expect(reason(`${key}x`)).toBe('malformed');
    const secret = key.slice(-43);
    const flipped = secret[0] === 'A' ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;
    expect(reason(`sig_${record.id}_${flipped}`)).toBe('mismatch');
    expect(reason(`sig_ffffffffffff_${secret}`)).toBe('unknown');
    await store.revoke(record.id, 5);
    expect(reason(key)).toBe('revoked');
    expect((await ApiKeyStore.open(file)).list()[0]!.revokedAt).toBe(5);
  });

  it('names bad admin input', async () => {
    const store = await ApiKeyStore.open(file);
    await expect(store.create({ name: '', rateLimit: limit })).rejects.toMatchObject({
      code: 'GATEWAY_BAD_KEY_PARAMETERS',
      details: expect.stringContaining('name'),
    });
    await expect(
      store.create({ name: 'x', rateLimit: { capacity: 0, refillPerSecond: 1 } }),
    ).rejects.toMatchObject({
      code: 'GATEWAY_BAD_KEY_PARAMETERS',
      details: expect.stringContaining('rateLimit.capacity'),
    });
    await expect(store.revoke('abcdefabcdef')).rejects.toMatchObject({
      code: 'GATEWAY_KEY_UNKNOWN',
    });
  });

  it('serialises concurrent changes, so none is lost', async () => {
    const store = await ApiKeyStore.open(file);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.create({ name: `app ${i}`, rateLimit: limit })),
    );
    await store.setRateLimit(created[0]!.record.id, { capacity: 50, refillPerSecond: 10 });
    const reopened = await ApiKeyStore.open(file);
    expect(reopened.list()).toHaveLength(12);
    for (const { key } of created) expect(() => reopened.verify(key)).not.toThrow();
    expect(reopened.verify(created[0]!.key).rateLimit.capacity).toBe(50);
  });

  it('reloads changes made by another process and reports a corrupt file', async () => {
    const gateway = await ApiKeyStore.open(file);
    const cli = await ApiKeyStore.open(file);
    const { key } = await cli.create({ name: 'from the cli', rateLimit: limit });
    expect(() => gateway.verify(key)).toThrow(InvalidApiKeyError);
    await gateway.reload();
    expect(gateway.verify(key).name).toBe('from the cli');

    await writeFile(file, '{"schemaVersion":1,"keys":[{"id":"zz"}]}');
    await expect(ApiKeyStore.open(file)).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });
});
