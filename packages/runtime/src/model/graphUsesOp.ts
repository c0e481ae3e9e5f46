import { open } from 'node:fs/promises';

/**
 * Whether an ONNX file mentions an operator type, found by streaming the file for the
 * op_type string. NodeProto stores `op_type` verbatim, so the bytes appear iff some node
 * (or a name derived from one) uses it; streaming keeps multi-gigabyte files out of memory.
 */
export async function graphUsesOp(modelPath: string, opType: string): Promise<boolean> {
  const needle = Buffer.from(opType, 'utf8');
  const handle = await open(modelPath, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(needle)) return true;
      carry = window.subarray(Math.max(0, window.length - needle.length + 1));
    }
  } finally {
    await handle.close();
  }
}
