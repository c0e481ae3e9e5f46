import { createHash } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** 2^-32: maps one unsigned 32-bit draw onto [0, 1). */
const UINT32_SCALE = 1 / 4294967296;

/**
 * A seeded uniform source on pure-rand's xoroshiro128+, so a sampled generation (or a seeded
 * weight or adapter) can be replayed exactly on any machine (Math.random cannot be seeded).
 *
 * The 128-bit state is the first 16 bytes of sha256 over the seed and the labels. pure-rand's
 * own `xoroshiro128plus(seed)` puts the seed into the state almost verbatim, so its first
 * draw is `~seed`: small seeds would all start near 1. Hashing spreads every seed over the
 * whole state, and labels give independent named streams from one seed.
 */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(seed: number, ...labels: readonly string[]) {
    const digest = createHash('sha256')
      .update([String(seed), ...labels].join('\u0000'))
      .digest();
    const state: number[] = [0, 4, 8, 12].map((offset) => digest.readInt32LE(offset));
    // The all-zero state is xoroshiro's fixed point; sha256 will not produce it in practice,
    // but a constant keeps the generator well-defined if it ever did.
    if (!state.some((word) => word !== 0)) state[0] = 0x2545f491;
    this.generator = xoroshiro128plusFromState(state);
  }

  /**
   * A float in [0, 1) with 32 bits of randomness: one draw, not pure-rand's two-draw
   * `uniformFloat64`, because this sits on the decode and weight-filling hot paths and 32 bits
   * resolve any probability a sampler or a float32 weight can tell apart.
   */
  next(): number {
    return (this.generator.next() >>> 0) * UINT32_SCALE;
  }
}
