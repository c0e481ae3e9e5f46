import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { CorpusError } from './CorpusError';

/**
 * A deterministic random source addressed by a seed *path*.
 *
 * The 128-bit generator state is the first 16 bytes of sha256 over the path, so any string
 * (a block hash, an epoch number, a secret) is a valid seed and two paths never share a
 * stream by accident. `fork(label)` derives a child from the path alone, not from how many
 * draws the parent has made: task 7 of an epoch is the same whether 8 or 80 tasks are made.
 */
export class SeededRandom {
  readonly path: readonly string[];
  readonly #generator: RandomGenerator;

  private constructor(path: readonly string[]) {
    this.path = path;
    const digest = createHash('sha256').update(path.join('\u0000')).digest();
    const state: number[] = [0, 4, 8, 12].map((offset) => digest.readInt32LE(offset));
    // xoroshiro's all-zero state is a fixed point; sha256 will not produce it in practice,
    // but a constant keeps the generator well-defined if it ever did.
    if (!state.some((word) => word !== 0)) state[0] = 0x2545f491;
    this.#generator = xoroshiro128plusFromState(state);
  }

  static from(seed: string, ...labels: string[]): SeededRandom {
    return new SeededRandom([seed, ...labels]);
  }

  fork(...labels: string[]): SeededRandom {
    return new SeededRandom([...this.path, ...labels]);
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformFloat64(this.#generator);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new CorpusError('CORPUS_BAD_RANGE', 'Random integer range is invalid.', {
        details: `min=${min}, max=${max}`,
      });
    }
    return uniformInt(this.#generator, min, max);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new CorpusError('CORPUS_EMPTY_CHOICE', 'Cannot pick from an empty list.');
    }
    return items[this.int(0, items.length - 1)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `count` distinct elements, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count > items.length) {
      throw new CorpusError('CORPUS_EMPTY_CHOICE', 'Cannot sample more items than there are.', {
        details: `asked for ${count} of ${items.length}`,
      });
    }
    return this.shuffle(items).slice(0, count);
  }
}
