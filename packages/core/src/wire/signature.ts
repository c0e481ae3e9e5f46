import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import {
  isReady,
  sr25519KeypairFromSeed,
  sr25519Sign,
  sr25519Verify,
  waitReady,
} from '@polkadot/wasm-crypto';
import { WireError } from './WireError';

/**
 * Something that can sign as a hotkey. A `@polkadot/keyring` sr25519 `KeyringPair` fits
 * as is; core only needs this much, so it does not depend on the keyring.
 */
export interface Signer {
  /** The SS58 address of the hotkey. */
  readonly address: string;
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** The fields the dendrite signs, in Python's order. */
export interface SignedRequestFields {
  readonly nonce: bigint;
  readonly dendriteHotkey: string;
  readonly axonHotkey: string;
  readonly uuid: string;
  readonly bodyHash: string;
}

/** `"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}"`, as Python's dendrite signs. */
export function requestSignatureMessage(fields: SignedRequestFields): string {
  return `${fields.nonce}.${fields.dendriteHotkey}.${fields.axonHotkey}.${fields.uuid}.${fields.bodyHash}`;
}

/**
 * Loads the sr25519 WebAssembly. We verify with `@polkadot/wasm-crypto` because
 * `@polkadot/util-crypto` 14 verifies in pure JS, about ten times slower, which would cap
 * an axon at a few hundred requests per second per core.
 */
export async function sr25519Ready(): Promise<void> {
  if (!(await waitReady())) {
    throw new WireError('WIRE_SIGNATURE', 'The sr25519 WebAssembly module failed to load.');
  }
}

function requireReady(): void {
  if (!isReady()) {
    throw new WireError('WIRE_SIGNATURE', 'sr25519 is not ready.', {
      details: 'await sr25519Ready() before signing or verifying',
    });
  }
}

/** A hotkey's raw sr25519 keys, in the form `@polkadot/wasm-crypto` signs with. */
export interface Sr25519Keys {
  /** 32 bytes. */
  readonly publicKey: Uint8Array;
  /** 64 bytes: the secret scalar in @polkadot's form (Substrate's, times the cofactor 8), then the nonce. */
  readonly secretKey: Uint8Array;
}

/**
 * A signer that can hand its raw keys to worker threads, so that an axon signs its responses
 * there instead of on the event loop. A `KeyringPair` cannot (its secret stays inside it);
 * `createSr25519Signer`, `sr25519SignerFromKeys` and `@signal/chain`'s wallet hotkeys can.
 */
export interface KeyHoldingSigner extends Signer {
  /** Fresh copies of the raw keys, for worker threads only: never log or send them. */
  exportSr25519Keys(): Sr25519Keys;
}

export function holdsSr25519Keys(signer: Signer): signer is KeyHoldingSigner {
  return typeof (signer as Partial<KeyHoldingSigner>).exportSr25519Keys === 'function';
}

const KEY_CHECK = new TextEncoder().encode('signal sr25519 key check');

/**
 * A signer over raw sr25519 keys (a wallet keyfile's, say). Refuses keys of the wrong length
 * and a secret that does not sign for the public key, so a bad key fails here, once, and not
 * in every response.
 */
export async function sr25519SignerFromKeys(
  keys: Sr25519Keys,
  ss58Format = 42,
): Promise<KeyHoldingSigner> {
  if (keys.publicKey.length !== 32 || keys.secretKey.length !== 64) {
    throw new WireError(
      'WIRE_SIGNATURE',
      'sr25519 keys are a 32-byte public and a 64-byte secret key.',
      {
        details: `got ${keys.publicKey.length} and ${keys.secretKey.length} bytes`,
      },
    );
  }
  await sr25519Ready();
  const publicKey = Uint8Array.from(keys.publicKey);
  const secretKey = Uint8Array.from(keys.secretKey);
  if (!sr25519Verify(sr25519Sign(publicKey, secretKey, KEY_CHECK), KEY_CHECK, publicKey)) {
    throw new WireError(
      'WIRE_SIGNATURE',
      'The sr25519 secret key does not sign for its public key.',
    );
  }
  return {
    address: encodeAddress(publicKey, ss58Format),
    sign: (message) => sr25519Sign(publicKey, secretKey, message),
    exportSr25519Keys: () => ({
      publicKey: Uint8Array.from(publicKey),
      secretKey: Uint8Array.from(secretKey),
    }),
  };
}

/** An in-memory sr25519 signer from a 32-byte mini-secret seed (for tests, tools, devnets). */
export async function createSr25519Signer(
  seed: Uint8Array,
  ss58Format = 42,
): Promise<KeyHoldingSigner> {
  if (seed.length !== 32) {
    throw new WireError('WIRE_SIGNATURE', 'An sr25519 seed must be 32 bytes.', {
      details: `got ${seed.length}`,
    });
  }
  await sr25519Ready();
  const pair = sr25519KeypairFromSeed(seed);
  return sr25519SignerFromKeys(
    { secretKey: pair.slice(0, 64), publicKey: pair.slice(64) },
    ss58Format,
  );
}

/** Signs the UTF-8 text and returns `0x` + hex, as Python sends it. */
export async function signText(signer: Signer, text: string): Promise<string> {
  const signature = await signer.sign(new TextEncoder().encode(text));
  return `0x${Buffer.from(signature).toString('hex')}`;
}

const SIGNATURE_HEX = /^(0x)?[0-9a-fA-F]{128}$/;
const publicKeys = new Map<string, Uint8Array>();
const MAX_CACHED_KEYS = 4096;

function publicKeyOf(address: string): Uint8Array {
  const cached = publicKeys.get(address);
  if (cached) return cached;
  let key: Uint8Array;
  try {
    key = decodeAddress(address);
  } catch (cause) {
    throw new WireError('WIRE_SIGNATURE', 'The hotkey is not a valid SS58 address.', {
      details: `got ${JSON.stringify(address.slice(0, 64))}`,
      cause,
    });
  }
  if (key.length !== 32) {
    throw new WireError('WIRE_SIGNATURE', 'The hotkey is not a 32-byte sr25519 public key.');
  }
  if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.clear();
  publicKeys.set(address, key);
  return key;
}

/**
 * Checks an sr25519 signature of the UTF-8 `text` by the hotkey `address`. Like Python's
 * `Keypair.verify`, a signature over the `<Bytes>…</Bytes>`-wrapped text (what browser
 * wallets produce) is accepted too. A malformed signature or address is an error, not false.
 */
export function verifyText(text: string, signature: string, address: string): boolean {
  requireReady();
  if (!SIGNATURE_HEX.test(signature)) {
    throw new WireError('WIRE_SIGNATURE', 'The signature is not 64 bytes of hex.', {
      details: `got ${JSON.stringify(signature.slice(0, 140))}`,
    });
  }
  const publicKey = publicKeyOf(address);
  const sig = Buffer.from(signature.replace(/^0x/, ''), 'hex');
  const encoder = new TextEncoder();
  if (sr25519Verify(sig, encoder.encode(text), publicKey)) return true;
  return sr25519Verify(sig, encoder.encode(`<Bytes>${text}</Bytes>`), publicKey);
}
