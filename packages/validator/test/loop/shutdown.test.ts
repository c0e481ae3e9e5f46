import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScoreState, startValidator } from '@signal/validator';
import { startFakeMiner } from '../helpers/fakeMiner';
import { devKey } from '../helpers/keys';
import { localSubnet, NETUID, silent } from '../helpers/subnet';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME } from '../helpers/tinyModel';

it('stops an epoch between requests on close, saves the state and sets no weights', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signal-validator-shutdown-'));
  const { chain, validator: hotkey } = await localSubnet();
  const tiers = testTiers({ timeoutSeconds: 20 });
  const slow = await startFakeMiner({
    chain,
    netuid: NETUID,
    hotkey: await devKey('//miner-slow'),
    tier: tiers[0]!.name,
    model: MODEL_NAME,
    behaviour: { kind: 'timeout' },
  });
  try {
    const validator = await startValidator({
      chain,
      netuid: NETUID,
      hotkey,
      tiers,
      // Never loaded: a miner that never answers leaves nothing to evaluate.
      models: { [MODEL_NAME]: join(dir, 'unused-model') },
      stateFile: join(dir, 'scores.json'),
      tasksPerMiner: 3,
      gateway: false,
      metrics: false,
      logger: silent,
    });
    const started = performance.now();
    const epoch = validator.runEpoch();
    while (slow.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await validator.close();
    const report = await epoch;
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(report.weightsSet).toBe(false);
    expect(slow.requests()).toBe(1);
    expect((await loadScoreState(join(dir, 'scores.json'))).schemaVersion).toBe(1);
    await expect(validator.runEpoch()).rejects.toMatchObject({ code: 'VALIDATOR_CLOSED' });
  } finally {
    await slow.close();
    await chain.close();
    await rm(dir, { recursive: true, force: true });
  }
});
