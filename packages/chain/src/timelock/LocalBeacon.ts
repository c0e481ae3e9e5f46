import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import type { BeaconInfo } from './quicknet';
import { roundIdentity } from './roundIdentity';
import { assertRound } from './roundSignature';

/**
 * A drand-style beacon of our own for the LocalChain: quicknet's scheme (unchained rounds,
 * G1 signatures of sha256(round) under a G2 key), its own key and its own clock. Commits
 * locked to its rounds open with its signatures exactly as quicknet commits open with
 * quicknet's.
 */
export class LocalBeacon implements BeaconInfo {
  readonly publicKeyHex: string;
  readonly #secretKey: Uint8Array;

  private constructor(
    secretKey: Uint8Array,
    readonly genesisTime: number,
    readonly periodSeconds: number,
  ) {
    this.#secretKey = secretKey;
    this.publicKeyHex = bytesToHex(bls.shortSignatures.getPublicKey(secretKey).toBytes(true));
  }

  /** A beacon with a fresh key. */
  static generate(genesisTime: number, periodSeconds: number): LocalBeacon {
    return new LocalBeacon(bls.utils.randomSecretKey(), genesisTime, periodSeconds);
  }

  /** The beacon whose 32-byte secret key is `secretKeyHex`. */
  static fromSecretKey(
    secretKeyHex: string,
    genesisTime: number,
    periodSeconds: number,
  ): LocalBeacon {
    return new LocalBeacon(hexToBytes(secretKeyHex), genesisTime, periodSeconds);
  }

  get secretKeyHex(): string {
    return bytesToHex(this.#secretKey);
  }

  /** The latest round published at `timeSeconds` (0 before genesis). */
  roundAt(timeSeconds: number): number {
    if (timeSeconds < this.genesisTime) return 0;
    return Math.floor((timeSeconds - this.genesisTime) / this.periodSeconds) + 1;
  }

  /** The round's signature, 48 bytes compressed: the pulse a chain ingests. */
  sign(round: number): Uint8Array {
    assertRound(round);
    return bls.shortSignatures.sign(roundIdentity(round), this.#secretKey).toBytes(true);
  }
}
