import type { ChainClient, SetWeightsParameters } from '@signal/chain';
import type { TierConfig } from '@signal/core';
import type { GatewayStoreLocation } from '@signal/gateway';
import type { SessionOptionsInput, ThreadBudgetInput } from '@signal/runtime';
import type { Logger } from 'pino';
import type { RecallVocabulary } from '../tasks/RecallVocabulary';
import type { TaskFamily } from '../tasks/Task';

/** The validator's hotkey: a `@polkadot/keyring` sr25519 pair, as wallets load it. */
export type ValidatorHotkey = SetWeightsParameters['signer'];

export interface StartValidatorOptions {
  chain: ChainClient;
  netuid: number;
  hotkey: ValidatorHotkey;
  /** Default core's DEFAULT_TIERS. */
  tiers?: readonly TierConfig[];
  /** Target model name (as tiers name it) to the local model directory used to evaluate it. */
  models: Record<string, string>;
  /** Where the moving scores persist; a restart resumes from it. */
  stateFile: string;
  /** Seconds between epochs once `start()` runs. Default 600. */
  epochLengthSeconds?: number;
  /** Makes task seeds reproducible; a random secret per process otherwise. */
  seed?: number;
  /** Tasks per miner and epoch; by default the tier's requests per epoch over its miners. */
  tasksPerMiner?: number;
  /** `version_key` sent with weights. Default 0. */
  versionKey?: number;
  /**
   * The organic gateway: the validator publishes its miner view into the gateway store
   * (file or Redis) after every sync and epoch, for gateways in this process or elsewhere.
   */
  gateway?:
    | {
        /** Where keys, limits, usage and the published miner view live. */
        store: GatewayStoreLocation;
        /** Also serve the gateway in this process. Default true. */
        serve?: boolean;
        host?: string;
        port?: number;
        /** Share of organic responses scored too. Default 0.1. */
        organicScoredFraction?: number;
        /** Admit without limits while the store is unreachable. Default false (503). */
        failOpen?: boolean;
        /**
         * Milliseconds a client has to send its header block (default 10 000); a slower one
         * (slow loris) is answered 408 and dropped. As `startGateway`'s setting.
         */
        headersTimeoutMs?: number;
        /**
         * Milliseconds a client has to send its whole request, body included (default
         * 30 000, at least `headersTimeoutMs`); past it, 408 and dropped.
         */
        requestTimeoutMs?: number;
      }
    | false;
  /**
   * The web dashboard at `/dashboard` (`@signal/dashboard`), on its own port: loopback
   * unless `host` says otherwise (which needs `token`). Off by default.
   */
  dashboard?:
    | {
        host?: string;
        /** Default 0: the OS picks (see `RunningValidator.dashboardUrl`). */
        port?: number;
        token?: string;
        /** A `signal leaderboard --json` file for the Quality page, instead of our own evaluations. */
        leaderboardFile?: string;
        refreshMs?: number;
      }
    | false;
  /** How much per-miner history is kept beside the state file (default 32 epochs, 24 evaluations). */
  history?: { maxEpochs?: number; maxEvaluations?: number };
  logger?: Logger;
  metrics?: { host?: string; port?: number } | false;
  /**
   * Task families dealt each epoch, in every tier. Unset (and without `tierFamilies`), the
   * research tier deals multi_query (over the runtime's reference vocabulary unless `recall`
   * says otherwise) and every other tier needle, continuation and existence.
   */
  families?: readonly TaskFamily[];
  /** Families by tier name, over `families` for the tiers named. */
  tierFamilies?: Readonly<Record<string, readonly TaskFamily[]>>;
  /**
   * What the reference families (recall, multi_needle, multi_query, variable_tracking,
   * aggregation) are drawn from: the evaluation model's own key, value, filler, separator
   * (and aggregate) tokens, e.g. the runtime's `recallVocabulary()` for its recall preset.
   * Required when a configured family is one of them.
   */
  recall?: { vocabulary: RecallVocabulary; pairs?: number };
  /** Share of requests that are sent but not scored. Default 0.1. */
  unscoredFraction?: number;
  /** Miners queried at once with one task. Default 8. */
  batchSize?: number;
  /** Metadata timeout during sync, seconds. Default 5. */
  metadataTimeoutSeconds?: number;
  /** ONNX session options of the evaluation models. */
  session?: SessionOptionsInput;
  /** Longest continuation scored per task, in tokens. Default 32. */
  maxContinuationTokens?: number;
  /**
   * The evaluation host's budget (`--runtime.*`): threads (default every core), workers
   * (default 1) and the evaluations that may wait per model (default 256).
   */
  runtime?: ThreadBudgetInput & { queueSize?: number };
}
