/**
 * Synthetic KV tensors in the Mistral-7B shape for the payload benchmarks (there are no 7B
 * weights on these machines): keys with a few outlier channels, as real keys have (the
 * reason KIVI quantizes them per channel), values roughly normal. Seeded, so every run and
 * every process makes the same bytes.
 */
export const MISTRAL_7B = { layers: 32, kvHeads: 8, headDim: 128 } as const;

export function syntheticHalf(
  kept: number,
  layer: number,
  half: 'key' | 'value',
  geometry: { kvHeads: number; headDim: number } = MISTRAL_7B,
): Float32Array {
  const { kvHeads, headDim } = geometry;
  const out = new Float32Array(kvHeads * kept * headDim);
  let state = (layer * 2 + (half === 'key' ? 1 : 2)) * 2654435761;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const scale = Float32Array.from({ length: headDim }, (_, d) =>
    half === 'key' && d % 29 === 3 ? 8 : 1,
  );
  for (let i = 0; i < out.length; i++) {
    // A sum of three uniforms: bell-shaped, cheap.
    out[i] = (next() + next() + next() - 1.5) * 1.4 * scale[i % headDim]!;
  }
  return out;
}
