import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Axon, AxonRefusal, Condense, sr25519Ready } from '@signal/core';
import type { MinerEntry } from '@signal/gateway';

/** A deterministic sr25519 key from a dev derivation path such as `//gateway`. */
export async function devKey(path: string): Promise<KeyringPair> {
  await sr25519Ready();
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(path);
}

export interface StubMiner {
  readonly entry: MinerEntry;
  requests(): number;
  /** Until `release()`, answers wait (requests are admitted and in flight meanwhile). */
  hold(): void;
  release(): void;
  /** Waits until `count` requests have arrived in total. */
  arrived(count: number): Promise<void>;
  /** Refuses the next requests with this status, Retry-After (seconds) and code; null serves again. */
  refuse(refusal: StubRefusal | null): void;
  close(): Promise<void>;
}

export interface StubRefusal {
  status: number;
  retryAfterSeconds?: number;
  reasonCode?: string;
}

export const CONDENSED_TOKENS = 7;
export const ORIGINAL_TOKENS = 40;

/**
 * A miner at the wire boundary: core's real Axon (signature checks included) on loopback,
 * answering Condense at once with a valid text payload. Stands in for a real miner where the
 * gateway, not the condenser, is under test.
 */
export async function startStubMiner(options: {
  uid: number;
  tier: string;
  model: string;
  score?: number;
}): Promise<StubMiner> {
  const hotkey = await devKey(`//stub-miner-${options.uid}`);
  let requests = 0;
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  let refusal: StubRefusal | null = null;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const axon = new Axon({ signer: hotkey, concurrency: 256, maxQueue: 1024 });
  axon.attach(Condense, {
    forward: async (synapse) => {
      requests += 1;
      for (const waiter of waiters.filter((w) => requests >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (refusal) {
        const { status, retryAfterSeconds, reasonCode } = refusal;
        throw new AxonRefusal(status, `Refused with ${status}.`, {
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
          ...(reasonCode === undefined ? {} : { reasonCode }),
        });
      }
      await gate;
      return {
        ...synapse,
        condensed: {
          format: 'text' as const,
          model: options.model,
          original_tokens: ORIGINAL_TOKENS,
          condensed_tokens: CONDENSED_TOKENS,
          text: 'ships at dawn',
        },
      };
    },
  });
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  return {
    entry: {
      uid: options.uid,
      hotkey: hotkey.address,
      axon: { ip: '127.0.0.1', port: address.port, hotkey: hotkey.address },
      tier: options.tier,
      models: [options.model],
      methods: ['text'],
      score: options.score ?? 0.5,
      weight: 0,
      latencyMs: null,
    },
    requests: () => requests,
    hold: () => {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => {
      gate = undefined;
      open();
    },
    arrived: (count) =>
      requests >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    refuse: (next) => {
      refusal = next;
    },
    close: () => axon.close({ graceMs: 0 }),
  };
}
