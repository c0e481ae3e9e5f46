import { kernelsFit } from '../simd/kernels';
import type { GroupCodes } from './GroupCodes';
import { type GroupLayout, groupLayout } from './GroupLayout';
import { QuantizationError } from './QuantizationError';
import { codeByteLength, type QuantizationScheme, SCHEME_LEVELS } from './QuantizationScheme';
import { quantizeScalar } from './scalar/quantizeScalar';
import { quantizeWithKernels } from './simd/quantizeWithKernels';

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
export interface QuantizedGroups extends GroupCodes {
  readonly layout: GroupLayout;
}

/**
 * Asymmetric min-max quantization per group: the zero point is the largest float16 at or
 * below the group's minimum, the scale the smallest float16 at or above
 * `(max − zero) / levels`, and each code `round((x − zero) / scale)`, so that
 * `code · scale + zero` is within `scale / 2` of `x` (plus float32 rounding). `int4` codes
 * are packed two per byte: element `2i` (C order) in the low nibble of byte `i`, element
 * `2i + 1` in its high nibble.
 *
 * With `into`, the codes and bits are written there (arrays of exactly the sizes the layout
 * needs) instead of new arrays: an encoder that reuses its buffers skips the cost of
 * fresh memory, which on a VM is more than that of the quantization itself.
 */
export function quantizeGroups(input: QuantizeGroupsInput, into?: GroupCodes): QuantizedGroups {
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
  const levels = SCHEME_LEVELS[scheme];
  const packed = scheme === 'int4';
  const out =
    into === undefined ? emptyGroups(layout, scheme) : checkedTarget(into, layout, scheme);
  if (kernelsFit(layout) && quantizeWithKernels(values, layout, levels, packed, out)) return out;
  // The reference loops: shapes the kernels do not take, and the precise error for a
  // tensor they refused (over codes zeroed again: int4 nibbles are or-ed in).
  out.codes.fill(0);
  quantizeScalar(values, layout, levels, packed, out);
  return out;
}

/** Zeroed codes and bits for a layout. */
export function emptyGroups(layout: GroupLayout, scheme: QuantizationScheme): QuantizedGroups {
  const groupCount = layout.outer * layout.groups * layout.inner;
  return {
    codes: new Uint8Array(codeByteLength(scheme, layout.count)),
    scale: new Uint16Array(groupCount),
    zero: new Uint16Array(groupCount),
    layout,
  };
}

function checkedTarget(
  into: GroupCodes,
  layout: GroupLayout,
  scheme: QuantizationScheme,
): QuantizedGroups {
  const codeBytes = codeByteLength(scheme, layout.count);
  const groupCount = layout.outer * layout.groups * layout.inner;
  if (
    into.codes.length !== codeBytes ||
    into.scale.length !== groupCount ||
    into.zero.length !== groupCount
  ) {
    throw new QuantizationError(
      'QUANT_LAYOUT',
      `The output holds ${into.codes.length} code bytes and ${into.scale.length}/${into.zero.length} scales/zero points; ${scheme} [${layout.groupShape.join(', ')}] groups need ${codeBytes} and ${groupCount}.`,
    );
  }
  return { codes: into.codes, scale: into.scale, zero: into.zero, layout };
}
