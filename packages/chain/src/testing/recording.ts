import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One JSON-RPC exchange recorded from a real node. */
export const RecordedCallSchema = z.object({
  method: z.string(),
  params: z.array(z.unknown()),
  result: z.unknown(),
});

/** A recording of a node's JSON-RPC answers around one block (see shared/fixtures/finney). */
export const RpcRecordingSchema = z.object({
  block_number: z.number().int().nonnegative(),
  block_hash: z.string().regex(/^0x[0-9a-f]{64}$/i),
  genesis_hash: z.string().regex(/^0x[0-9a-f]{64}$/i),
  ss58_format: z.number().int().nonnegative(),
  calls: z.array(RecordedCallSchema),
});

export type RecordedCall = z.infer<typeof RecordedCallSchema>;
export type RpcRecording = z.infer<typeof RpcRecordingSchema>;

/** Loads a recording JSON file and its metadata hex (`0x6d657461…`, the bare metadata bytes). */
export function loadRecording(
  recordingPath: string,
  metadataPath: string,
): { recording: RpcRecording; metadataHex: string } {
  const recording = RpcRecordingSchema.parse(JSON.parse(readFileSync(recordingPath, 'utf8')));
  const metadataHex = readFileSync(metadataPath, 'utf8').trim();
  if (!/^0x6d657461[0-9a-f]+$/i.test(metadataHex)) {
    throw new Error(`${metadataPath} is not metadata hex (expected the 0x6d657461 "meta" magic).`);
  }
  return { recording, metadataHex };
}
