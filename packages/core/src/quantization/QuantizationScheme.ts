/**
 * Integer schemes for grouped asymmetric quantization. Codes are unsigned: `int8` codes are
 * 0..255, one per byte; `int4` codes are 0..15, two per byte. "int" names the width, as
 * KIVI and kvpress do, not the signedness.
 */
export const QUANTIZATION_SCHEMES = ['int8', 'int4'] as const;

export type QuantizationScheme = (typeof QUANTIZATION_SCHEMES)[number];

/** The largest code of a scheme: a group's range is split into this many steps. */
export const SCHEME_LEVELS: Readonly<Record<QuantizationScheme, number>> = {
  int8: 255,
  int4: 15,
};

/**
 * Bytes the codes of `count` elements take: one per element for `int8`, one per two for
 * `int4`. An odd `int4` count has no defined packing and is refused by callers before this.
 */
export function codeByteLength(scheme: QuantizationScheme, count: number): number {
  return scheme === 'int8' ? count : Math.ceil(count / 2);
}
