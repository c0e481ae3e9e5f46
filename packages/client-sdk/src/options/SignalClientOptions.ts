import type { Signer, TierConfig } from '@signal/core';
import { z } from 'zod';
import type { MetagraphReader } from '../direct/MetagraphReader';

const SignerSchema = z.custom<Signer>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { address?: unknown }).address === 'string' &&
    typeof (value as { sign?: unknown }).sign === 'function',
  'must be a signer: { address: string, sign(message) }',
);

const MetagraphReaderSchema = z.custom<MetagraphReader>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { metagraph?: unknown }).metagraph === 'function',
  'must be a chain client with metagraph(netuid)',
);

/** Retry policy shared by both modes. */
const RetrySchema = z
  .object({
    /** Extra attempts after the first on retryable failures. */
    retries: z.number().int().min(0).max(10).default(2),
    /** First backoff delay; it doubles per attempt, with jitter, up to `maxDelayMs`. */
    baseDelayMs: z.number().int().min(0).default(200),
    maxDelayMs: z.number().int().min(0).default(5_000),
  })
  .prefault({});

const common = {
  /** The tier table the subnet runs (checked with core's `loadTiers`); it sets the limits every answer is validated against. */
  tiers: z.custom<readonly TierConfig[]>(Array.isArray, 'must be an array of tiers').optional(),
  /** Default deadline of a whole condense call, retries included. */
  timeoutMs: z.number().int().positive().default(30_000),
  retry: RetrySchema,
  /** Largest answer read, before any parsing. */
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
};

const GatewaySchema = z.object({
  /** The validator gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  url: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
});

const DirectBaseSchema = z.object({
  /** `finney`, `test`, `local` or a ws(s):// URL; used when no `chain` is given. */
  network: z.string().min(1).default('finney'),
  netuid: z.number().int().min(0).max(65_535),
  /** A connected chain (a `Subtensor` or `LocalChain`); otherwise one is opened on `network`. */
  chain: MetagraphReaderSchema.optional(),
  /** Miners asked at once per attempt; the first valid answer wins. */
  hedge: z.number().int().min(1).max(16).default(2),
  /** How long a read metagraph (and which miners serve the binary route) is reused. */
  metagraphTtlMs: z.number().int().min(0).default(60_000),
  /**
   * Fetch payloads over a miner's binary route when its Metadata advertises one: raw tensors
   * streamed as a frame, vetted and dequantized per layer, instead of base64 inside JSON.
   */
  binaryRoute: z.boolean().default(true),
});

/** A wallet needs only its hotkey here; a `@signal/chain` Wallet fits as is. */
const WalletSchema = z.object({ hotkey: SignerSchema }).loose();

const DirectSchema = z.union([
  DirectBaseSchema.extend({ wallet: WalletSchema, signer: z.never().optional() }),
  DirectBaseSchema.extend({ signer: SignerSchema, wallet: z.never().optional() }),
]);

/**
 * The client's two modes. Exactly one of `gateway` and `direct` is set; the other is typed
 * `never`, so passing both (or a direct mode with both a wallet and a signer) does not compile.
 */
export const SignalClientOptionsSchema = z.union([
  z.object({ gateway: GatewaySchema, direct: z.never().optional(), ...common }),
  z.object({ direct: DirectSchema, gateway: z.never().optional(), ...common }),
]);

export type SignalClientOptions = z.input<typeof SignalClientOptionsSchema>;
export type ResolvedClientOptions = z.output<typeof SignalClientOptionsSchema>;
export type GatewayOptions = z.output<typeof GatewaySchema>;
export type DirectOptions = z.output<typeof DirectSchema>;
export type RetryOptions = z.output<typeof RetrySchema>;
