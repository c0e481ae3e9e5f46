import type { SynapseOf, SynapseSpec } from '../../synapses/SynapseSpec';
import type { TerminalInfo } from '../terminalInfo';

/** What a handler knows about the request besides the synapse itself. */
export interface AxonRequestContext {
  /** The caller as its signed headers describe it, with the socket's ip and port. */
  readonly dendrite: TerminalInfo;
  /** Aborted when the request's deadline passes or the client goes away. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the response must be sent. */
  readonly deadline: number;
}

export interface BlacklistVerdict {
  readonly blacklisted: boolean;
  readonly reason?: string;
  /** The refusal's stable code, sent as the 403 body's `code`. */
  readonly code?: string;
}

type MaybePromise<T> = T | Promise<T>;

/** One chunk of a streaming answer: raw bytes or UTF-8 text. */
export type StreamChunk = Uint8Array | string;

/**
 * An answer on the binary route (`POST /<name>/binary`): a body of known length sent as it
 * is produced, after the same signed headers as the synapse route (a payload frame, say).
 */
export interface BinaryAnswer {
  readonly contentType: string;
  /** The body's exact length, sent as Content-Length. */
  readonly byteLength: number;
  chunks(): AsyncIterable<Uint8Array>;
}

/**
 * The functions an axon runs for one synapse. `verify` is an extra check after the
 * built-in signature and nonce verification; it cannot replace it. Throwing an
 * `AxonRefusal` answers with its status and message; any other error is a 500.
 */
export interface AxonHandlers<Spec extends SynapseSpec> {
  /** Answers the synapse: returns the full synapse with the response fields filled in. */
  readonly forward?: (
    synapse: SynapseOf<Spec>,
    context: AxonRequestContext,
  ) => MaybePromise<SynapseOf<Spec>>;
  /** For streaming synapses: the chunks to send, as Python's `BTStreamingResponse` does. */
  readonly stream?: (
    synapse: SynapseOf<Spec>,
    context: AxonRequestContext,
  ) => AsyncIterable<StreamChunk>;
  readonly blacklist?: (
    synapse: SynapseOf<Spec>,
    context: AxonRequestContext,
  ) => MaybePromise<BlacklistVerdict>;
  /** Higher runs first. */
  readonly priority?: (
    synapse: SynapseOf<Spec>,
    context: AxonRequestContext,
  ) => MaybePromise<number>;
  readonly verify?: (synapse: SynapseOf<Spec>, context: AxonRequestContext) => MaybePromise<void>;
  /**
   * Serves `POST /<name>/binary`: the same request, signature, blacklist and queue as the
   * synapse route, answered with a binary body instead of the synapse JSON.
   */
  readonly binary?: (
    synapse: SynapseOf<Spec>,
    context: AxonRequestContext,
  ) => MaybePromise<BinaryAnswer>;
  /**
   * With both `forward` and `stream`: whether this request is answered by the stream (the
   * default) or by `forward`, e.g. from a `stream` field of the synapse.
   */
  readonly streams?: (synapse: SynapseOf<Spec>, context: AxonRequestContext) => boolean;
  /**
   * Whether requests wait for a slot in the axon's priority queue (default true). A cheap
   * synapse answered on the main thread (a miner's Metadata, the ping) sets it false, so it
   * never waits behind work, however busy the queue is.
   */
  readonly gated?: boolean;
}

/** Emitted once per finished request, for metrics and logs. */
export interface AxonRequestEvent {
  readonly synapse: string;
  readonly status: number;
  readonly message: string;
  readonly durationMs: number;
  readonly hotkey: string | undefined;
}
