import { open } from 'node:fs/promises';

/**
 * Whether an ONNX file mentions an operator type, found by streaming the file for the
 * op_type string. NodeProto stores `op_type` verbatim, so the bytes appear iff some node
 * (or a name derived from one) uses it; streaming keeps multi-gigabyte files out of memory.
 */
export async function graphUsesOp(modelPath: string, opType: string): Promise<boolean> {
  const needle = Buffer.from(opType, 'utf8');
  const chunk = 1 << 20;
  // One buffer for the whole scan: each read lands after the previous read's last
  // needle-length - 1 bytes, so a match straddling two reads is still found.
  const buffer = Buffer.alloc(chunk + needle.length);
  const handle = await open(modelPath, 'r');
  try {
    let carry = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carry, chunk, null);
      if (bytesRead === 0) return false;
      const end = carry + bytesRead;
      if (buffer.subarray(0, end).includes(needle)) return true;
      carry = Math.min(needle.length - 1, end);
      buffer.copy(buffer, 0, end - carry, end);
    }
  } finally {
    await handle.close();
  }
}
