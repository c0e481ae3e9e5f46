import { SeededRandom } from '../causal/SeededRandom';

// Bound once: inside vm sandboxes (jest) every global lookup goes through the context's
// interceptors, which makes `Math.x` in a hot loop an order of magnitude slower.
const { cos, log, PI, sin, sqrt } = Math;

/**
 * The builder's random source: one seeded stream per named tensor, with Gaussian samples
 * via Box-Muller. Deterministic across platforms: the uniform draws are 32-bit integer math
 * (pure-rand's xoroshiro128+) and the transform is IEEE doubles.
 */
export class Prng {
  private constructor(private readonly random: SeededRandom) {}

  /** A stream for one named tensor, so a weight's values do not depend on build options. */
  static forTensor(seed: number, name: string): Prng {
    return new Prng(new SeededRandom(seed, name));
  }

  /** `count` samples from N(mean, std²). */
  normal(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    const { random } = this;
    for (let i = 0; i < count; i += 2) {
      // 1 − u lies in (0, 1], so the log is finite.
      const u = 1 - random.next();
      const v = random.next();
      const radius = sqrt(-2 * log(u)) * std;
      out[i] = mean + radius * cos(2 * PI * v);
      if (i + 1 < count) out[i + 1] = mean + radius * sin(2 * PI * v);
    }
    return out;
  }
}
