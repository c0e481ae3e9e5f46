import { type FileHandle, open } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { OnnxError } from './OnnxError';
import { modelProtoType } from './onnxSchema';
import { DataLocation, type ModelProto, type TensorProto } from './proto';

/** A model's structure without its weights: what a graph is made of and where its data lives. */
export interface ModelSkeleton {
  /** `opset_import` and a graph with its nodes, inputs and outputs; no initializers. */
  model: ModelProto;
  /** External-data files the graph's initializers point into. */
  externalData: string[];
}

/** Initializers up to this size are decoded (to read their external-data entries); larger ones hold raw weights and are skipped. */
const SMALL_TENSOR = 64 * 1024;
const WINDOW = 1 << 20;

/** Reads byte ranges of a file through one sliding 1 MiB window. */
class FileWindow {
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async bytes(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.size);
    if (offset >= this.start && end <= this.start + this.buffer.length) {
      return this.buffer.subarray(offset - this.start, end - this.start);
    }
    const want = Math.max(end - offset, WINDOW);
    const buffer = Buffer.alloc(Math.min(want, this.size - offset));
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, offset);
    this.buffer = buffer.subarray(0, bytesRead);
    this.start = offset;
    return this.buffer.subarray(0, end - offset);
  }
}

interface Field {
  field: number;
  wire: number;
  /** Where the value starts, and its length for length-delimited fields. */
  offset: number;
  length: number;
  next: number;
}

async function readField(file: FileWindow, offset: number): Promise<Field> {
  const head = await file.bytes(offset, 20);
  const reader = protobuf.Reader.create(head);
  const tag = reader.uint32();
  const field = tag >>> 3;
  const wire = tag & 7;
  let length = 0;
  let valueStart = offset + reader.pos;
  if (wire === 0) {
    reader.uint64();
    length = reader.pos - (valueStart - offset);
  } else if (wire === 1) length = 8;
  else if (wire === 5) length = 4;
  else if (wire === 2) {
    length = reader.uint32();
    valueStart = offset + reader.pos;
  } else {
    throw new OnnxError('ONNX_DECODE_FAILED', `unsupported protobuf wire type ${wire}`, {
      details: `field ${field} at byte ${offset}`,
    });
  }
  return { field, wire, offset: valueStart, length, next: valueStart + length };
}

/**
 * Reads an `.onnx` file's opsets, nodes, inputs and outputs, and the external-data files its
 * initializers name, without reading the weights: the protobuf is walked field by field and
 * large initializers are skipped, so a multi-gigabyte graph with inline weights costs a few
 * reads.
 */
export async function readModelSkeleton(path: string): Promise<ModelSkeleton> {
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new OnnxError('ONNX_FILE_UNREADABLE', `Cannot read ONNX model ${path}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  });
  try {
    const file = new FileWindow(handle, (await handle.stat()).size);
    const root = modelProtoType().root;
    const decode = <T>(type: string, bytes: Uint8Array): T =>
      root.lookupType(`onnx.${type}`).toObject(root.lookupType(`onnx.${type}`).decode(bytes), {
        longs: Number,
        enums: Number,
      }) as T;
    const model: ModelProto = { opset_import: [], graph: { node: [], input: [], output: [] } };
    const externalData = new Set<string>();
    for (let offset = 0; offset < file.size; ) {
      const top = await readField(file, offset);
      if (top.field === 8 && top.wire === 2) {
        model.opset_import!.push(
          decode('OperatorSetIdProto', await file.bytes(top.offset, top.length)),
        );
      } else if (top.field === 1 && top.wire === 0) {
        model.ir_version = protobuf.Reader.create(await file.bytes(top.offset, top.length)).int32();
      } else if (top.field === 7 && top.wire === 2) {
        for (let at = top.offset; at < top.next; ) {
          const inner = await readField(file, at);
          const bytes = () => file.bytes(inner.offset, inner.length);
          if (inner.field === 1) model.graph!.node!.push(decode('NodeProto', await bytes()));
          else if (inner.field === 11)
            model.graph!.input!.push(decode('ValueInfoProto', await bytes()));
          else if (inner.field === 12)
            model.graph!.output!.push(decode('ValueInfoProto', await bytes()));
          else if (inner.field === 5 && inner.length <= SMALL_TENSOR) {
            const tensor = decode<TensorProto>('TensorProto', await bytes());
            const location = tensor.external_data?.find((e) => e.key === 'location')?.value;
            if (tensor.data_location === DataLocation.EXTERNAL && location)
              externalData.add(location);
          }
          at = inner.next;
        }
      }
      offset = top.next;
    }
    return { model, externalData: [...externalData] };
  } catch (cause) {
    if (cause instanceof OnnxError) throw cause;
    throw new OnnxError('ONNX_DECODE_FAILED', `${path} is not a valid ONNX ModelProto`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  } finally {
    await handle.close();
  }
}
