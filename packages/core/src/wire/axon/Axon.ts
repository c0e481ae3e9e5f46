import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SynapseSpec } from '../../synapses/SynapseSpec';
import { BINARY_ROUTE_SEGMENT } from '../binary/frameFormat';
import { bodyHash, type KnownFieldDigests } from '../bodyHash';
import { createNonceClock } from '../monotonicNonce';
import { NonceTracker } from '../nonceTracker';
import { holdsSr25519Keys, type Signer, signText, sr25519Ready } from '../signature';
import { AXON_BODY_STYLE, decodeSynapseBody, encodeSynapseBody } from '../synapseBody';
import {
  type DecodedSynapseHeaders,
  decodeSynapseHeaders,
  encodeSynapseHeaders,
  inputObjectsOf,
} from '../synapseHeaders';
import { DEFAULT_SYNAPSE_TIMEOUT, type TerminalInfo } from '../terminalInfo';
import { WIRE_VERSION } from '../version';
import { WireError } from '../WireError';
import type {
  AxonHandlers,
  AxonRequestContext,
  AxonRequestEvent,
  BinaryAnswer,
  StreamChunk,
} from './AxonHandlers';
import { AxonRefusal } from './AxonRefusal';
import { PriorityGate } from './PriorityGate';
import { PING_SPEC } from './pingSpec';
import { pipeChunks } from './pipeChunks';
import { RequestAbort } from './RequestAbort';
import { type ResponseSignature, ResponseSignatures, type SignWhere } from './ResponseSignatures';
import { raceDeadline } from './raceDeadline';
import { readRequestBody } from './readRequestBody';
import { InlineSignatures } from './signatures/InlineSignatures';
import type { HeldKey, SignatureService } from './signatures/SignatureService';
import { acquireSignatures } from './signatures/sharedSignatures';
import { verifyRequest } from './verifyRequest';

export interface AxonOptions {
  /**
   * The axon's hotkey: requests must be signed for it, responses are signed by it. A signer
   * that holds its raw keys (`createSr25519Signer`, a `@signal/chain` wallet's hotkey) hands
   * them to the signature threads once, at `listen`, and responses are signed there; any other
   * (a `KeyringPair`) signs on the event loop.
   */
  readonly signer: Signer;
  /** The address the chain advertises, reported by `info()`; defaults to the bound one. */
  readonly externalIp?: string;
  readonly externalPort?: number;
  readonly maxBodyBytes?: number;
  /** Larger header blocks are refused with 431 by node:http itself. */
  readonly maxHeaderBytes?: number;
  /** Forwards running at once. */
  readonly concurrency?: number;
  /** Requests waiting for a forward slot before new ones get 503. */
  readonly maxQueue?: number;
  /** Upper bound on a request's own `timeout`, which sets its deadline. */
  readonly maxTimeoutSeconds?: number;
  /**
   * Milliseconds a client has to send its whole header block (default 10 000). A client that
   * trickles headers (slow loris) is answered 408 and dropped when they pass, so it cannot
   * hold a connection for long.
   */
  readonly headersTimeoutMs?: number;
  /**
   * Milliseconds a client has to send its whole request, headers and body (default 30 000).
   * A body that never finishes is answered 408 and its connection dropped.
   */
  readonly requestTimeoutMs?: number;
  readonly nonces?: NonceTracker;
  /**
   * Sign `bt_header_axon_signature` on every response as Python does: one sr25519 signature
   * of `{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}` per request, the nonce taken
   * when the request arrives (Python's `preprocess`).
   */
  readonly signResponses?: boolean;
  /**
   * Responses to one dendrite hotkey started within this many milliseconds of each other
   * share one axon nonce and signature (default 10). Python's response signature covers no
   * part of the request, so such responses would carry the same signature anyway; a busy axon
   * then signs about once per window per caller rather than once per request. 0 gives every
   * response its own nonce and signature.
   */
  readonly responseNonceWindowMs?: number;
  readonly uuid?: string;
  /**
   * Worker threads that verify request signatures and sign responses (default 1), so the
   * event loop only parses, checks and answers; axons of one process asking for the same
   * count share them. 0 does both on the axon's own thread.
   */
  readonly verifyThreads?: number;
  readonly onRequest?: (event: AxonRequestEvent) => void;
}

