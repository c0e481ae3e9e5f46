import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { mapModelTensors } from './mapTensors';
import { OnnxError } from './OnnxError';
import { DataLocation, type ModelProto, type TensorProto } from './proto';
import { tensorBytes } from './tensor';

/** How `writeModel` moves large tensors out of the protobuf into a side file. */
export interface ExternalDataOptions {
  /** File name, relative to the model's folder. Defaults to `<model file name>_data`. */
  location?: string;
  /** Tensors with at least this many bytes go to the side file. Defaults to 1024, as `onnx` does. */
  sizeThreshold?: number;
}

/** ORT maps external data with mmap when offsets fall on page boundaries. */
const ALIGNMENT = 4096;

function entry(tensor: TensorProto, key: string): string | undefined {
  return tensor.external_data?.find((e) => e.key === key)?.value;
}

/** Rejects locations that would read outside the model's folder. */
function checkedLocation(tensorName: string, location: string | undefined): string {
  if (!location) {
    throw new OnnxError('ONNX_EXTERNAL_DATA_INVALID', `Tensor "${tensorName}" has no location`, {
      details: 'data_location is EXTERNAL but external_data has no "location" entry',
    });
  }
  const normalized = normalize(location);
  if (isAbsolute(normalized) || normalized === '..' || normalized.startsWith(`..${sep}`)) {
    throw new OnnxError(
      'ONNX_EXTERNAL_DATA_INVALID',
      `Tensor "${tensorName}" points outside the model folder`,
      {
        details: `location "${location}"`,
      },
    );
  }
  return normalized;
}

function parseCount(tensorName: string, key: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OnnxError('ONNX_EXTERNAL_DATA_INVALID', `Tensor "${tensorName}" has a bad ${key}`, {
      details: `${key} = "${raw}"`,
    });
  }
  return value;
}

/**
 * Returns the model with every EXTERNAL tensor's bytes read from its side file (relative
 * to `baseDir`) into `raw_data`, so the result is self-contained.
 */
export function loadExternalData(model: ModelProto, baseDir: string): ModelProto {
  const files = new Map<string, Uint8Array>();
  const read = (location: string, tensorName: string): Uint8Array => {
    let bytes = files.get(location);
    if (!bytes) {
      try {
        bytes = readFileSync(join(baseDir, location));
      } catch (cause) {
        throw new OnnxError(
          'ONNX_EXTERNAL_DATA_INVALID',
          `Cannot read external data for "${tensorName}"`,
          {
            details: `file ${join(baseDir, location)}`,
            cause,
          },
        );
      }
      files.set(location, bytes);
    }
    return bytes;
  };
  return mapModelTensors(model, (tensor) => {
    if (tensor.data_location !== DataLocation.EXTERNAL) return tensor;
    const name = tensor.name ?? '(unnamed)';
    const location = checkedLocation(name, entry(tensor, 'location'));
    const file = read(location, name);
    const offset = parseCount(name, 'offset', entry(tensor, 'offset')) ?? 0;
    const length = parseCount(name, 'length', entry(tensor, 'length')) ?? file.length - offset;
    if (offset + length > file.length) {
      throw new OnnxError(
        'ONNX_EXTERNAL_DATA_INVALID',
        `External data for "${name}" runs past the end of ${location}`,
        {
          details: `offset ${offset} + length ${length} > file size ${file.length}`,
        },
      );
    }
    const { external_data: _external, data_location: _location, ...rest } = tensor;
    return { ...rest, raw_data: file.subarray(offset, offset + length) };
  });
}

/**
 * Returns the model with tensors of at least `sizeThreshold` bytes replaced by references
 * into `dataPath` (written here, page-aligned), recorded under `location`.
 */
export function storeExternalData(
  model: ModelProto,
  dataPath: string,
  location: string,
  sizeThreshold: number,
): ModelProto {
  const fd = openSync(dataPath, 'w');
  let offset = 0;
  try {
    return mapModelTensors(model, (tensor) => {
      if (tensor.data_location === DataLocation.EXTERNAL) return tensor;
      if (tensor.data_type === undefined || tensor.string_data?.length) return tensor;
      const bytes = tensorBytes(tensor);
      if (bytes.byteLength < sizeThreshold) return tensor;
      const start = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
      writeSync(fd, bytes, 0, bytes.byteLength, start);
      offset = start + bytes.byteLength;
      const {
        raw_data: _raw,
        float_data: _f,
        int32_data: _i,
        int64_data: _l,
        double_data: _d,
        uint64_data: _u,
        ...rest
      } = tensor;
      return {
        ...rest,
        data_location: DataLocation.EXTERNAL,
        external_data: [
          { key: 'location', value: location },
          { key: 'offset', value: String(start) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      };
    });
  } finally {
    closeSync(fd);
  }
}
