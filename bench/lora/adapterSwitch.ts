/**
 * What it costs to serve a request with a different cached adapter. Baseline: a request with
 * the adapter the previous request used; measured: a request with a different cached adapter
 * (4 rotate), alternating one by one in the same run. Also times `bind()` alone (pin + feeds) for a switch, and building a
 * batch's per-row feeds. Batch-1 greedy requests of 8 new tokens on the grafted `small` model.
 * Prints JSON; the target is < 1 ms of switch overhead per request.
 *
 *   npx tsx bench/lora/adapterSwitch.ts [requests=24] [repeats=5]
 */
import { performance } from 'node:perf_hooks';
import { loraFeeds } from '../../packages/lora/src/index';
import { loadLora, makeFixture, median, timeMs } from './fixtures';

const requests = Number(process.argv[2] ?? 24);
const repeats = Number(process.argv[3] ?? 5);
const PROMPT = [5, 17, 99, 3, 42, 7, 8, 1, 250, 66, 13, 9];

async function main(): Promise<void> {
  const fixture = await makeFixture(4);
  const lora = await loadLora(fixture);
  try {
    for (const name of fixture.adapterNames) await lora.store.load(name);
    const serve = (adapter: string) =>
      lora.generateText(PROMPT, { adapter, maxNewTokens: 8, ignoreEos: true });
    const session = lora.lm.session;
    // Each iteration serves a control pair (A then A again) and a switch pair (A then B), so
    // load from other processes on the shared cores lands on both alike; per-request medians
    // resist spikes, and the control pair's difference shows the noise floor of the machine.
    const times: Record<'first' | 'again' | 'same' | 'switched', number[]> = {
      first: [],
      again: [],
      same: [],
      switched: [],
    };
    let current = fixture.adapterNames[0]!;
    await serve(current);
    for (let i = 0; i < requests * repeats; i++) {
      times.first.push(await timeMs(() => serve(current)));
      times.again.push(await timeMs(() => serve(current)));
      times.same.push(await timeMs(() => serve(current)));
      current = fixture.adapterNames[(i + 1) % 4]!;
      times.switched.push(await timeMs(() => serve(current)));
    }
    const sameMs = median(times.same);
    const switchedMs = median(times.switched);
    const noiseMs = median(times.again) - median(times.first);

    const iterations = 2000;
    let start = performance.now();
    for (let i = 0; i < iterations; i++)
      (await lora.bind([fixture.adapterNames[i % 4]!])).release();
    const bindSwitchMs = (performance.now() - start) / iterations;

    const adapters = await Promise.all(fixture.adapterNames.map((n) => lora.store.load(n)));
    const rows = Array.from({ length: 8 }, (_, i) => adapters[i % 4]!);
    start = performance.now();
    for (let i = 0; i < 200; i++) loraFeeds(lora.targets, rows);
    const mixedFeedsMs = (performance.now() - start) / 200;

    const overhead = switchedMs - sameMs;
    console.log(
      JSON.stringify(
        {
          benchmark: 'lora.adapterSwitch',
          model: 'builder small (4 layers, hidden 256), r=16 on q,k,v,o',
          request: { promptTokens: PROMPT.length, newTokens: 8, batch: 1 },
          baseline: {
            name: 'request with the adapter the previous request used',
            msPerRequest: sameMs,
          },
          switched: {
            name: 'each request uses a different cached adapter than the last',
            msPerRequest: switchedMs,
            ratioToBaseline: switchedMs / sameMs,
          },
          requestsPerKind: requests * repeats,
          switchOverheadMs: overhead,
          controlPairDifferenceMs: noiseMs,
          bindAndReleaseOnSwitchMs: bindSwitchMs,
          mixedBatch8FeedsBuildMs: mixedFeedsMs,
          sameSessionThroughout: lora.lm.session === session,
          target: { switchOverheadMsBelow: 1, met: overhead < 1 },
        },
        null,
        2,
      ),
    );
  } finally {
    await lora.dispose();
    await fixture.cleanup();
  }
}

void main();