export interface AxonAddress {
  readonly ip: string;
  readonly port: number;
  readonly hotkey: string;
}

interface Route {
  readonly spec: SynapseSpec;
  readonly handlers: AxonHandlers<SynapseSpec>;
}

/** What the pipeline learned before it finished or stopped. */
interface RequestState {
  readonly started: number;
  /**
   * The axon's nonce for this request, taken on arrival as Python's `preprocess` does; a
   * signed response carries its signature's nonce instead.
   */
  readonly nonce: bigint;
  /** The response signature, asked for as soon as the dendrite's hotkey is known. */
  response: ResponseSignature | undefined;
  /** The request's text-valued hash fields and their digests, for the answer's body hash. */
  digests: KnownFieldDigests | undefined;
  name: string;
  /** `binary` for the binary route (`/<name>/binary`), '' for the synapse route. */
  variant: string;
  headers: DecodedSynapseHeaders | undefined;
  dendrite: TerminalInfo;
  hotkey: string | undefined;
}

const MiB = 1024 * 1024;
/**
 * Tasks per signature thread beyond which responses are signed on the event loop: past it the
 * threads, not the event loop, are what requests wait for.
 */
const SIGN_HERE_BACKLOG = 8;
const REQUEST_FINISHED = new AxonRefusal(499, 'The request has finished.');

/**
 * node:http's own slow-client limits: `headersTimeout` and `requestTimeout`, checked every
 * `connectionsCheckingInterval` (node's default of 30 s would let a slow client stay up to
 * that much longer than its limit, so the check runs at a quarter of the header limit).
 */
