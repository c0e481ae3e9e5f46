import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LocalChain, type Wallet } from '@signal/chain';
import { getTier } from '@signal/core';
import { FileGatewayStore } from '@signal/gateway';
import { parseMinerConfig, startMiner } from '@signal/miner';
import { ModelHost, recallVocabulary } from '@signal/runtime';
import {
  type EpochReport,
  type RunningValidator,
  startValidator,
  type TaskFamily,
} from '@signal/validator';
import type { Logger } from 'pino';
import { advanceToPayout } from './advanceToPayout';
import type { ClientJobs } from './ClientJobs';
import { clientExample } from './clientExample';
import { clientWorkerModule } from './clientWorkerModule';
import type { DevnetOptions } from './DevnetOptions';
import type { DevnetCommitReport, DevnetReport } from './DevnetReport';
import { DEVNET_MODEL } from './devnetModels';
import { devnetTiers } from './devnetTiers';
import { devnetWallet } from './devnetWallets';
import { ensureModel } from './ensureModel';
import { minerLineup } from './minerLineup';
import type { Progress } from './Progress';
import { summarizeMiners } from './summarizeMiners';
import type { Teardown } from './Teardown';
import { untilAborted } from './untilAborted';

export const DEVNET_NETUID = 1;
/** Blocks per chain epoch (the epoch runs every TEMPO + 1 blocks, as on subtensor); the devnet advances them by hand after each validator epoch. */
const TEMPO = 10;
/**
 * The validator deals recall tasks only: the reference model knows nothing else, so a
 * continuation of English text would score every miner alike.
 */
const DEVNET_FAMILIES: TaskFamily[] = ['recall'];
/** Key-value pairs per recall context; one of them is asked. */
const RECALL_PAIRS = 4;
/** The validator's stake: 1 000 TAO in rao, enough for a permit and every miner's rate limits. */
const VALIDATOR_STAKE = 1_000n * 10n ** 9n;

export interface DevnetContext {
  progress: Progress;
  /** Everything started is registered here; the caller closes it (also on Ctrl-C). */
  teardown: Teardown;
  signal: AbortSignal;
  logger: Logger;
}

export interface DevnetRun {
  report: DevnetReport;
  chain: LocalChain;
  validator: RunningValidator;
  gatewayUrl: string;
  apiKey: string;
  /** The validator's dashboard, when `keepRunning` asked for it. */
  dashboardUrl?: string;
}

/**
 * Runs a whole Signal subnet on loopback: builds the target model if the cache lacks it,
 * makes wallets, opens a LocalChain subnet with the devnet tiers, registers and starts the
 * miners (one per honest condenser, plus a poor one) and a validator with its gateway, runs
 * the epochs and lets the chain pay incentive, then condenses a sample context through the
 * gateway with `@signal/client` and answers a question from it locally.
 */
