import { request as httpRequest } from 'node:http';
import { z } from 'zod';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { bodyHash } from '../../src/wire/bodyHash';
import { py } from '../../src/wire/pyType';
import {
  createSr25519Signer,
  type KeyHoldingSigner,
  requestSignatureMessage,
  type Signer,
  signText,
} from '../../src/wire/signature';
import { DENDRITE_BODY_STYLE, encodeSynapseBody } from '../../src/wire/synapseBody';
import { encodeSynapseHeaders, inputObjectsOf } from '../../src/wire/synapseHeaders';
import type { TerminalInfo } from '../../src/wire/terminalInfo';

/** A small test synapse: `text` is the hashed request, `reply` the response. */
export const Echo = {
  name: 'Echo',
  schema: z.object({
    text: z.string(),
    delay_ms: z.number().int().nonnegative().default(0),
    reply: z.string().nullable().default(null),
  }),
  fields: [
    ['text', py.str],
    ['delay_ms', py.int],
    ['reply', py.optional(py.str)],
  ],
  requiredFields: ['text'],
  requiredHashFields: ['text'],
  responseFields: ['reply'],
  streaming: false,
} satisfies SynapseSpec;

export const Tokens = {
  name: 'Tokens',
  schema: z.object({ prompt: z.string() }),
  fields: [['prompt', py.str]],
  requiredFields: ['prompt'],
  requiredHashFields: ['prompt'],
  responseFields: [],
  streaming: true,
} satisfies SynapseSpec;

export const Unattached = {
  ...Echo,
  name: 'Unattached',
} satisfies SynapseSpec;

export function signers(): Promise<[KeyHoldingSigner, KeyHoldingSigner, KeyHoldingSigner]> {
  return Promise.all([
    createSr25519Signer(new Uint8Array(32).fill(1)),
    createSr25519Signer(new Uint8Array(32).fill(2)),
    createSr25519Signer(new Uint8Array(32).fill(3)),
  ]);
}

export interface RawRequestOptions {
  readonly nonce?: bigint;
  readonly uuid?: string;
  readonly timeout?: number;
  readonly omitSignature?: boolean;
  readonly signature?: string;
  readonly body?: string;
  readonly path?: string;
}

/** Builds a signed request with the exported wire pieces, as a peer would. */
export async function signedRequest(
  signer: Signer,
  axonHotkey: string,
  input: Record<string, unknown>,
  options: RawRequestOptions = {},
): Promise<{ headers: Record<string, string>; body: string }> {
  const values = Echo.schema.parse(input);
  const nonce = options.nonce ?? BigInt(Date.now()) * 1_000_000n;
  const uuid = options.uuid ?? 'raw-uuid';
  const timeout = options.timeout ?? 12;
  const hash = bodyHash(Echo, values);
  const message = requestSignatureMessage({
    nonce,
    dendriteHotkey: signer.address,
    axonHotkey,
    uuid,
    bodyHash: hash,
  });
  const dendrite: TerminalInfo = {
    ip: '127.0.0.1',
    version: 10_002_000,
    nonce,
    uuid,
    hotkey: signer.address,
    signature: options.omitSignature
      ? null
      : (options.signature ?? (await signText(signer, message))),
  };
  const axon: TerminalInfo = { ip: '127.0.0.1', port: 1, hotkey: axonHotkey };
  const body =
    options.body ??
    encodeSynapseBody(
      Echo,
      values,
      { name: 'Echo', timeout, totalSize: 0, headerSize: 0, dendrite, axon, computedBodyHash: '' },
      DENDRITE_BODY_STYLE,
    );
  const headers = encodeSynapseHeaders({
    name: 'Echo',
    timeout,
    axon,
    dendrite,
    inputObjects: inputObjectsOf(Echo, values),
    totalSize: Buffer.byteLength(body),
    computedBodyHash: hash,
  });
  return { headers, body };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** Plain node:http POST, so tests control every byte. */
export function rawPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
