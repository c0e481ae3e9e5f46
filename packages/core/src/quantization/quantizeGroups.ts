import { float16Value } from '../tensor/codecFloat16';
import { float16BitsAtLeast, float16BitsAtMost } from '../tensor/float16Directed';
import { type GroupLayout, groupLayout } from './GroupLayout';
import { QuantizationError } from './QuantizationError';
import { codeByteLength, type QuantizationScheme, SCHEME_LEVELS } from './QuantizationScheme';

export interface QuantizeGroupsInput {
  /** Elements in C order. */
  readonly values: Float32Array;
  readonly shape: readonly number[];
  /** The axis groups run along: statistics are taken over `groupSize` steps of it. */
  readonly axis: number;
  readonly groupSize: number;
  readonly scheme: QuantizationScheme;
}

/** Codes plus float16 scale and zero-point bits, each in C order over `layout.groupShape`. */
export interface QuantizedGroups {
  readonly codes: Uint8Array;
  readonly scale: Uint16Array;
  readonly zero: Uint16Array;
  readonly layout: GroupLayout;
}

/**
 * Asymmetric min-max quantization per group: the zero point is the largest float16 at or
 * below the group's minimum, the scale the smallest float16 at or above
 * `(max − zero) / levels`, and each code `round((x − zero) / scale)`, so that
 * `code · scale + zero` is within `scale / 2` of `x` (plus float32 rounding). `int4` codes
 * are packed two per byte: element `2i` (C order) in the low nibble of byte `i`, element
 * `2i + 1` in its high nibble.
 */
export function quantizeGroups(input: QuantizeGroupsInput): QuantizedGroups {
  const { values, shape, axis, groupSize, scheme } = input;
  const layout = groupLayout(shape, axis, groupSize);
  if (values.length !== layout.count) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `Tensor data has ${values.length} elements; shape [${shape.join(', ')}] holds ${layout.count}.`,
    );
  }
  if (scheme === 'int4' && layout.count % 2 !== 0) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `int4 packs two codes per byte, so it needs an even element count; [${shape.join(', ')}] has ${layout.count}.`,
    );
  }
  const groupCount = layout.outer * layout.groups * layout.inner;
  const out = {
    codes: new Uint8Array(codeByteLength(scheme, layout.count)),
    scale: new Uint16Array(groupCount),
    zero: new Uint16Array(groupCount),
    layout,
  };
  if (layout.inner === 1) quantizeRuns(values, out, SCHEME_LEVELS[scheme], scheme === 'int4');
  else quantizeColumns(values, out, SCHEME_LEVELS[scheme], scheme === 'int4');
  return out;
}

/** The float16 zero point and scale of a group spanning [lo, hi]; refuses what half cannot hold. */
function groupParameters(
  lo: number,
  hi: number,
  levels: number,
  out: QuantizedGroups,
  group: number,
): void {
  const zeroBits = float16BitsAtMost(lo);
  const zero = float16Value(zeroBits);
  const scaleBits = float16BitsAtLeast((hi - zero) / levels);
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
function quantizeRuns(values: Float32Array, out: QuantizedGroups, levels: number, packed: boolean) {
  const { outer, length, groupSize, groups } = out.layout;
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
  out: QuantizedGroups,
  levels: number,
  packed: boolean,
) {
  const { outer, length, inner, groupSize, groups } = out.layout;
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
