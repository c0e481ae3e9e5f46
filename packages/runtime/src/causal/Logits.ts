/** Logits `[batch, positions, vocab]` from one forward pass; `positions` are the last ones of the input. */
export class Logits {
  constructor(
    readonly data: Float32Array,
    readonly batch: number,
    readonly positions: number,
    readonly vocab: number,
  ) {}

  /** Row `b`'s logits at kept position `t` (negative counts from the end, -1 = last). */
  at(b: number, t = -1): Float32Array {
    const pos = t < 0 ? this.positions + t : t;
    const start = (b * this.positions + pos) * this.vocab;
    return this.data.subarray(start, start + this.vocab);
  }
}
