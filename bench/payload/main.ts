/**
 * `pnpm bench:payload`: compact KV payloads, every baseline measured in the same run.
 *
 * - `bytes_per_token`: a 7B-shaped cache (32 layers, 8 KV heads, head_dim 128) as fp32 .npy
 *   (Neural Condense), base64 fp16 JSON (the synapse route) and binary frames of fp16, int8
 *   and int4 (sizes.ts), with ratios to fp32;
 * - `throughput`: quantize + frame and dequantize in GB/s against `Buffer.copy` (throughput.ts);
 * - `end_to_end`: Condense over loopback for `kept` tokens, base64 JSON vs the binary route,
 *   time and peak RSS of each side in its own process (endToEnd.ts);
 * - `accuracy`: the recall model's leaderboard tasks at each press's best ratio in fp16, int8
 *   and int4, with the continuation KL (accuracy.ts);
 * - `validate_payload`: the cost of vetting a payload before decoding (validatePayload.ts,
 *   the earlier payload benchmark, run as is).
 *
 *   pnpm bench:payload [kept=8192] [repeats=5] [contexts=24]
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { accuracy, continuationKlRandomModel } from './accuracy';
import { endToEnd } from './endToEnd';
import { bytesPerToken } from './sizes';
import { throughput } from './throughput';

const kept = Number(process.argv[2] ?? 8192);
const repeats = Number(process.argv[3] ?? 5);
const contexts = Number(process.argv[4] ?? 24);

async function main(): Promise<void> {
  const load = { start: loadavg().map((l) => Number(l.toFixed(1))) };
  const sizes = bytesPerToken(512);
  const speed = throughput(kept, repeats);
  const e2e = await endToEnd(kept, ['fp16', 'int8', 'int4']);
  const quality = await accuracy(contexts, 7000, 8);
  const klRandom = await continuationKlRandomModel(1024, 64);
  const validation = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'validatePayload.ts')], {
      encoding: 'utf8',
    }),
  );
  console.log(
    JSON.stringify(
      {
        benchmark: 'payload',
        machine: {
          cpus: cpus().length,
          loadavg: { ...load, end: loadavg().map((l) => Number(l.toFixed(1))) },
        },
        geometry: 'Mistral-7B: 32 layers, 8 KV heads, head_dim 128',
        bytes_per_token: sizes.bytes_per_token,
        bytes_per_token_ratio_to_fp32_npy: sizes.ratio_to_fp32_npy,
        bytes_per_token_targets: sizes.targets,
        throughput: speed,
        end_to_end: e2e,
        accuracy: quality,
        continuation_kl_random_model: klRandom,
        validate_payload: validation,
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
