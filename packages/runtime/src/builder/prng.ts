// Bound once: inside vm sandboxes (jest) every global lookup goes through the context's
// interceptors, which makes `Math.x` in a hot loop an order of magnitude slower.
const { cos, imul, log, PI, sin, sqrt } = Math;

/**
 * A seeded PRNG (SplitMix32 stream seeded per tensor) with Gaussian samples via
 * Box-Muller. Deterministic across platforms: only 32-bit integer math and IEEE doubles.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream for one named tensor, so a weight's values do not depend on build options. */
  static forTensor(seed: number, name: string): Prng {
    // FNV-1a over the name, mixed with the seed.
    let hash = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < name.length; i++) {
      hash ^= name.charCodeAt(i);
      hash = imul(hash, 0x01000193);
    }
    return new Prng(hash);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = imul(z ^ (z >>> 16), 0x85ebca6b);
    z = imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  }

  /** `count` samples from N(mean, std²). */
  normal(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 2) {
      const u = 1 - this.next();
      const v = this.next();
      const radius = sqrt(-2 * log(u)) * std;
      out[i] = mean + radius * cos(2 * PI * v);
      if (i + 1 < count) out[i + 1] = mean + radius * sin(2 * PI * v);
    }
    return out;
  }
}
