import type { SamplingOptions } from './SamplingOptions';
import type { SeededRandom } from './SeededRandom';

/** Index of the largest logit (the first one on ties, as torch.argmax). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** Picks the next token from one row of logits according to `options`. */
export function sampleToken(
  logits: Float32Array,
  options: SamplingOptions,
  random: SeededRandom,
): number {
  if (options.temperature === 0) return argmax(logits);
  const vocab = logits.length;
  const invT = 1 / options.temperature;
  let candidates: Uint32Array;
  if (options.topK > 0 && options.topK < vocab) {
    candidates = topKIndices(logits, options.topK);
  } else {
    candidates = new Uint32Array(vocab);
    for (let i = 0; i < vocab; i++) candidates[i] = i;
  }
  candidates.sort((a, b) => logits[b]! - logits[a]! || a - b);
  const max = logits[candidates[0]!]! * invT;
  const probs = new Float64Array(candidates.length);
  let total = 0;
  for (let i = 0; i < candidates.length; i++) {
    const p = Math.exp(logits[candidates[i]!]! * invT - max);
    probs[i] = p;
    total += p;
  }
  let keep = candidates.length;
  if (options.topP < 1) {
    let mass = 0;
    for (let i = 0; i < candidates.length; i++) {
      mass += probs[i]! / total;
      if (mass >= options.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  let keptTotal = 0;
  for (let i = 0; i < keep; i++) keptTotal += probs[i]!;
  let r = random.next() * keptTotal;
  for (let i = 0; i < keep; i++) {
    r -= probs[i]!;
    if (r < 0) return candidates[i]!;
  }
  return candidates[keep - 1]!;
}

/** The k largest logits' indices, unordered, in O(vocab · log k) with a small min-heap. */
function topKIndices(logits: Float32Array, k: number): Uint32Array {
  const heap = new Uint32Array(k);
  let size = 0;
  const less = (a: number, b: number): boolean =>
    logits[a]! < logits[b]! || (logits[a] === logits[b] && a > b);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(heap[l]!, heap[m]!)) m = l;
      if (r < size && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < logits.length; i++) {
    if (size < k) {
      heap[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(heap[c]!, heap[p]!)) break;
        [heap[c], heap[p]] = [heap[p]!, heap[c]!];
        c = p;
      }
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap;
}
