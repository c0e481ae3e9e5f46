import type { SafetensorsDType } from './SafetensorsDType';

/** One tensor decoded to float32, row-major, with the dtype it was stored in. */
export interface DecodedTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A whole safetensors file: its tensors by name and the free-form `__metadata__`. */
export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, DecodedTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the writer takes: float32 data and the dtype to store it in. */
export interface TensorToWrite {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}