export async function runDevnet(
  options: DevnetOptions,
  context: DevnetContext,
): Promise<DevnetRun> {
  const { progress, teardown, signal, logger } = context;
  const checkpoint = () => signal.throwIfAborted();
  const dataDir = resolve(options.dataDir);
  // Each run is a fresh chain, so the validator's moving scores and keys start fresh too.
  const runDir = join(dataDir, 'run');
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });

  const modelDir = join(dataDir, 'models', DEVNET_MODEL.folder);
  progress.step(`model ${DEVNET_MODEL.name}: checking ${modelDir}`);
  const ensured = await untilAborted(ensureModel(modelDir, DEVNET_MODEL.build), signal);
  progress.step(`model ${DEVNET_MODEL.name}: ${ensured.built ? 'built' : 'cached'}`);
  checkpoint();

  const lineup = minerLineup(options.miners);
  const walletRoot = join(dataDir, 'wallets');
  progress.step(`wallets: ${lineup.length + 1} hotkeys under ${walletRoot}`);
  const validatorWallet = await devnetWallet(walletRoot, 'validator');
  const minerWallets: Wallet[] = [];
  for (const miner of lineup) minerWallets.push(await devnetWallet(walletRoot, miner.name));
  checkpoint();

  const tiers = devnetTiers();
  const tier = getTier(tiers, 'research');
  const chain = await LocalChain.open({ blockTimeMs: 0 });
  teardown.add('chain', () => chain.close());
  await chain.createSubnet(DEVNET_NETUID, {
    tempo: TEMPO,
    weightsRateLimit: 0,
    commitRevealWeightsEnabled: options.commitReveal,
    commitRevealPeriod: 1,
  });
  await chain.register({
    netuid: DEVNET_NETUID,
    hotkey: validatorWallet.hotkey.address,
    coldkey: validatorWallet.coldkeyAddress,
    stake: VALIDATOR_STAKE,
  });
  for (const wallet of minerWallets) {
    await chain.register({
      netuid: DEVNET_NETUID,
      hotkey: wallet.hotkey.address,
      coldkey: wallet.coldkeyAddress,
    });
  }
  progress.step(
    `chain: subnet ${DEVNET_NETUID} with ${lineup.length + 1} neurons, commit-reveal ${options.commitReveal ? 'on' : 'off'}`,
  );

  const withHotkeys = lineup.map((miner, i) => ({
    ...miner,
    hotkey: minerWallets[i]!.hotkey.address,
  }));
  for (const [i, miner] of lineup.entries()) {
    checkpoint();
    const running = await startMiner({
      config: parseMinerConfig({
        models: { [DEVNET_MODEL.name]: { base_model_dir: modelDir } },
        tiers: { [tier.name]: miner.method },
        metrics_port: 0,
        metagraph_refresh_seconds: 5,
      }),
      chain,
      netuid: DEVNET_NETUID,
      hotkey: minerWallets[i]!.hotkey,
      tiers,
      logger: logger.child({ miner: miner.name }),
      metrics: false,
      shutdownGraceMs: 1_000,
      // Five miners share the machine: one model thread each.
      runtime: { threads: 1 },
    });
    teardown.add(miner.name, () => running.close());
    progress.step(
      `miner ${miner.name}: ${miner.method.method} (ratio ${miner.method.ratio}) on port ${running.port}`,
    );
  }

  const gatewayDir = join(runDir, 'gateway');
  const keys = await FileGatewayStore.open(gatewayDir, { role: 'admin' });
  const { key: apiKey } = await keys
    .createKey({
      name: 'devnet-client',
      limits: { requestsPerMinute: 600, tokensPerDay: null },
    })
    .finally(() => keys.close());
  checkpoint();
  const validator = await startValidator({
    chain,
    netuid: DEVNET_NETUID,
    hotkey: validatorWallet.hotkey,
    tiers,
    models: { [DEVNET_MODEL.name]: modelDir },
    stateFile: join(runDir, 'validator-state.json'),
    epochLengthSeconds: options.epochLengthSeconds,
    seed: options.seed,
    tasksPerMiner: options.tasksPerMiner,
    families: DEVNET_FAMILIES,
    recall: { vocabulary: recallVocabulary(), pairs: RECALL_PAIRS },
    gateway: { host: '127.0.0.1', port: 0, store: { dir: gatewayDir } },
    logger: logger.child({ validator: 'devnet' }),
    metrics: false,
    runtime: { threads: 1 },
    // The dashboard is for watching a devnet that keeps running; a one-shot run has no viewer.
    dashboard: options.keepRunning ? options.dashboard : false,
  });
  teardown.add('validator', () => validator.close());
  const gatewayUrl = `http://127.0.0.1:${validator.gatewayPort}`;
  progress.step(`validator: gateway on ${gatewayUrl}`);

  const epochs: EpochReport[] = [];
  const commits: DevnetCommitReport[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    checkpoint();
    progress.step(`epoch ${epoch}/${options.epochs}: querying ${lineup.length} miners`);
    const report = await untilAborted(validator.runEpoch(), signal);
    epochs.push(report);
    const { weights } = report;
    const commit = weights.set && weights.path === 'commit' ? weights.commit : undefined;
    if (weights.set && commit) {
      progress.step(
        `epoch ${epoch}/${options.epochs}: weights committed at block ${weights.block}, timelocked to round ${commit.revealRound} (reveal epoch ${commit.revealEpoch})`,
      );
    }
    // Let the chain reveal a commit and run its epoch, so consensus turns the weights into incentive.
    const validatorUid = (await chain.uidOf(DEVNET_NETUID, validatorWallet.hotkey.address))!;
    const fate = await untilAborted(
      advanceToPayout(chain, DEVNET_NETUID, validatorUid, commit),
      signal,
    );
    if (weights.set && commit) {
      commits.push({
        epoch,
        commit_block: weights.block,
        chain_epoch: commit.epoch,
        reveal_epoch: commit.revealEpoch,
        reveal_round: commit.revealRound,
        outcome: fate?.outcome ?? 'unsettled',
        settled_block: fate?.block ?? null,
        weights_from_block: fate?.weightsFromBlock ?? null,
        ...(fate?.reason ? { reason: fate.reason } : {}),
      });
    }
    const block = await chain.currentBlock();
    const what = !weights.set
      ? `weights not set (${weights.reason})`
      : commit
        ? `weights ${fate?.outcome ?? 'not yet revealed'}${fate ? ` at block ${fate.block}` : ''}`
        : 'weights set';
    progress.step(
      `epoch ${epoch}/${options.epochs}: ${report.miners.length} miners scored, ${what}, block ${block}`,
    );
  }
  checkpoint();

  progress.step('client: condensing a sample context through the gateway');
  const host = await ModelHost.start<ClientJobs>({
    module: clientWorkerModule(modelDir),
    threads: 1,
    name: 'devnet-client-model',
  });
  teardown.add('client model', () => host.close());
  const client = await clientExample({
    gatewayUrl,
    apiKey,
    tiers,
    tier,
    model: DEVNET_MODEL.name,
    pairs: RECALL_PAIRS,
    host,
    seed: options.seed,
    signal,
  });
  progress.step(`client: ${client.original_tokens} -> ${client.condensed_tokens} tokens`);

  const metagraph = await chain.metagraph(DEVNET_NETUID);
  return {
    report: {
      epochs: options.epochs,
      block: metagraph.block,
      netuid: DEVNET_NETUID,
      wall_time_ms: Math.round(progress.elapsedMs),
      miners: summarizeMiners(withHotkeys, epochs, metagraph, DEVNET_FAMILIES),
      client,
      commit_reveal: { enabled: options.commitReveal, commits },
    },
    chain,
    validator,
    gatewayUrl,
    apiKey,
    ...(validator.dashboardUrl === undefined ? {} : { dashboardUrl: validator.dashboardUrl }),
  };
}
