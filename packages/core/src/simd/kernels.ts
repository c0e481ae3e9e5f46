import type { GroupLayout } from '../quantization/GroupLayout';
import { KERNELS_WASM_BASE64 } from './kernelsWasm';

/** The part of the WebAssembly global used here (Node's types for it need @types/node 22). */
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: object };
};

interface WasmGlobal {
  readonly value: number;
}

/**
 * The exports of kernels.wat. Kernels read and write a fixed arena in `memory` whose
 * regions are the exported globals (byte offsets); `src`, `codes` and `out` parameters are
 * byte offsets too.
 */
interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  readonly block: WasmGlobal;
  readonly floats: WasmGlobal;
  readonly codes: WasmGlobal;
  readonly scale: WasmGlobal;
  readonly zero: WasmGlobal;
  readonly halves: WasmGlobal;
  narrow(n: number): number;
  widen(n: number): number;
  runsQuantize(rows: number, length: number, group: number, levels: number, packed: number): number;
  colsQuantize(
    groups: number,
    rowsPer: number,
    inner: number,
    levels: number,
    packed: number,
  ): number;
  colsRange(src: number, rows: number, inner: number, fresh: number): number;
  colsParameters(inner: number, levels: number, bitsAt: number): number;
  colsEncode(
    src: number,
    rows: number,
    inner: number,
    levels: number,
    packed: number,
    codes: number,
  ): void;
  runsDequantize(rows: number, length: number, group: number, packed: number): void;
  colsDequantize(groups: number, rowsPer: number, inner: number, packed: number): void;
  colsWiden(inner: number, bitsAt: number): void;
  colsDecode(codes: number, rows: number, inner: number, packed: number, out: number): void;
}

/** The compiled kernels, with views of their arena's regions. */
export interface Kernels extends KernelExports {
  /** Elements a block holds: float32 values in `floats`, their codes in `codes`. */
  readonly blockElements: number;
  readonly floatsView: Float32Array;
  readonly codesView: Uint8Array;
  /** float16 bits, one per group of the block at most. */
  readonly scaleView: Uint16Array;
  readonly zeroView: Uint16Array;
  /** float16 bits for narrow/widen, one per element. */
  readonly halvesView: Uint16Array;
}

/** Elements a kernel block holds (the arena is sized in the wat source). */
export const BLOCK_ELEMENTS = 32768;

/**
 * What the kernels need from a layout: whole rows in a block, 4-element steps (so int4
 * blocks start on a byte). Other layouts take the scalar reference loops.
 */
export function kernelsFit(layout: GroupLayout): boolean {
  const { length, inner, groupSize } = layout;
  if (inner === 1) return length % 4 === 0 && groupSize % 4 === 0 && length <= BLOCK_ELEMENTS;
  return inner % 4 === 0 && inner <= BLOCK_ELEMENTS;
}

let compiled: Kernels | undefined;

/** The kernels, compiled once per thread (about 9 KB of wasm, synchronously). */
export function kernels(): Kernels {
  if (compiled === undefined) {
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    const exports = new WebAssembly.Instance(module).exports as unknown as KernelExports;
    const { buffer } = exports.memory;
    const n = exports.block.value;
    if (n !== BLOCK_ELEMENTS) throw new Error(`kernels.wat has blocks of ${n} elements.`);
    compiled = {
      ...exports,
      blockElements: n,
      floatsView: new Float32Array(buffer, exports.floats.value, n),
      codesView: new Uint8Array(buffer, exports.codes.value, n),
      scaleView: new Uint16Array(buffer, exports.scale.value, n),
      zeroView: new Uint16Array(buffer, exports.zero.value, n),
      halvesView: new Uint16Array(buffer, exports.halves.value, n),
    };
  }
  return compiled;
}
