import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { holdsSr25519Keys, sr25519SignerFromKeys } from '@signal/core';
import {
  KeyfileCorruptError,
  KeyfileExistsError,
  KeyfileNotFoundError,
  KeyfilePasswordError,
  KeyfilePasswordMissingError,
} from '../src/errors/WalletErrors';
import {
  decryptKeyfileData,
  deriveNaclKey,
  encryptKeyfileData,
  isNaclEncrypted,
  openWithKey,
} from '../src/wallet/keyfileEncryption';
import { readKeypair, writeKeyfileData } from '../src/wallet/keyfileIo';
import { createWallet, listWallets, loadWallet } from '../src/wallet/Wallet';
import { passwordEnvVar, resolveWalletRoot, walletFiles } from '../src/wallet/walletPaths';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const MNEMONIC = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

describe('wallets', () => {
  let root: string;
  let keyring: Keyring;

  beforeAll(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  });
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'signal-wallets-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('resolves the root from the flag, then BT_WALLET_PATH, then the default', () => {
    expect(resolveWalletRoot('/x/w', { BT_WALLET_PATH: '/y' })).toBe('/x/w');
    expect(resolveWalletRoot(undefined, { BT_WALLET_PATH: '/y' })).toBe('/y');
    expect(resolveWalletRoot(undefined, {})).toMatch(/\.bittensor\/wallets$/);
    expect(walletFiles({ root: '/r', name: 'w', hotkey: 'h' })).toEqual({
      dir: '/r/w',
      coldkey: '/r/w/coldkey',
      coldkeypub: '/r/w/coldkeypub.txt',
      hotkey: '/r/w/hotkeys/h',
      hotkeypub: '/r/w/hotkeys/hpub.txt',
    });
    expect(passwordEnvVar('/home/me/.bittensor/wallets/default/coldkey')).toBe(
      'BT_PW__HOME_ME__BITTENSOR_WALLETS_DEFAULT_COLDKEY',
    );
  });

  it('creates Bittensor-layout keyfiles (0600) that load back to the keyring derivation', async () => {
    const created = await createWallet({
      root,
      name: 'alice',
      hotkey: 'default',
      hotkeyMnemonic: MNEMONIC,
    });
    const files = walletFiles({ root, name: 'alice', hotkey: 'default' });
    for (const file of [files.coldkey, files.coldkeypub, files.hotkey, files.hotkeypub]) {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    }
    const expected = keyring.addFromUri(MNEMONIC);
    expect(created.wallet.hotkey.address).toBe(expected.address);
    const hotkeyJson = JSON.parse(await readFile(files.hotkey, 'utf8'));
    expect(Object.keys(hotkeyJson).sort()).toEqual(
      ['accountId', 'privateKey', 'publicKey', 'secretPhrase', 'secretSeed', 'ss58Address'].sort(),
    );
    expect(hotkeyJson.secretSeed).toBe(u8aToHex(mnemonicToMiniSecret(MNEMONIC)));
    const pub = JSON.parse(await readFile(files.coldkeypub, 'utf8'));
    expect(pub.secretPhrase).toBeUndefined();
    expect(pub.ss58Address).toBe(created.wallet.coldkeyAddress);
    const hotkeyPub = JSON.parse(await readFile(files.hotkeypub, 'utf8'));
    expect(hotkeyPub).toEqual({
      accountId: hotkeyJson.publicKey,
      publicKey: hotkeyJson.publicKey,
      ss58Address: expected.address,
    });
    const loaded = await loadWallet({ root, name: 'alice', hotkey: 'default' });
    expect(loaded.hotkey.address).toBe(expected.address);
    expect((await loaded.unlockColdkey()).address).toBe(created.wallet.coldkeyAddress);
    expect(await listWallets(root)).toEqual([{ name: 'alice', hotkeys: ['default'] }]);
    await expect(createWallet({ root, name: 'alice', hotkey: 'default' })).rejects.toBeInstanceOf(
      KeyfileExistsError,
    );
  });

  it('loads with precedence phrase → seed → private key, each giving the same pair', async () => {
    await createWallet({ root, name: 'w', hotkey: 'h', hotkeyMnemonic: MNEMONIC });
    const file = walletFiles({ root, name: 'w', hotkey: 'h' }).hotkey;
    const full = JSON.parse(await readFile(file, 'utf8'));
    const expected = keyring.addFromUri(MNEMONIC).address;
    const variants = [
      { secretSeed: full.secretSeed, ss58Address: full.ss58Address },
      { privateKey: full.privateKey, publicKey: full.publicKey },
      // A wrong phrase beside a right seed: the phrase wins, so the address check must fail.
      {
        ...full,
        secretPhrase: 'legal winner thank year wave sausage worth useful legal winner thank yellow',
      },
    ];
    const seedOnly = path.join(root, 'seed');
    await writeFile(seedOnly, JSON.stringify(variants[0]));
    expect((await readKeypair(seedOnly)).address).toBe(expected);
    const privateOnly = path.join(root, 'private');
    await writeFile(privateOnly, JSON.stringify(variants[1]));
    const fromPrivate = await readKeypair(privateOnly);
    expect(fromPrivate.address).toBe(expected);
    const message = new TextEncoder().encode('hello');
    expect(
      keyring
        .addFromUri(MNEMONIC)
        .verify(message, fromPrivate.sign(message), fromPrivate.publicKey),
    ).toBe(true);
    const conflicting = path.join(root, 'conflict');
    await writeFile(conflicting, JSON.stringify(variants[2]));
    await expect(readKeypair(conflicting)).rejects.toThrow(/derives .* but the file says/);
  });

  it('hands the raw keys an axon signs with, from a phrase, a seed or a private key', async () => {
    await createWallet({ root, name: 'w', hotkey: 'h', hotkeyMnemonic: MNEMONIC });
    const file = walletFiles({ root, name: 'w', hotkey: 'h' }).hotkey;
    const full = JSON.parse(await readFile(file, 'utf8'));
    const reference = keyring.addFromUri(MNEMONIC);
    const message = new TextEncoder().encode('1763800000.5Dendrite.5Axon.uuid');
    const layouts = {
      phrase: full,
      seed: { secretSeed: full.secretSeed },
      private: { privateKey: full.privateKey, publicKey: full.publicKey },
    };
    for (const [name, data] of Object.entries(layouts)) {
      const keyfile = path.join(root, name);
      await writeFile(keyfile, JSON.stringify(data));
      const pair = await readKeypair(keyfile);
      expect(holdsSr25519Keys(pair)).toBe(true);
      const keys = pair.exportSr25519Keys();
      expect(u8aToHex(keys.publicKey)).toBe(u8aToHex(reference.publicKey));
      // A signer over the exported keys is the same hotkey, and its signatures verify as its own.
      const signer = await sr25519SignerFromKeys(keys);
      expect(signer.address).toBe(reference.address);
      expect(reference.verify(message, await signer.sign(message), reference.publicKey)).toBe(true);
      // Each export is a fresh copy: wiping one leaves the pair signing.
      keys.secretKey.fill(0);
      expect(reference.verify(message, pair.sign(message), reference.publicKey)).toBe(true);
      expect(u8aToHex(pair.exportSr25519Keys().secretKey)).not.toBe(u8aToHex(keys.secretKey));
    }
  });

  it('reports missing and corrupt keyfiles distinctly', async () => {
    await expect(readKeypair(path.join(root, 'nope'))).rejects.toBeInstanceOf(KeyfileNotFoundError);
    const bad = path.join(root, 'bad');
    await writeFile(bad, '{"secretSeed": 12');
    await expect(readKeypair(bad)).rejects.toBeInstanceOf(KeyfileCorruptError);
    await writeFile(bad, JSON.stringify({ secretSeed: 'zz' }));
    await expect(readKeypair(bad)).rejects.toThrow(/secretSeed: expected hex/);
    await writeFile(bad, JSON.stringify({ ss58Address: keyring.addFromUri('//A').address }));
    await expect(readKeypair(bad)).rejects.toThrow(/holds no secret/);
  });

  it('opens a libsodium-written $NACL coldkey and round-trips its own', async () => {
    // One real Argon2i derivation (512 MiB, seconds of work); later reads reuse it.
    const derived = new Map<string, Promise<Uint8Array>>();
    const kdf = (password: string) => {
      let key = derived.get(password);
      if (!key) {
        key = deriveNaclKey(password);
        derived.set(password, key);
      }
      return key;
    };
    const password = 'signal-test-password';
    // Known answer: the key libsodium's crypto_pwhash derived (see test/fixtures/README.md).
    expect(u8aToHex(await kdf(password))).toBe(
      '0x662123c62b3ed41fd71f330a5a6af23e3e2f8f8244d46476f638d7adcecadcb7',
    );
    const expected = keyring.addFromUri(MNEMONIC).address;
    const fromLibsodium = path.join(root, 'coldkey');
    await copyFile(path.join(__dirname, 'fixtures', 'libsodium-nacl-coldkey'), fromLibsodium);
    const env = { [passwordEnvVar(fromLibsodium)]: password };
    expect((await readKeypair(fromLibsodium, { env, kdf })).address).toBe(expected);

    const plain = new TextEncoder().encode(JSON.stringify({ secretPhrase: MNEMONIC }));
    const sealed = await encryptKeyfileData(plain, password, kdf);
    expect(isNaclEncrypted(sealed)).toBe(true);
    expect(sealed.length).toBe(5 + 24 + 16 + plain.length);
    const ours = path.join(root, 'ours');
    await writeFile(ours, sealed, { mode: 0o600 });
    expect((await readKeypair(ours, { env: {}, password: () => password, kdf })).address).toBe(
      expected,
    );
    expect(derived.size).toBe(1);

    // A wrong password derives a different key, so the secretbox MAC fails.
    const wrongKey = new Uint8Array(32).fill(7);
    await expect(
      readKeypair(ours, { env: {}, password: () => 'wrong', kdf: async () => wrongKey }),
    ).rejects.toBeInstanceOf(KeyfilePasswordError);
    expect(openWithKey(sealed, wrongKey)).toEqual({ ok: false, reason: 'bad-password' });
    await expect(readKeypair(ours, { env: {}, kdf })).rejects.toBeInstanceOf(
      KeyfilePasswordMissingError,
    );
    await expect(decryptKeyfileData(sealed.subarray(0, 20), 'x', kdf)).resolves.toEqual({
      ok: false,
      reason: 'truncated',
    });
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(openWithKey(tampered, await kdf(password))).toEqual({
      ok: false,
      reason: 'bad-password',
    });
  }, 120_000);

  it('refuses to overwrite a keyfile unless asked', async () => {
    const file = path.join(root, 'k');
    await writeKeyfileData(file, { ss58Address: 'a' });
    await expect(writeKeyfileData(file, { ss58Address: 'b' })).rejects.toBeInstanceOf(
      KeyfileExistsError,
    );
    await writeKeyfileData(file, { ss58Address: 'b' }, { overwrite: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ss58Address: 'b' });
  });
});
