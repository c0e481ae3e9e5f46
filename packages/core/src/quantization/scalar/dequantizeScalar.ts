import { float16Value } from '../../tensor/codecFloat16';
import type { GroupCodes } from '../GroupCodes';
import type { GroupLayout } from '../GroupLayout';

/**
 * dequantizeGroups' reference loops for one outer slice `o`, element by element: every
 * layout. Writes the slice into `out` from element `at`.
 */
export function dequantizeScalar(
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  o: number,
  out: Float32Array,
  at: number,
): void {
  if (layout.inner === 1) dequantizeRuns(input, layout, packed, o, out, at);
  else dequantizeColumns(input, layout, packed, o, out, at);
}

function dequantizeRuns(
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  o: number,
  out: Float32Array,
  at: number,
): void {
  const { codes, scale, zero } = input;
  const { length, groupSize, groups } = layout;
  const base = o * length;
  for (let g = 0; g < groups; g++) {
    const s = float16Value(scale[o * groups + g] as number);
    const z = float16Value(zero[o * groups + g] as number);
    const start = g * groupSize;
    const end = Math.min(start + groupSize, length);
    if (packed && ((base + start) & 1) === 0 && ((base + end) & 1) === 0) {
      for (let a = start; a < end; a += 2) {
        const byte = codes[(base + a) >> 1] as number;
        out[at + a] = (byte & 15) * s + z;
        out[at + a + 1] = (byte >> 4) * s + z;
      }
    } else if (packed) {
      for (let a = start; a < end; a++) {
        const e = base + a;
        out[at + a] = (((codes[e >> 1] as number) >> ((e & 1) << 2)) & 15) * s + z;
      }
    } else {
      for (let a = start; a < end; a++) out[at + a] = (codes[base + a] as number) * s + z;
    }
  }
}

function dequantizeColumns(
  input: GroupCodes,
  layout: GroupLayout,
  packed: boolean,
  o: number,
  out: Float32Array,
  at: number,
): void {
  const { codes, scale, zero } = input;
  const { length, inner, groupSize, groups } = layout;
  const s = new Float32Array(inner);
  const z = new Float32Array(inner);
  for (let g = 0; g < groups; g++) {
    const groupBase = (o * groups + g) * inner;
    for (let i = 0; i < inner; i++) {
      s[i] = float16Value(scale[groupBase + i] as number);
      z[i] = float16Value(zero[groupBase + i] as number);
    }
    const first = g * groupSize;
    const last = Math.min(first + groupSize, length);
    for (let a = first; a < last; a++) {
      const e0 = (o * length + a) * inner;
      const w = at + a * inner;
      if (packed && (e0 & 1) === 0 && inner % 2 === 0) {
        // Rows start on a byte: read each byte once for its two elements.
        const b0 = e0 >> 1;
        for (let i = 0; i < inner; i += 2) {
          const byte = codes[b0 + (i >> 1)] as number;
          out[w + i] = (byte & 15) * (s[i] as number) + (z[i] as number);
          out[w + i + 1] = (byte >> 4) * (s[i + 1] as number) + (z[i + 1] as number);
        }
      } else if (packed) {
        for (let i = 0; i < inner; i++) {
          const e = e0 + i;
          out[w + i] =
            (((codes[e >> 1] as number) >> ((e & 1) << 2)) & 15) * (s[i] as number) +
            (z[i] as number);
        }
      } else {
        for (let i = 0; i < inner; i++) {
          out[w + i] = (codes[e0 + i] as number) * (s[i] as number) + (z[i] as number);
        }
      }
    }
  }
}
