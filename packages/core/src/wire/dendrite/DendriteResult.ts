import type { SynapseOf, SynapseSpec } from '../../synapses/SynapseSpec';
import type { TerminalInfo } from '../terminalInfo';

/** Where to send a synapse: the fields of an on-chain `AxonInfo` the wire needs. */
export interface AxonTarget {
  readonly ip: string;
  readonly port: number;
  readonly hotkey: string;
}

interface ResultBase {
  /** The axon as its response headers describe it (empty when no response came). */
  readonly axon: TerminalInfo;
  /** Our side: what we signed and sent, plus the status we report. */
  readonly dendrite: TerminalInfo;
  /** Seconds from sending to the end of the response. */
  readonly processTime: number;
}

/** A 200 with a synapse that parsed and validated. */
export interface DendriteSuccess<Spec extends SynapseSpec> extends ResultBase {
  readonly ok: true;
  readonly status: 200;
  readonly message: string;
  readonly synapse: SynapseOf<Spec>;
}

/**
 * Why a call failed, as far as the status alone cannot say: whether the status is the axon's
 * own answer (`answered`: a refusal such as a 422 for a tier limit) or the dendrite's reading of
 * a call that got no usable answer (a timeout, an unreachable axon, an unparseable or oversized
 * answer, a caller's abort, which reuse Python's statuses 408, 503, 422, 499), and the stable
 * code the axon gave its refusal, when it gave one.
 */
interface FailureCause {
  readonly answered: boolean;
  /** The refusal's code from the axon's error body (`{"message", "code"}`), e.g. `MINER_TIER_LIMIT`. */
  readonly code?: string;
}

/**
 * Anything else, with Python's dendrite status mapping: the axon's own status and message
 * when it answered; 408 on timeout; 503 when it could not be reached; 422 when its answer
 * could not be parsed or was too large; 499 when the caller aborted. `answered` tells an
 * axon's own 422 from an unparseable answer.
 */
export interface DendriteFailure<Spec extends SynapseSpec> extends ResultBase, FailureCause {
  readonly ok: false;
  readonly status: number;
  readonly message: string;
  /** The synapse as we sent it. */
  readonly synapse: SynapseOf<Spec>;
  /** The axon's `Retry-After` (a busy miner's 503): when to ask again, in seconds. */
  readonly retryAfterSeconds?: number;
}

export type DendriteResult<Spec extends SynapseSpec> =
  | DendriteSuccess<Spec>
  | DendriteFailure<Spec>;

/** A streaming call: the raw chunks as they arrive, then the final result. */
export interface DendriteStream<Spec extends SynapseSpec> {
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Settles after the chunks are consumed (or the call failed before any). */
  readonly result: Promise<DendriteResult<Spec>>;
}

/** A binary-route call that ended with its body received: the receiver's result. */
export interface DendriteBinarySuccess<T> extends ResultBase {
  readonly ok: true;
  readonly status: 200;
  readonly message: string;
  readonly value: T;
}

/**
 * A binary-route call that failed: the statuses of `DendriteFailure`, plus the receiver's
 * refusal of the body (413 too large, 422 otherwise) with the error it threw.
 */
export interface DendriteBinaryFailure extends ResultBase, FailureCause {
  readonly ok: false;
  readonly status: number;
  readonly message: string;
  /** What the receiver threw, when it was the body that was refused. */
  readonly error?: unknown;
}

export type DendriteBinaryResult<T> = DendriteBinarySuccess<T> | DendriteBinaryFailure;