function receiveTimeouts(options: AxonOptions): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  for (const [name, value] of [
    ['headersTimeoutMs', headersTimeout],
    ['requestTimeoutMs', requestTimeout],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new WireError('WIRE_SCHEMA', `${name} must be a positive integer.`, {
        details: `got ${value}`,
      });
    }
  }
  if (requestTimeout < headersTimeout) {
    throw new WireError('WIRE_SCHEMA', 'requestTimeoutMs cannot be below headersTimeoutMs.', {
      details: `got requestTimeoutMs ${requestTimeout}, headersTimeoutMs ${headersTimeout}`,
    });
  }
  return {
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

function wireMessage(error: WireError): string {
  return error.details ? `${error.shortMessage} ${error.details}` : error.shortMessage;
}

/**
 * A Bittensor axon on node:http, wire-compatible with Python's. Per request: route →
 * parse → blacklist (403) → verify signature and nonce (401) → priority queue (503 when
 * full, 408 past the deadline) → forward → response. Unlike Python, a request without a
 * signature is refused (401), never waved through.
 */
export class Axon {
  private readonly routes = new Map<string, Route>();
  private readonly gate: PriorityGate;
  private readonly nonces: NonceTracker;
  private readonly uuid: string;
  private readonly inflight = new Set<Promise<void>>();
  private server: Server | undefined;
  private signatures: { service: SignatureService; release: () => Promise<void> } | undefined;
  /**
   * The signer's key when it can hand it over: held by the signature threads, and as
   * WebAssembly on this thread for when the threads are behind.
   */
  private keys: { threads: HeldKey; here: HeldKey } | undefined;
  private readonly nonceClock = createNonceClock();
  private readonly responses: ResponseSignatures | undefined;
  private closing = false;

  constructor(private readonly options: AxonOptions) {
    this.gate = new PriorityGate(options.concurrency ?? 16, options.maxQueue ?? 256);
    this.nonces = options.nonces ?? new NonceTracker();
    this.uuid = options.uuid ?? randomUUID();
    const windowMs = options.responseNonceWindowMs ?? 10;
    if (!Number.isFinite(windowMs) || windowMs < 0) {
      throw new WireError('WIRE_SCHEMA', 'responseNonceWindowMs must be a non-negative number.', {
        details: `got ${windowMs}`,
      });
    }
    this.responses =
      (options.signResponses ?? true)
        ? new ResponseSignatures(windowMs, this.nonceClock, (nonce, hotkey, where) =>
            this.signResponse(nonce, hotkey, where),
          )
        : undefined;
    this.attach(PING_SPEC, { forward: (synapse) => synapse, gated: false });
  }

  /** Serves `spec` at `POST /<spec.name>`. */
  attach<Spec extends SynapseSpec>(spec: Spec, handlers: AxonHandlers<Spec>): this {
    if (this.routes.has(spec.name) && spec.name !== PING_SPEC.name) {
      throw new WireError('WIRE_SCHEMA', `Synapse "${spec.name}" is already attached.`);
    }
    if (!handlers.forward && !handlers.stream) {
      throw new WireError(
        'WIRE_SCHEMA',
        `Synapse "${spec.name}" needs a forward or stream handler.`,
      );
    }
    if (handlers.stream && !spec.streaming) {
      throw new WireError('WIRE_SCHEMA', `Synapse "${spec.name}" is not declared streaming.`);
    }
    this.routes.set(spec.name, {
      spec,
      handlers: handlers as unknown as AxonHandlers<SynapseSpec>,
    });
    return this;
  }

  /** Starts serving; resolves with the bound address (port 0 picks a free one). */
  async listen(options: { host?: string; port?: number } = {}): Promise<AxonAddress> {
    if (this.server) throw new WireError('WIRE_SCHEMA', 'The axon is already listening.');
    const timeouts = receiveTimeouts(this.options);
    await sr25519Ready();
    this.signatures = acquireSignatures(this.verifyThreads);
    const { signer } = this.options;
    if ((this.options.signResponses ?? true) && holdsSr25519Keys(signer)) {
      const keys = signer.exportSr25519Keys();
      this.keys = {
        threads: this.signatures.service.holdKey(keys),
        here: new InlineSignatures().holdKey(keys),
      };
      // Both holders copied it: this export is not needed any more.
      keys.secretKey.fill(0);
    }
    // The first request must not wait for the threads to start.
    await this.signatures.service.ready();
    const server = createServer(
      {
        maxHeaderSize: this.options.maxHeaderBytes ?? 16 * 1024,
        keepAliveTimeout: 65_000,
        ...timeouts,
      },
      (request, response) => this.track(this.serve(request, response)),
    );
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.server = undefined;
      await this.releaseSignatures();
      throw error;
    }
    return this.info();
  }

  /** Threads verifying signatures (0: the axon's own). */
  get verifyThreads(): number {
    const threads = this.options.verifyThreads ?? 1;
    if (!Number.isSafeInteger(threads) || threads < 0) {
      throw new WireError('WIRE_SCHEMA', 'verifyThreads must be a non-negative integer.', {
        details: `got ${threads}`,
      });
    }
    return threads;
  }

  /** The address peers should use, as `AxonInfo` on chain would carry it. */
  info(): AxonAddress {
    const bound = this.server?.address() as AddressInfo | null | undefined;
    return {
      ip: this.options.externalIp ?? bound?.address ?? '127.0.0.1',
      port: this.options.externalPort ?? bound?.port ?? 0,
      hotkey: this.options.signer.address,
    };
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then
   * closes whatever is left.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.graceMs ?? 10_000);
    });
    await Promise.race([Promise.allSettled([...this.inflight]), grace]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    await this.releaseSignatures();
    this.server = undefined;
    this.closing = false;
  }

  private async releaseSignatures(): Promise<void> {
    this.keys?.threads.release();
    this.keys?.here.release();
    this.keys = undefined;
    await this.signatures?.release();
    this.signatures = undefined;
  }

  private track(task: Promise<void>): void {
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const segments = (request.url ?? '/').split('?')[0]?.split('/') ?? [];
    const state: RequestState = {
      started: Date.now(),
      nonce: this.nonceClock(),
      response: undefined,
      digests: undefined,
      name: segments[1] ?? '',
      variant: segments.slice(2).join('/'),
      headers: undefined,
      dendrite: { ip: request.socket.remoteAddress, port: request.socket.remotePort },
      hotkey: undefined,
    };
    const abort = new RequestAbort();
    response.once('close', () => {
      if (!response.writableFinished)
        abort.abort(new AxonRefusal(499, 'Client closed the request.'));
    });
    let status = 500;
    let message = '';
    try {
      status = await this.pipeline(request, response, state, abort);
      message = 'Success';
    } catch (error) {
      const refusal = this.refusalOf(error);
      status = refusal.status;
      message = refusal.message;
      if (!response.headersSent) await this.writeError(response, state, refusal);
      else response.destroy();
    } finally {
      // Tells handlers still holding the signal that the request is over; a shared reason
      // avoids building a DOMException (with its stack) for every request.
      abort.abort(REQUEST_FINISHED);
      this.options.onRequest?.({
        synapse: state.variant === '' ? state.name : `${state.name}/${state.variant}`,
        status,
        message,
        durationMs: Date.now() - state.started,
        hotkey: state.hotkey,
      });
    }
  }

  private refusalOf(error: unknown): AxonRefusal {
    if (error instanceof AxonRefusal) return error;
    if (error instanceof WireError) {
      const unauthorised = error.code === 'WIRE_SIGNATURE' || error.code === 'WIRE_NONCE';
      return new AxonRefusal(unauthorised ? 401 : 400, wireMessage(error), {
        cause: error,
        reasonCode: error.code,
      });
    }
    return new AxonRefusal(500, `Internal Server Error #${randomUUID()}`, { cause: error });
  }

  private async pipeline(
    request: IncomingMessage,
    response: ServerResponse,
    state: RequestState,
    abort: RequestAbort,
  ): Promise<number> {
    if (this.closing) throw new AxonRefusal(503, 'Service unavailable: the axon is shutting down.');
    const route = this.routes.get(state.name);
    if (!route) {
      throw new AxonRefusal(
        404,
        `Synapse name '${state.name}' not found. Available synapses [${[...this.routes.keys()].map((k) => `'${k}'`).join(', ')}]`,
      );
    }
    if (request.method !== 'POST' && request.method !== 'GET') {
      throw new AxonRefusal(405, `Method ${request.method} is not allowed.`);
    }
    const { spec, handlers } = route;
    const binary = state.variant === BINARY_ROUTE_SEGMENT ? handlers.binary : undefined;
    if (state.variant !== '' && !binary) {
      throw new AxonRefusal(404, `Synapse '${state.name}' has no route '${state.variant}'.`);
    }
    const text = await readRequestBody(request, this.options.maxBodyBytes ?? 8 * MiB);
    const headers = decodeSynapseHeaders(request.headers);
    state.headers = headers;
    state.dendrite = { ...headers.dendrite, ...state.dendrite };
    state.hotkey = headers.dendrite.hotkey ?? undefined;
    // Asked for now, a new signature goes to the threads in the same message as the verification.
    state.response = this.responses?.for(state.hotkey ?? 'None', 'where free');
    const timeout = headers.timeout ?? DEFAULT_SYNAPSE_TIMEOUT;
    if (!(timeout > 0))
      throw new AxonRefusal(400, `Header "timeout" must be positive, got ${timeout}.`);
    const seconds = Math.min(timeout, this.options.maxTimeoutSeconds ?? 60);
    const deadline = state.started + seconds * 1000;
    const decoded = decodeSynapseBody(spec, text);
    state.digests = decoded.fieldDigests;
    const context: AxonRequestContext = {
      dendrite: state.dendrite,
      get signal() {
        return abort.signal;
      },
      deadline,
    };

    const verdict = await handlers.blacklist?.(decoded.values, context);
    if (verdict?.blacklisted) {
      throw new AxonRefusal(
        403,
        `Forbidden. Key is blacklisted: ${verdict.reason ?? 'no reason given'}.`,
        verdict.code === undefined ? {} : { reasonCode: verdict.code },
      );
    }

    await verifyRequest(
      headers,
      decoded.bodyHash,
      this.options.signer.address,
      this.nonces,
      seconds,
      this.signatures!.service,
    );
    if (handlers.verify) {
      try {
        await handlers.verify(decoded.values, context);
      } catch (error) {
        throw new AxonRefusal(
          401,
          `Not Verified with error: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }

    const priority = (await handlers.priority?.(decoded.values, context)) ?? 0;
    const release =
      handlers.gated === false ? () => undefined : await this.gate.acquire(priority, deadline);
    if (binary) {
      try {
        const work = Promise.resolve().then(() => binary(decoded.values, context));
        const answer = await raceDeadline(work, deadline, abort, timeout);
        await this.writeBinary(response, state, spec, decoded.values, answer, abort, deadline);
      } finally {
        release();
      }
      return 200;
    }
    const streaming =
      handlers.stream !== undefined &&
      (handlers.forward === undefined || (handlers.streams?.(decoded.values, context) ?? true));
    if (streaming && handlers.stream) {
      try {
        await this.stream(
          response,
          state,
          spec,
          decoded.values,
          handlers.stream(decoded.values, context),
          abort,
          deadline,
        );
      } finally {
        release();
      }
      return 200;
    }
    const forward = handlers.forward as NonNullable<typeof handlers.forward>;
    const work = Promise.resolve().then(() => forward(decoded.values, context));
    void work.finally(release).catch(() => undefined);
    const answered = await raceDeadline(work, deadline, abort, timeout);
    const checked = spec.schema.safeParse(answered);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AxonRefusal(
        500,
        `Forward returned an invalid ${spec.name}: field "${issue?.path.map(String).join('.') ?? ''}" ${issue?.message ?? ''}`.trim(),
      );
    }
    const axon = await this.axonInfo(state, 200, 'Success', 'wait');
    try {
      this.writeSynapse(response, state, spec, checked.data as Record<string, unknown>, axon);
    } catch (error) {
      // Our own answer failed to encode (NaN in a float field, say): a server fault, not the caller's.
      throw new AxonRefusal(
        500,
        `Forward returned a ${spec.name} that cannot be sent: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        {
          cause: error,
        },
      );
    }
    return 200;
  }

  /**
   * The response's `axon` terminal, signed. An answer waits for the request's signature; a
   * refusal (`now`) takes it if it has arrived, and otherwise one signed here, at once, so
   * that a refusal is written in the turn it is decided (a client that half-closes after its
   * request would see the connection end first if the refusal waited for a thread).
   */
  private async axonInfo(
    state: RequestState,
    status: number,
    message: string,
    when: 'wait' | 'now' = 'now',
  ): Promise<TerminalInfo> {
    let response = state.response;
    if (this.responses && (!response || (when === 'now' && response.signed === undefined))) {
      response = this.responses.for(state.dendrite.hotkey ?? 'None', 'here');
    }
    const requested = state.headers?.axon ?? {};
    const info: TerminalInfo = {
      status_code: status,
      status_message: message,
      process_time: (Date.now() - state.started) / 1000,
      ip: requested.ip ?? this.info().ip,
      port: requested.port ?? this.info().port,
      version: WIRE_VERSION,
      nonce: response?.nonce ?? state.nonce,
      uuid: this.uuid,
      hotkey: this.options.signer.address,
    };
    if (response) info.signature = response.signed ?? (await response.signature);
    return info;
  }

  /**
   * Python's response signature, `{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}`.
   * With the signer's raw key, in the signature threads, unless they are more than
   * `SIGN_HERE_BACKLOG` tasks per thread behind: then here, so the work goes where a core is
   * free (or `here` when asked). A signer without its raw key (a `KeyringPair`) signs here,
   * itself.
   */
  private signResponse(nonce: bigint, dendriteHotkey: string, where: SignWhere): Promise<string> {
    const message = `${nonce}.${dendriteHotkey}.${this.options.signer.address}.${this.uuid}`;
    const keys = this.keys;
    const signature = !keys
      ? signText(this.options.signer, message)
      : where === 'here' || this.signatures!.service.backlog() > SIGN_HERE_BACKLOG
        ? keys.here.sign(message)
        : keys.threads.sign(message);
    // Awaited where the response is written; a request that ends earlier leaves no rejection.
    signature.catch(() => undefined);
    return signature;
  }

  private writeSynapse(
    response: ServerResponse,
    state: RequestState,
    spec: SynapseSpec,
    values: Record<string, unknown>,
    axon: TerminalInfo,
  ): void {
    const timeout = state.headers?.timeout ?? DEFAULT_SYNAPSE_TIMEOUT;
    const computedBodyHash = bodyHash(spec, values, state.digests);
    const body = encodeSynapseBody(
      spec,
      values,
      {
        name: spec.name,
        timeout,
        totalSize: state.headers?.totalSize ?? 0,
        headerSize: state.headers?.headerSize ?? 0,
        dendrite: state.dendrite,
        axon,
        computedBodyHash,
      },
      AXON_BODY_STYLE,
    );
    const length = Buffer.byteLength(body);
    const headers = encodeSynapseHeaders({
      name: spec.name,
      timeout,
      axon,
      dendrite: state.dendrite,
      inputObjects: inputObjectsOf(spec, values),
      totalSize: length,
      computedBodyHash,
    });
    // The headers are this answer's own object: no copy to add the last two.
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(length);
    response.writeHead(200, headers);
    // A string lets node:http send the head and the body in one buffer (no Buffer copy).
    response.end(body);
  }

  private async writeError(
    response: ServerResponse,
    state: RequestState,
    refusal: AxonRefusal,
  ): Promise<void> {
    let axon: TerminalInfo;
    try {
      axon = await this.axonInfo(state, refusal.status, refusal.message);
    } catch {
      axon = { status_code: refusal.status, status_message: refusal.message };
    }
    const body = Buffer.from(
      JSON.stringify(
        refusal.reasonCode === undefined
          ? { message: refusal.message }
          : { message: refusal.message, code: refusal.reasonCode },
      ),
    );
    const headers = encodeSynapseHeaders({
      name: state.name,
      timeout: state.headers?.timeout ?? DEFAULT_SYNAPSE_TIMEOUT,
      axon,
      dendrite: state.dendrite,
      totalSize: body.length,
      computedBodyHash: '',
    });
    if (response.headersSent || response.destroyed) return;
    // A refused upload may still be arriving; close the connection rather than read it all.
    const closeAfter = refusal.status === 413 ? { connection: 'close' } : {};
    const retryAfter =
      refusal.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(Math.max(0, Math.ceil(refusal.retryAfterSeconds))) };
    response.writeHead(refusal.status, {
      ...headers,
      ...closeAfter,
      ...retryAfter,
      'content-type': 'application/json',
      'content-length': body.length,
    });
    response.end(body);
  }

  /**
   * The binary route's answer: status 200 and the same signed synapse headers as a JSON
   * answer, then the body as the handler produces it, with its exact Content-Length.
   */
  private async writeBinary(
    response: ServerResponse,
    state: RequestState,
    spec: SynapseSpec,
    values: Record<string, unknown>,
    answer: BinaryAnswer,
    abort: RequestAbort,
    deadline: number,
  ): Promise<void> {
    const axon = await this.axonInfo(state, 200, 'Success', 'wait');
    const headers = encodeSynapseHeaders({
      name: spec.name,
      timeout: state.headers?.timeout ?? DEFAULT_SYNAPSE_TIMEOUT,
      axon,
      dendrite: state.dendrite,
      inputObjects: inputObjectsOf(spec, values),
      totalSize: answer.byteLength,
      computedBodyHash: bodyHash(spec, values, state.digests),
    });
    response.writeHead(200, {
      ...headers,
      'content-type': answer.contentType,
      'content-length': answer.byteLength,
    });
    await pipeChunks(response, answer.chunks(), abort, deadline, answer.byteLength);
  }

  /**
   * Streams like Python's `BTStreamingResponse`: status 200 and the synapse headers first
   * (`content-type: text/event-stream`), then the handler's chunks verbatim. A deadline
   * or a client that goes away ends the stream early.
   */
  private async stream(
    response: ServerResponse,
    state: RequestState,
    spec: SynapseSpec,
    values: Record<string, unknown>,
    chunks: AsyncIterable<StreamChunk>,
    abort: RequestAbort,
    deadline: number,
  ): Promise<void> {
    const axon = await this.axonInfo(state, 200, 'Success', 'wait');
    const headers = encodeSynapseHeaders({
      name: spec.name,
      timeout: state.headers?.timeout ?? DEFAULT_SYNAPSE_TIMEOUT,
      axon,
      dendrite: state.dendrite,
      inputObjects: inputObjectsOf(spec, values),
      totalSize: 0,
      computedBodyHash: bodyHash(spec, values, state.digests),
    });
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
    await pipeChunks(response, chunks, abort, deadline);
  }
}
