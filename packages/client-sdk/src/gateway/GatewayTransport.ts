import type { CondensedContext } from '../condensed/CondensedContext';
import type { CondenseRequest, Transport } from '../condensed/CondenseRequest';
import { toCondensedContext } from '../condensed/toCondensedContext';
import { ClientError } from '../errors/ClientError';
import { statusError } from '../errors/statusError';
import type { GatewayOptions } from '../options/SignalClientOptions';
import type { Attempt } from '../retry/withRetries';
import { GatewayAnswerSchema, gatewayError } from './GatewayAnswer';
import { readCapped } from './readCapped';

const WHERE = 'The gateway';

/** Node's fetch hides the socket error in `cause`; refused and reset connections are worth a retry. */
function networkError(error: unknown, url: string): ClientError {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return new ClientError('CLIENT_UNAVAILABLE', `${WHERE} at ${url} cannot be reached.`, {
    details:
      typeof code === 'string' ? code : error instanceof Error ? error.message : String(error),
    cause: error,
    retryable: true,
    status: 503,
  });
}

/** Condenses through a validator's organic gateway: `POST /v1/condense` with a bearer key. */
export class GatewayTransport implements Transport {
  private readonly endpoint: string;

  constructor(
    private readonly options: GatewayOptions,
    private readonly maxResponseBytes: number,
  ) {
    this.endpoint = new URL(
      'v1/condense',
      options.url.endsWith('/') ? options.url : `${options.url}/`,
    ).href;
  }

  async condense(request: CondenseRequest, attempt: Attempt): Promise<CondensedContext> {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          context: request.context,
          tier: request.tier.name,
          target_model: request.targetModel,
          ...(request.format ? { format: request.format } : {}),
        }),
        signal: attempt.signal,
      });
    } catch (error) {
      if (attempt.signal.aborted) throw error;
      throw networkError(error, this.endpoint);
    }
    const text = await readCapped(response, this.maxResponseBytes, WHERE);
    if (response.status !== 200) {
      const { message, code } = gatewayError(text);
      // The gateway's own "no miner of this tier" refusal: a miner may serve again soon.
      if (response.status === 503 && message.startsWith('GATEWAY_NO_MINER')) {
        throw new ClientError('CLIENT_NO_MINERS', `${WHERE} has no miner for this tier.`, {
          details: message,
          status: 503,
          retryable: true,
          remoteCode: code,
        });
      }
      throw statusError(response.status, message, WHERE, code);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new ClientError('CLIENT_INVALID_RESPONSE', `${WHERE} sent a body that is not JSON.`, {
        details: text.slice(0, 200),
        cause,
      });
    }
    const answer = GatewayAnswerSchema.safeParse(body);
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      throw new ClientError('CLIENT_INVALID_RESPONSE', `${WHERE} sent a malformed answer.`, {
        details: `${issue.path.join('.') || '(body)'}: ${issue.message}`,
        cause: answer.error,
      });
    }
    return toCondensedContext(answer.data.payload, request.limits, request.format, {
      minerUid: answer.data.miner_uid,
      latencyMs: performance.now() - started,
      serverLatencyMs: answer.data.latency_ms,
      source: WHERE,
    });
  }

  async close(): Promise<void> {}
}
