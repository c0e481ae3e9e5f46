/** What a timelock encryptor and the reveal-round formula need to know about a drand beacon. */
export interface BeaconInfo {
  /** The beacon's BLS12-381 G2 public key, compressed (96 bytes), as hex without 0x. */
  publicKeyHex: string;
  /** Unix seconds of round 1. */
  genesisTime: number;
  /** Seconds between rounds. */
  periodSeconds: number;
}

/**
 * drand's quicknet (unchained, G1 signatures, 3 s rounds): the beacon subtensor ingests and
 * whose rounds commit-reveal weights are locked to. Chain hash
 * 52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971.
 */
export const QUICKNET: Readonly<BeaconInfo> = Object.freeze({
  publicKeyHex:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  genesisTime: 1_692_803_367,
  periodSeconds: 3,
});

/** The hash-to-G1 domain separation tag of quicknet's signatures (RFC 9380, SSWU, random oracle). */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
