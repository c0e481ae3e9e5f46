/** A grouped tensor's codes with its float16 scale and zero-point bits, each in C order. */
export interface GroupCodes {
  readonly codes: Uint8Array;
  readonly scale: Uint16Array;
  readonly zero: Uint16Array;
}
