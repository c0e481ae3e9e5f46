import { sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@polkadot/util-crypto';
import { isSignalError } from '../../src/errors/SignalError';
import {
  createSr25519Signer,
  holdsSr25519Keys,
  requestSignatureMessage,
  signText,
  sr25519Ready,
  sr25519SignerFromKeys,
  verifyText,
} from '../../src/wire/signature';

const seed = new Uint8Array(32).fill(7);

beforeAll(() => sr25519Ready());

describe('request signatures', () => {
  it('builds the message Python signs', () => {
    expect(
      requestSignatureMessage({
        nonce: 1763800000123456789n,
        dendriteHotkey: '5D',
        axonHotkey: '5A',
        uuid: 'u-1',
        bodyHash: 'abc',
      }),
    ).toBe('1763800000123456789.5D.5A.u-1.abc');
  });

  it('signs as 0x-hex and verifies; tampering or another key fails', async () => {
    const signer = await createSr25519Signer(seed);
    const other = await createSr25519Signer(new Uint8Array(32).fill(8));
    const signature = await signText(signer, 'hello');
    expect(signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(verifyText('hello', signature, signer.address)).toBe(true);
    expect(verifyText('hellO', signature, signer.address)).toBe(false);
    expect(verifyText('hello', signature, other.address)).toBe(false);
  });

  it('interoperates with the independent @scure/sr25519 implementation in util-crypto', async () => {
    const signer = await createSr25519Signer(seed);
    const pair = sr25519PairFromSeed(seed);
    const theirs = sr25519Sign(new TextEncoder().encode('msg'), pair);
    expect(verifyText('msg', `0x${Buffer.from(theirs).toString('hex')}`, signer.address)).toBe(
      true,
    );
    const ours = await signText(signer, 'msg');
    expect(sr25519Verify(new TextEncoder().encode('msg'), ours, pair.publicKey)).toBe(true);
  });

  it('accepts a <Bytes>-wrapped signature as Python Keypair.verify does', async () => {
    const signer = await createSr25519Signer(seed);
    const wrapped = await signText(signer, '<Bytes>msg</Bytes>');
    expect(verifyText('msg', wrapped, signer.address)).toBe(true);
  });

  it.each([
    ['0x1234', 'not 64 bytes of hex'],
    [`0x${'zz'.repeat(64)}`, 'not 64 bytes of hex'],
  ])('refuses a malformed signature %s', async (signature, message) => {
    const signer = await createSr25519Signer(seed);
    expect(() => verifyText('m', signature, signer.address)).toThrow(message);
  });

  it('refuses a malformed hotkey and a short seed', async () => {
    try {
      verifyText('m', `0x${'00'.repeat(64)}`, 'not-an-address');
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_SIGNATURE')).toBe(true);
    }
    await expect(createSr25519Signer(new Uint8Array(31))).rejects.toThrow('32 bytes');
  });
});

describe('signers over raw keys', () => {
  it('exports keys that sign for the same hotkey, as fresh copies', async () => {
    const signer = await createSr25519Signer(seed);
    expect(holdsSr25519Keys(signer)).toBe(true);
    const keys = signer.exportSr25519Keys();
    const again = await sr25519SignerFromKeys(keys);
    expect(again.address).toBe(signer.address);
    expect(verifyText('m', await signText(again, 'm'), signer.address)).toBe(true);
    keys.secretKey.fill(0);
    expect(verifyText('m', await signText(signer, 'm'), signer.address)).toBe(true);
    expect(holdsSr25519Keys({ address: signer.address, sign: signer.sign })).toBe(false);
  });

  it('refuses keys of the wrong length, and a secret that signs for another key', async () => {
    const keys = (await createSr25519Signer(seed)).exportSr25519Keys();
    const other = (await createSr25519Signer(new Uint8Array(32).fill(8))).exportSr25519Keys();
    await expect(
      sr25519SignerFromKeys({ publicKey: keys.publicKey, secretKey: keys.secretKey.slice(0, 32) }),
    ).rejects.toMatchObject({ code: 'WIRE_SIGNATURE', details: 'got 32 and 32 bytes' });
    await expect(
      sr25519SignerFromKeys({ publicKey: other.publicKey, secretKey: keys.secretKey }),
    ).rejects.toThrow('does not sign for its public key');
  });
});
