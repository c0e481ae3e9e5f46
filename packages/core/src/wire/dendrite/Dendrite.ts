import { Agent, type Dispatcher } from 'undici';
import { isSignalError } from '../../errors/SignalError';
import type { SynapseOf, SynapseSpec } from '../../synapses/SynapseSpec';
import { BINARY_ROUTE_SEGMENT } from '../binary/frameFormat';
import { frameRefusalStatus } from '../binary/frameRefusalStatus';
import { bodyHash } from '../bodyHash';
import { createNonceClock } from '../monotonicNonce';
import { requestSignatureMessage, type Signer, signText } from '../signature';
import { DENDRITE_BODY_STYLE, decodeSynapseBody, encodeSynapseBody } from '../synapseBody';
import { decodeSynapseHeaders, encodeSynapseHeaders, inputObjectsOf } from '../synapseHeaders';
import type { TerminalInfo } from '../terminalInfo';
import { WIRE_VERSION } from '../version';
import { WireError } from '../WireError';
import type {
  AxonTarget,
  DendriteBinaryResult,
  DendriteResult,
  DendriteStream,
} from './DendriteResult';
import { discardBody } from './discardBody';
import { failureStatus } from './failureStatus';
import { UuidLanes } from './UuidLanes';

export interface DendriteOptions {
  /** Our hotkey; every request is signed with it. */
  readonly signer: Signer;
  /** Sent as `bt_header_dendrite_ip`. */
  readonly externalIp?: string;
  /** Largest response body read; a bigger one is cut off and reported as 422. */
  readonly maxResponseBytes?: number;
  /** Keep-alive connections kept per axon. */
  readonly connectionsPerAxon?: number;
}

