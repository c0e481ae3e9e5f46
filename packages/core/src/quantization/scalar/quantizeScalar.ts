import { float16Value } from '../../tensor/codecFloat16';
import { float16BitsAtLeast, float16BitsAtMost } from '../../tensor/float16Directed';
import type { GroupCodes } from '../GroupCodes';
import type { GroupLayout } from '../GroupLayout';
import { QuantizationError } from '../QuantizationError';

/**
 * quantizeGroups' reference loops, element by element: every layout, and the precise error
 * for a tensor that cannot be quantized. `out` must be zeroed (int4 nibbles are or-ed in).
 */
export function quantizeScalar(
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
): void {
  if (layout.inner === 1) quantizeRuns(values, layout, levels, packed, out);
  else quantizeColumns(values, layout, levels, packed, out);
}

/**
 * The float16 zero point and scale of a group spanning [lo, hi]; refuses what half cannot
 * hold. −0 counts as +0 (`+ 0`), so the result does not depend on which zero a scan met first.
 */
function groupParameters(
  lo: number,
  hi: number,
  levels: number,
  out: GroupCodes,
  group: number,
): void {
  const zeroBits = float16BitsAtMost(lo + 0);
  const zero = float16Value(zeroBits);
  const scaleBits = float16BitsAtLeast((hi + 0 - zero) / levels);
  const scale = float16Value(scaleBits);
  if (!Number.isFinite(zero) || !Number.isFinite(scale)) {
    throw new QuantizationError(
      'QUANT_RANGE',
      `Group ${group} spans [${lo}, ${hi}], beyond what a float16 zero point and scale can hold.`,
    );
  }
  out.zero[group] = zeroBits;
  out.scale[group] = scaleBits;
}

function nonFinite(values: Float32Array, from: number, to: number): never {
  let index = from;
  while (index < to && Number.isFinite(values[index])) index++;
  throw new QuantizationError(
    'QUANT_NON_FINITE',
    `The tensor holds a non-finite value at index ${index}.`,
    {
      details: `got ${values[index]}`,
    },
  );
}

/** Groups along the last axis: each is a contiguous run of elements. */
function quantizeRuns(
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
) {
  const { outer, length, groupSize, groups } = layout;
  const { codes } = out;
  for (let o = 0; o < outer; o++) {
    for (let g = 0; g < groups; g++) {
      const start = o * length + g * groupSize;
      const end = Math.min(start + groupSize, (o + 1) * length);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let poison = 0;
      for (let e = start; e < end; e++) {
        const v = values[e] as number;
        poison += v * 0;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (poison !== 0 || !Number.isFinite(lo + hi)) nonFinite(values, start, end);
      const group = o * groups + g;
      groupParameters(lo, hi, levels, out, group);
      const zero = float16Value(out.zero[group] as number);
      const scale = float16Value(out.scale[group] as number);
      const inv = scale > 0 ? 1 / scale : 0;
      if (packed && (start & 1) === 0 && (end & 1) === 0) {
        // Pairs that start on a byte: write each byte once.
        for (let e = start; e < end; e += 2) {
          let q0 = (((values[e] as number) - zero) * inv + 0.5) | 0;
          let q1 = (((values[e + 1] as number) - zero) * inv + 0.5) | 0;
          if (q0 > levels) q0 = levels;
          if (q1 > levels) q1 = levels;
          codes[e >> 1] = q0 | (q1 << 4);
        }
        continue;
      }
      for (let e = start; e < end; e++) {
        let q = (((values[e] as number) - zero) * inv + 0.5) | 0;
        if (q > levels) q = levels;
        if (packed) codes[e >> 1] = (codes[e >> 1] as number) | (q << ((e & 1) << 2));
        else codes[e] = q;
      }
    }
  }
}

/** Groups along an inner axis: each row of `inner` elements feeds `inner` groups at once. */
function quantizeColumns(
  values: Float32Array,
  layout: GroupLayout,
  levels: number,
  packed: boolean,
  out: GroupCodes,
) {
  const { outer, length, inner, groupSize, groups } = layout;
  const { codes } = out;
  const lo = new Float64Array(inner);
  const hi = new Float64Array(inner);
  const zero = new Float64Array(inner);
  const inv = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    for (let g = 0; g < groups; g++) {
      const first = g * groupSize;
      const last = Math.min(first + groupSize, length);
      lo.fill(Number.POSITIVE_INFINITY);
      hi.fill(Number.NEGATIVE_INFINITY);
      let poison = 0;
      for (let a = first; a < last; a++) {
        const base = (o * length + a) * inner;
        for (let i = 0; i < inner; i++) {
          const v = values[base + i] as number;
          poison += v * 0;
          if (v < (lo[i] as number)) lo[i] = v;
          if (v > (hi[i] as number)) hi[i] = v;
        }
      }
      const rows = (o * length + first) * inner;
      if (poison !== 0) nonFinite(values, rows, (o * length + last) * inner);
      for (let i = 0; i < inner; i++) {
        const group = (o * groups + g) * inner + i;
        if (!Number.isFinite((lo[i] as number) + (hi[i] as number))) {
          nonFinite(values, rows, (o * length + last) * inner);
        }
        groupParameters(lo[i] as number, hi[i] as number, levels, out, group);
        zero[i] = float16Value(out.zero[group] as number);
        const scale = float16Value(out.scale[group] as number);
        inv[i] = scale > 0 ? 1 / scale : 0;
      }
      for (let a = first; a < last; a++) {
        const base = (o * length + a) * inner;
        if (packed && (inner & 1) === 0) {
          // Rows start on a byte: write each byte once.
          for (let i = 0; i < inner; i += 2) {
            let q0 =
              (((values[base + i] as number) - (zero[i] as number)) * (inv[i] as number) + 0.5) | 0;
            let q1 =
              (((values[base + i + 1] as number) - (zero[i + 1] as number)) *
                (inv[i + 1] as number) +
                0.5) |
              0;
            if (q0 > levels) q0 = levels;
            if (q1 > levels) q1 = levels;
            codes[(base + i) >> 1] = q0 | (q1 << 4);
          }
          continue;
        }
        for (let i = 0; i < inner; i++) {
          const e = base + i;
          let q = (((values[e] as number) - (zero[i] as number)) * (inv[i] as number) + 0.5) | 0;
          if (q > levels) q = levels;
          if (packed) codes[e >> 1] = (codes[e >> 1] as number) | (q << ((e & 1) << 2));
          else codes[e] = q;
        }
      }
    }
  }
}
