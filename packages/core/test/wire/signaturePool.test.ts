import { AxonRefusal } from '../../src/wire/axon/AxonRefusal';
import { InlineSignatures } from '../../src/wire/axon/signatures/InlineSignatures';
import { SignaturePool } from '../../src/wire/axon/signatures/SignaturePool';
import type { SignatureService } from '../../src/wire/axon/signatures/SignatureService';
import { verifyRequest } from '../../src/wire/axon/verifyRequest';
import { NonceTracker } from '../../src/wire/nonceTracker';
import {
  createSr25519Signer,
  type KeyHoldingSigner,
  requestSignatureMessage,
  type Sr25519Keys,
  signText,
  verifyText,
} from '../../src/wire/signature';
import type { DecodedSynapseHeaders } from '../../src/wire/synapseHeaders';
import { WireError } from '../../src/wire/WireError';

let signer: KeyHoldingSigner;
let pool: SignaturePool;

beforeAll(async () => {
  signer = await createSr25519Signer(new Uint8Array(32).fill(3));
  pool = new SignaturePool(2);
});

afterAll(() => pool.close());

describe('SignaturePool', () => {
  it('verifies in worker threads: good, tampered, and many at once', async () => {
    const signature = await signText(signer, 'hello');
    await expect(pool.verify('hello', signature, signer.address)).resolves.toBe(true);
    await expect(pool.verify('hellO', signature, signer.address)).resolves.toBe(false);
    const texts = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    const signatures = await Promise.all(texts.map((text) => signText(signer, text)));
    const verdicts = await Promise.all(
      texts.map((text, i) => pool.verify(text, signatures[(i + (i % 2)) % 40]!, signer.address)),
    );
    expect(verdicts).toEqual(texts.map((_, i) => i % 2 === 0));
  });

  it('rebuilds a malformed signature or hotkey as the WireError verifyText throws', async () => {
    const bad = await pool.verify('x', '0x1234', signer.address).catch((e) => e);
    expect(bad).toBeInstanceOf(WireError);
    expect(bad).toMatchObject({
      code: 'WIRE_SIGNATURE',
      shortMessage: 'The signature is not 64 bytes of hex.',
    });
    const signature = await signText(signer, 'x');
    await expect(pool.verify('x', signature, 'not-an-address')).rejects.toMatchObject({
      code: 'WIRE_SIGNATURE',
    });
  });
});

describe('signing with a held key', () => {
  it('signs in the threads what the signer itself would sign, and verifies beside it', async () => {
    const key = pool.holdKey(signer.exportSr25519Keys());
    const texts = Array.from(
      { length: 24 },
      (_, i) => `1763800000${i}.5Dendrite.${signer.address}.uuid`,
    );
    const signatures = await Promise.all(texts.map((text) => key.sign(text)));
    const honest = await signText(signer, 'mixed in');
    // Verifications queued in the same turn travel with the signatures.
    const [verdict, late] = await Promise.all([
      pool.verify('mixed in', honest, signer.address),
      key.sign('late'),
    ]);
    expect(verdict).toBe(true);
    for (const [i, signature] of signatures.entries()) {
      expect(signature).toMatch(/^0x[0-9a-f]{128}$/);
      expect(verifyText(texts[i]!, signature, signer.address)).toBe(true);
      expect(verifyText(`${texts[i]}x`, signature, signer.address)).toBe(false);
    }
    expect(verifyText('late', late, signer.address)).toBe(true);
    key.release();
    await expect(key.sign('after release')).rejects.toMatchObject({ code: 'WIRE_SIGNATURE' });
  });

  it('hands the keys to a thread that replaces a dead one', async () => {
    const own = new SignaturePool(1);
    const key = own.holdKey(signer.exportSr25519Keys());
    await own.ready();
    const lane = (own as unknown as { lanes: { worker: import('node:worker_threads').Worker }[] })
      .lanes[0]!;
    const exited = new Promise((resolve) => lane.worker.once('exit', resolve));
    await lane.worker.terminate();
    await exited;
    const signature = await key.sign('after a restart');
    expect(verifyText('after a restart', signature, signer.address)).toBe(true);
    await own.close();
  });

  it('signs the same way on the calling thread', async () => {
    const inline = new InlineSignatures();
    const key = inline.holdKey(signer.exportSr25519Keys());
    expect(verifyText('inline', await key.sign('inline'), signer.address)).toBe(true);
  });
});

describe('verifyRequest', () => {
  const axonHotkey = '5AxonHotkey';
  const counting = (): SignatureService & { calls: number } => {
    const verifier = {
      calls: 0,
      verify: (text: string, signature: string, address: string) => {
        verifier.calls++;
        return pool.verify(text, signature, address);
      },
      holdKey: (keys: Sr25519Keys) => pool.holdKey(keys),
      backlog: () => pool.backlog(),
      ready: () => pool.ready(),
      close: async () => undefined,
    };
    return verifier;
  };
  const signed = async (nonce: bigint, bodyHash = 'hash'): Promise<DecodedSynapseHeaders> => {
    const message = requestSignatureMessage({
      nonce,
      dendriteHotkey: signer.address,
      axonHotkey,
      uuid: 'u',
      bodyHash,
    });
    return {
      dendrite: {
        hotkey: signer.address,
        nonce,
        uuid: 'u',
        signature: await signText(signer, message),
      },
      axon: {},
      inputObjects: {},
      computedBodyHash: bodyHash,
    } as unknown as DecodedSynapseHeaders;
  };

  it('checks hash and nonce before it spends a verification, and records the nonce after', async () => {
    const nonces = new NonceTracker();
    const verifier = counting();
    const now = BigInt(Date.now()) * 1_000_000n;
    const fresh = await signed(now);
    await verifyRequest(fresh, 'hash', axonHotkey, nonces, 12, verifier);
    expect(verifier.calls).toBe(1);
    const replay = await verifyRequest(fresh, 'hash', axonHotkey, nonces, 12, verifier).catch(
      (e) => e,
    );
    expect(replay).toMatchObject({ code: 'WIRE_NONCE' });
    const stale = await signed(now - 60_000_000_000n);
    await expect(
      verifyRequest(stale, 'hash', axonHotkey, new NonceTracker(), 12, verifier),
    ).rejects.toMatchObject({
      code: 'WIRE_NONCE',
    });
    const tampered = await signed(now + 1n, 'other');
    const refused = await verifyRequest(tampered, 'hash', axonHotkey, nonces, 12, verifier).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(AxonRefusal);
    expect(refused.status).toBe(401);
    expect(verifier.calls).toBe(1);
  });

  it('refuses a bad signature with 401 and leaves the nonce unrecorded', async () => {
    const nonces = new NonceTracker();
    const now = BigInt(Date.now()) * 1_000_000n;
    const headers = await signed(now);
    const forged = {
      ...headers,
      dendrite: { ...headers.dendrite, nonce: now + 5n },
    } as DecodedSynapseHeaders;
    const refused = await verifyRequest(forged, 'hash', axonHotkey, nonces, 12, counting()).catch(
      (e) => e,
    );
    expect(refused).toMatchObject({ status: 401 });
    expect(nonces.size).toBe(0);
    await verifyRequest(headers, 'hash', axonHotkey, nonces, 12, counting());
    expect(nonces.size).toBe(1);
  });
});