export interface CallOptions {
  /** Seconds, sent to the axon as the synapse's `timeout` and enforced here. Default 12. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/** What a binary-route body's receiver is told besides the body. */
export interface BinaryBody {
  readonly chunks: AsyncIterable<Uint8Array>;
  readonly contentType: string;
  /** The declared Content-Length, when the axon sent one. */
  readonly contentLength: number | undefined;
}

export interface BinaryCallOptions<T> extends CallOptions {
  /**
   * Consumes the body as it streams (e.g. `receivePayloadFrame`). What it throws becomes a
   * failed result: 413 for a body too large, 422 otherwise (`frameRefusalStatus`).
   */
  readonly receive: (body: BinaryBody) => Promise<T>;
}

export interface ForwardOptions extends CallOptions {
  /** Requests in flight at once. Default 16. */
  readonly concurrency?: number;
}

interface Prepared {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly dendrite: TerminalInfo;
}

interface Outcome {
  readonly status: number;
  readonly message: string;
  readonly axon: TerminalInfo;
  readonly synapse?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;
  /** Set when the status is the axon's own answer rather than ours. */
  readonly answered?: true;
  /** The axon's code for its refusal. */
  readonly code?: string;
}

/** What a refusal's `code` may look like: a stable identifier, never free text. */
const REFUSAL_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

const MiB = 1024 * 1024;

function hostOf(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Bittensor dendrite on an undici keep-alive pool, wire-compatible with Python's: the
 * body is the synapse's `model_dump()` as aiohttp sends it, the headers are `to_headers()`,
 * and the request is signed over `{nonce}.{dendrite}.{axon}.{uuid}.{body_hash}`.
 */
export class Dendrite {
  private readonly agent: Agent;
  private readonly lanes = new UuidLanes();
  private readonly nextNonce = createNonceClock();

  constructor(private readonly options: DendriteOptions) {
    // Idle sockets are dropped after 4 s unless the server's Keep-Alive hint says more:
    // uvicorn (Python axons) closes idle connections after 5 s without a hint, and a POST
    // sent on a socket the server just closed fails instead of being retried.
    this.agent = new Agent({
      connections: options.connectionsPerAxon ?? 64,
      keepAliveTimeout: 4_000,
    });
  }

  /** Sends one synapse to one axon. Never throws for network or peer failures. */
  async call<Spec extends SynapseSpec>(
    axon: AxonTarget,
    spec: Spec,
    synapse: SynapseOf<Spec>,
    options: CallOptions = {},
  ): Promise<DendriteResult<Spec>> {
    return this.send(
      axon,
      spec,
      this.validate(spec, synapse),
      this.timeoutOf(options),
      options.signal,
    );
  }

  private async send<Spec extends SynapseSpec>(
    axon: AxonTarget,
    spec: Spec,
    values: Record<string, unknown>,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<DendriteResult<Spec>> {
    const uuid = this.lanes.acquire();
    const started = performance.now();
    try {
      const prepared = await this.prepare(axon, spec, values, timeout, uuid);
      const opened = await this.open(axon, spec, prepared, timeout, signal);
      let outcome: Outcome;
      if ('outcome' in opened) outcome = opened.outcome;
      else {
        try {
          outcome = this.interpret(
            spec,
            opened.response,
            await this.readText(opened.response.body),
          );
        } catch (error) {
          discardBody(opened.response.body);
          outcome = this.failure(error, axon, spec, timeout, opened.timer, signal);
        }
      }
      return this.result(spec, values, prepared.dendrite, outcome, started);
    } finally {
      this.lanes.release(uuid);
    }
  }

  /**
   * Calls the axon's binary route (`POST /<name>/binary`): the request is the same signed
   * synapse; a 200 answer's body goes to `options.receive` as it streams, on the same
   * connection. Never throws for network, peer or body failures.
   */
  async binary<Spec extends SynapseSpec, T>(
    axon: AxonTarget,
    spec: Spec,
    synapse: SynapseOf<Spec>,
    options: BinaryCallOptions<T>,
  ): Promise<DendriteBinaryResult<T>> {
    const values = this.validate(spec, synapse);
    const timeout = this.timeoutOf(options);
    const uuid = this.lanes.acquire();
    const started = performance.now();
    const finish = (
      outcome: Outcome,
      dendrite: TerminalInfo,
      extra: { value?: T; error?: unknown },
    ) => {
      const result = this.result(spec, values, dendrite, outcome, started);
      if (result.ok && 'value' in extra) return { ...result, value: extra.value as T } as const;
      const { synapse: _sent, ...failure } = result;
      return {
        ...failure,
        ok: false as const,
        answered: !result.ok && result.answered,
        ...(extra.error === undefined ? {} : { error: extra.error }),
      };
    };
    try {
      const prepared = await this.prepare(axon, spec, values, timeout, uuid);
      const opened = await this.open(
        axon,
        spec,
        prepared,
        timeout,
        options.signal,
        `/${BINARY_ROUTE_SEGMENT}`,
      );
      if ('outcome' in opened) return finish(opened.outcome, prepared.dendrite, {});
      const { response } = opened;
      if (response.statusCode !== 200) {
        let outcome: Outcome;
        try {
          outcome = this.interpret(spec, response, await this.readText(response.body));
        } catch (error) {
          discardBody(response.body);
          outcome = this.failure(error, axon, spec, timeout, opened.timer, options.signal);
        }
        return finish(outcome, prepared.dendrite, {});
      }
      let axonInfo: TerminalInfo = {};
      try {
        axonInfo = decodeSynapseHeaders(response.headers).axon;
        const declared = response.headers['content-length'];
        const value = await options.receive({
          chunks: response.body,
          contentType: String(response.headers['content-type'] ?? ''),
          contentLength: declared === undefined ? undefined : Number(declared),
        });
        const outcome = {
          status: 200,
          message: axonInfo.status_message ?? 'Success',
          axon: axonInfo,
          synapse: values,
        };
        return finish(outcome, prepared.dendrite, { value });
      } catch (error) {
        discardBody(response.body);
        if (options.signal?.aborted || opened.timer.aborted || !isSignalError(error)) {
          return finish(
            this.failure(error, axon, spec, timeout, opened.timer, options.signal),
            prepared.dendrite,
            {},
          );
        }
        const outcome = {
          status: frameRefusalStatus(error),
          message: error.message.split('\n')[0]!,
          axon: axonInfo,
        };
        return finish(outcome, prepared.dendrite, { error });
      }
    } finally {
      this.lanes.release(uuid);
    }
  }

  /** Sends the same synapse to many axons, `concurrency` at a time; results keep order. */
  async forward<Spec extends SynapseSpec>(
    axons: readonly AxonTarget[],
    spec: Spec,
    synapse: SynapseOf<Spec>,
    options: ForwardOptions = {},
  ): Promise<Array<DendriteResult<Spec>>> {
    const values = this.validate(spec, synapse);
    const timeout = this.timeoutOf(options);
    const results: Array<DendriteResult<Spec>> = new Array(axons.length);
    let next = 0;
    const worker = async () => {
      while (next < axons.length) {
        const index = next++;
        results[index] = await this.send(
          axons[index] as AxonTarget,
          spec,
          values,
          timeout,
          options.signal,
        );
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 16, axons.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  }

  /**
   * Calls a streaming synapse. `chunks` yields the raw body as it arrives (Python's
   * `BTStreamingResponse` writes the handler's bytes verbatim under `text/event-stream`);
   * `result` settles once `chunks` is consumed or abandoned, carrying the axon's headers and
   * the synapse as sent. A non-streaming answer (an error, say) yields no chunks.
   */
  stream<Spec extends SynapseSpec>(
    axon: AxonTarget,
    spec: Spec,
    synapse: SynapseOf<Spec>,
    options: CallOptions = {},
  ): DendriteStream<Spec> {
    const values = this.validate(spec, synapse);
    const timeout = this.timeoutOf(options);
    let settle: (result: DendriteResult<Spec>) => void = () => undefined;
    const result = new Promise<DendriteResult<Spec>>((resolve) => {
      settle = resolve;
    });
    const self = this;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const uuid = self.lanes.acquire();
      const started = performance.now();
      let dendrite: TerminalInfo = {};
      let outcome: Outcome | undefined;
      let body: Dispatcher.ResponseData['body'] | undefined;
      try {
        const prepared = await self.prepare(axon, spec, values, timeout, uuid);
        dendrite = prepared.dendrite;
        const opened = await self.open(axon, spec, prepared, timeout, options.signal);
        if ('outcome' in opened) {
          outcome = opened.outcome;
          return;
        }
        const { response } = opened;
        body = response.body;
        try {
          const type = String(response.headers['content-type'] ?? '');
          if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
            outcome = self.interpret(spec, response, await self.readText(response.body));
            return;
          }
          const headers = decodeSynapseHeaders(response.headers);
          let size = 0;
          for await (const chunk of response.body) {
            size += (chunk as Buffer).length;
            if (size > self.maxResponseBytes) {
              outcome = {
                status: 422,
                message: `Stream exceeds ${self.maxResponseBytes} bytes`,
                axon: headers.axon,
              };
              return;
            }
            yield chunk as Buffer;
          }
          outcome = {
            status: 200,
            message: headers.axon.status_message ?? 'Success',
            axon: headers.axon,
            synapse: values,
          };
        } catch (error) {
          outcome = self.failure(error, axon, spec, timeout, opened.timer, options.signal);
        }
      } finally {
        if (body) discardBody(body);
        self.lanes.release(uuid);
        settle(
          self.result(
            spec,
            values,
            dendrite,
            outcome ?? { status: 499, message: 'Stream abandoned by the caller', axon: {} },
            started,
          ),
        );
      }
    }
    return { chunks: chunks(), result };
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private get maxResponseBytes(): number {
    return this.options.maxResponseBytes ?? 32 * MiB;
  }

  private timeoutOf(options: CallOptions): number {
    const timeout = options.timeout ?? 12;
    if (!(Number.isFinite(timeout) && timeout > 0)) {
      throw new WireError('WIRE_SCHEMA', 'The call timeout must be a positive number of seconds.', {
        details: `got ${timeout}`,
      });
    }
    return timeout;
  }

  private validate<Spec extends SynapseSpec>(
    spec: Spec,
    synapse: SynapseOf<Spec>,
  ): Record<string, unknown> {
    const parsed = spec.schema.safeParse(synapse);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new WireError(
        'WIRE_SCHEMA',
        `Field "${issue?.path.map(String).join('.') ?? ''}" of ${spec.name} is invalid.`,
        {
          details: issue?.message,
        },
      );
    }
    return parsed.data as Record<string, unknown>;
  }

  /** Python's `preprocess_synapse_for_request` followed by `to_headers()` and `model_dump()`. */
  private async prepare(
    axon: AxonTarget,
    spec: SynapseSpec,
    values: Record<string, unknown>,
    timeout: number,
    uuid: string,
  ): Promise<Prepared> {
    const nonce = this.nextNonce();
    const hash = bodyHash(spec, values);
    const message = requestSignatureMessage({
      nonce,
      dendriteHotkey: this.options.signer.address,
      axonHotkey: axon.hotkey,
      uuid,
      bodyHash: hash,
    });
    const dendrite: TerminalInfo = {
      ip: this.options.externalIp ?? '0.0.0.0',
      version: WIRE_VERSION,
      nonce,
      uuid,
      hotkey: this.options.signer.address,
      signature: await signText(this.options.signer, message),
    };
    const axonInfo: TerminalInfo = { ip: axon.ip, port: axon.port, hotkey: axon.hotkey };
    const body = encodeSynapseBody(
      spec,
      values,
      {
        name: spec.name,
        timeout,
        totalSize: 0,
        headerSize: 0,
        dendrite,
        axon: axonInfo,
        computedBodyHash: '',
      },
      DENDRITE_BODY_STYLE,
    );
    const headers = encodeSynapseHeaders({
      name: spec.name,
      timeout,
      axon: axonInfo,
      dendrite,
      inputObjects: inputObjectsOf(spec, values),
      totalSize: Buffer.byteLength(body),
      computedBodyHash: hash,
    });
    return { headers: { ...headers, 'content-type': 'application/json' }, body, dendrite };
  }

  /** Sends the request; a failure to get a response becomes an outcome with its status. */
  private async open(
    axon: AxonTarget,
    spec: SynapseSpec,
    prepared: Prepared,
    timeout: number,
    callerSignal: AbortSignal | undefined,
    route = '',
  ): Promise<{ response: Dispatcher.ResponseData; timer: AbortSignal } | { outcome: Outcome }> {
    const timer = AbortSignal.timeout(Math.max(1, Math.round(timeout * 1000)));
    const signal = callerSignal ? AbortSignal.any([timer, callerSignal]) : timer;
    try {
      const response = await this.agent.request({
        origin: `http://${hostOf(axon.ip)}:${axon.port}`,
        path: `/${spec.name}${route}`,
        method: 'POST',
        headers: prepared.headers,
        body: prepared.body,
        signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      return { response, timer };
    } catch (error) {
      return { outcome: this.failure(error, axon, spec, timeout, timer, callerSignal) };
    }
  }

  private failure(
    error: unknown,
    axon: AxonTarget,
    spec: SynapseSpec,
    timeout: number,
    timer: AbortSignal,
    callerSignal: AbortSignal | undefined,
  ): Outcome {
    if (callerSignal?.aborted)
      return { status: 499, message: 'Request aborted by the caller', axon: {} };
    if (timer.aborted)
      return { status: 408, message: `Request timeout after ${timeout} seconds`, axon: {} };
    if (error instanceof WireError)
      return { status: 422, message: `Failed to parse response: ${error.message}`, axon: {} };
    const { status, label } = failureStatus(error);
    const message =
      status === 503
        ? `${label} at ${axon.ip}:${axon.port}/${spec.name}`
        : `${label}: ${errorText(error)}`;
    return { status, message, axon: {} };
  }

  private async readText(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.maxResponseBytes) {
        discardBody(body);
        throw new WireError('WIRE_JSON', `Response exceeds ${this.maxResponseBytes} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  /** Python's `process_server_response`, with every parse failure reported as 422. */
  private interpret(spec: SynapseSpec, response: Dispatcher.ResponseData, text: string): Outcome {
    let axon: TerminalInfo = {};
    try {
      axon = decodeSynapseHeaders(response.headers).axon;
      if (response.statusCode === 200) {
        const decoded = decodeSynapseBody(spec, text);
        return {
          status: 200,
          message: axon.status_message ?? 'Success',
          axon,
          synapse: decoded.values,
        };
      }
      let message = axon.status_message ?? `HTTP ${response.statusCode}`;
      let code: string | undefined;
      try {
        const parsed = JSON.parse(text) as { message?: unknown; code?: unknown };
        if (typeof parsed.message === 'string') message = parsed.message;
        if (typeof parsed.code === 'string' && REFUSAL_CODE.test(parsed.code)) code = parsed.code;
      } catch {
        // A non-JSON error body still has a status worth reporting.
      }
      const retryAfter = retryAfterSeconds(response.headers['retry-after']);
      return {
        status: response.statusCode,
        message,
        axon,
        answered: true,
        ...(code === undefined ? {} : { code }),
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      };
    } catch (error) {
      return { status: 422, message: `Failed to parse response: ${errorText(error)}`, axon };
    }
  }

  private result<Spec extends SynapseSpec>(
    _spec: Spec,
    sent: Record<string, unknown>,
    dendrite: TerminalInfo,
    outcome: Outcome | undefined,
    started: number,
  ): DendriteResult<Spec> {
    const processTime = (performance.now() - started) / 1000;
    const final = outcome ?? {
      status: 422,
      message: 'Failed to parse response: no response',
      axon: {},
    };
    const reported: TerminalInfo = {
      ...dendrite,
      status_code: final.status,
      status_message: final.message,
      process_time: processTime,
    };
    if (final.status === 200 && final.synapse) {
      return {
        ok: true,
        status: 200,
        message: final.message,
        synapse: final.synapse as SynapseOf<Spec>,
        axon: final.axon,
        dendrite: reported,
        processTime,
      };
    }
    return {
      ok: false,
      status: final.status,
      message: final.message,
      synapse: sent as SynapseOf<Spec>,
      axon: final.axon,
      dendrite: reported,
      processTime,
      answered: final.answered === true,
      ...(final.code === undefined ? {} : { code: final.code }),
      ...(final.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: final.retryAfterSeconds }),
    };
  }
}

/** A `Retry-After` header in delta seconds (what an axon sends); dates and junk are ignored. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
