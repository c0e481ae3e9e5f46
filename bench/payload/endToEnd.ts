/**
 * End-to-end Condense over loopback for a 7B-shaped cache of `kept` tokens (synthetic
 * tensors: there are no 7B weights here), per format and route, each run with two fresh
 * processes so their memory is their own: a real Axon (`minerProcess.ts`) holding the
 * cache encoded as a miner's condenser leaves it, and a real Dendrite
 * (`receiverProcess.ts`). The synapse route sends base64 JSON, which the receiver parses,
 * validates and decodes layer by layer; the binary route streams a payload frame, whose
 * header the receiver vets before reading on, each tensor checked against its sha256 and
 * each half dequantized into float16 slab by slab as it arrives. Reported: wall time and
 * each side's peak RSS above its idle RSS (the sender's idle already holds the encoded
 * cache), against the payload's raw size.
 */
import { join } from 'node:path';
import type { KvFormat } from '../../packages/core/src/index';
import { Child } from './childProcess';
import { MISTRAL_7B } from './synthetic';

const MIB = 1024 * 1024;
const mib = (bytes: number) => Number((bytes / MIB).toFixed(1));

export async function endToEnd(kept: number, formats: readonly KvFormat[]) {
  const runs: Record<string, unknown> = {};
  for (const format of formats) {
    for (const route of ['base64_json', 'binary'] as const) {
      const { child: miner, hello } = await Child.start(join(__dirname, 'minerProcess.ts'));
      const { child: receiver } = await Child.start(join(__dirname, 'receiverProcess.ts'));
      try {
        const prepared = await miner.ask({ type: 'prepare', kept, format });
        const ran = await receiver.ask({
          type: 'run',
          port: hello.port,
          hotkey: hello.hotkey,
          route,
        });
        const sender = await miner.ask({ type: 'report' });
        const raw = prepared.rawBytes as number;
        const senderExtra = (sender.peakRss as number) - (sender.baselineRss as number);
        const receiverExtra = (ran.peakRss as number) - (ran.idleRss as number);
        runs[`${format}_${route}`] = {
          ok: ran.ok,
          ...(ran.ok ? {} : { status: ran.status, error: String(ran.message).slice(0, 200) }),
          seconds: Number((ran.seconds as number).toFixed(2)),
          raw_mib: mib(raw),
          sender_extra_rss_mib: mib(senderExtra),
          receiver_extra_rss_mib: mib(receiverExtra),
          sender_extra_over_raw: Number((senderExtra / raw).toFixed(3)),
          receiver_extra_over_raw: Number((receiverExtra / raw).toFixed(3)),
        };
      } finally {
        await Promise.all([miner.stop(), receiver.stop()]);
      }
    }
  }
  return {
    kept,
    geometry: MISTRAL_7B,
    tier: 'long_context',
    receiver:
      'decoded into float16 and handed to a checksum consumer: layer by layer (synapse route), slab by slab of at most 1 Mi elements (binary route)',
    runs,
    targets: { extra_rss_over_raw: 1.5, int4_binary_extra_rss_mib: 64 },
  };
}
