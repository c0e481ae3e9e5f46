/**
 * Decoding finney's netuid 1 `SubnetInfoRuntimeApi_get_subnet_state` result (1024 uids,
 * block 6852690) with the spec-343 metadata v15 registry.
 *
 * - baseline: the whole `Option<SubnetState>` through `registry.createType`, which is what
 *   `api.call.subnetInfoRuntimeApi.getSubnetState` does;
 * - ours: `decodeStructFields`, which decodes the same metadata field types in order and
 *   stops before the trailing per-uid emission history the metagraph never reads.
 *
 * Also times one whole `Subtensor.metagraph()` read over the loopback replay node.
 * Prints JSON.
 *
 *   npx tsx bench/chain/metagraphDecode.ts [iterations=5]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Subtensor } from '../../packages/chain/src/index';
import { decodeStructFields } from '../../packages/chain/src/subtensor/decodeStructFields';
import { loadRecording, startReplayServer } from '../../packages/chain/src/testing/index';

const iterations = Number(process.argv[2] ?? 5);
const FINNEY = path.resolve(__dirname, '../../../shared/fixtures/finney');
const COLUMNS = [
  'hotkeys',
  'coldkeys',
  'active',
  'validator_permit',
  'last_update',
  'emission',
  'dividends',
  'incentives',
  'consensus',
  'trust',
  'alpha_stake',
  'tao_stake',
  'total_stake',
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function timeMs(run: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const fixture = loadRecording(
    path.join(FINNEY, 'netuid1-block6852690.json'),
    path.join(FINNEY, 'metadata-v15-spec343.hex'),
  );
  const server = await startReplayServer(fixture);
  const subtensor = await Subtensor.connect({ network: server.url });
  // The client's own registry: metadata v15 of spec 343 with subtensor's signed extensions.
  const { registry } = subtensor.api;
  const call = fixture.recording.calls.find(
    (c) => c.params[0] === 'SubnetInfoRuntimeApi_get_subnet_state',
  );
  if (!call) throw new Error('the recording lacks get_subnet_state');
  const bytes = new Uint8Array(Buffer.from((call.result as string).slice(2), 'hex'));
  const outputType = registry.createLookupType(
    registry.metadata.apis
      .find((api) => api.name.toString() === 'SubnetInfoRuntimeApi')!
      .methods.find((m) => m.name.toString() === 'get_subnet_state')!
      .output.toNumber(),
  );

  // Warm both paths once so class construction is not billed to the first timed run.
  registry.createType(outputType, bytes);
  decodeStructFields(registry, 'SubnetInfoRuntimeApi', 'get_subnet_state', bytes, COLUMNS);

  const baseline: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    baseline.push(await timeMs(() => registry.createType(outputType, bytes)));
    ours.push(
      await timeMs(() =>
        decodeStructFields(registry, 'SubnetInfoRuntimeApi', 'get_subnet_state', bytes, COLUMNS),
      ),
    );
  }

  const reads: number[] = [];
  try {
    for (let i = 0; i < iterations; i += 1) {
      reads.push(
        await timeMs(() => subtensor.metagraph(1, { blockHash: fixture.recording.block_hash })),
      );
    }
  } finally {
    await subtensor.close();
    await server.close();
  }

  const baselineMs = median(baseline);
  const oursMs = median(ours);
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'chain/metagraphDecode',
        payload_bytes: bytes.length,
        uids: 1024,
        iterations,
        subnet_state_decode_ms: {
          baseline_full_createType: Number(baselineMs.toFixed(1)),
          decodeStructFields: Number(oursMs.toFixed(1)),
          speedup: Number((baselineMs / oursMs).toFixed(2)),
        },
        metagraph_read_over_replay_ms: Number(median(reads).toFixed(1)),
      },
      null,
      2,
    )}\n`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
