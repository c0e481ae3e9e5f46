import fc from 'fast-check';
import {
  applyByteMutations,
  type ByteMutation,
  byteMutations,
  position,
} from '../../../../jest/fuzz';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { bodyHash } from '../../src/wire/bodyHash';
import { requestSignatureMessage, type Signer, signText } from '../../src/wire/signature';
import { DENDRITE_BODY_STYLE, encodeSynapseBody } from '../../src/wire/synapseBody';
import { encodeSynapseHeaders, inputObjectsOf } from '../../src/wire/synapseHeaders';
import type { TerminalInfo } from '../../src/wire/terminalInfo';

/** A request exactly as a Python (or our) dendrite sends it: signed headers and the JSON body. */
export interface SignedSynapse {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly nonce: bigint;
}

/** Builds a signed request for `spec` with the exported wire pieces, as a peer would. */
export async function signedSynapse(
  signer: Signer,
  axonHotkey: string,
  spec: SynapseSpec,
  input: Record<string, unknown>,
  nonce: bigint,
): Promise<SignedSynapse> {
  const values = spec.schema.parse(input) as Record<string, unknown>;
  const uuid = 'fuzz-uuid';
  const hash = bodyHash(spec, values);
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
    signature: await signText(signer, message),
  };
  const axon: TerminalInfo = { ip: '127.0.0.1', port: 8091, hotkey: axonHotkey };
  const body = encodeSynapseBody(
    spec,
    values,
    {
      name: spec.name,
      timeout: 12,
      totalSize: 0,
      headerSize: 0,
      dendrite,
      axon,
      computedBodyHash: '',
    },
    DENDRITE_BODY_STYLE,
  );
  const headers = encodeSynapseHeaders({
    name: spec.name,
    timeout: 12,
    axon,
    dendrite,
    inputObjects: inputObjectsOf(spec, values),
    totalSize: Buffer.byteLength(body),
    computedBodyHash: hash,
  });
  return { headers, body, nonce };
}

/** Header names a mutation may add: every one the wire reads, a few it ignores. */
const HEADER_NAMES = [
  'name',
  'timeout',
  'header_size',
  'total_size',
  'computed_body_hash',
  'bt_header_axon_ip',
  'bt_header_axon_port',
  'bt_header_axon_hotkey',
  'bt_header_axon_nonce',
  'bt_header_axon_status_code',
  'bt_header_axon_process_time',
  'bt_header_dendrite_ip',
  'bt_header_dendrite_version',
  'bt_header_dendrite_nonce',
  'bt_header_dendrite_uuid',
  'bt_header_dendrite_hotkey',
  'bt_header_dendrite_signature',
  'bt_header_dendrite_port',
  'bt_header_input_obj_context',
  'bt_header_input_obj_prompt',
  'bt_header_input_obj___proto__',
  'bt_header_axon___proto__',
  'Timeout',
  'x-unknown',
];

const HEADER_VALUES = [
  '',
  ' ',
  '0',
  '-1',
  '1e400',
  'nan',
  'inf',
  '-inf',
  '12.0',
  '99999999999999999999999999',
  '0x00',
  'e30=',
  'W10=',
  'bnVsbA==',
  '!!!',
  '\u00ff',
];

export type HeaderMutation =
  | { readonly kind: 'value'; readonly at: number; readonly mutations: ByteMutation[] }
  | { readonly kind: 'replace'; readonly at: number; readonly value: string }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'add'; readonly name: string; readonly value: string };

const headerValue = fc.oneof(
  fc.constantFrom(...HEADER_VALUES),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
);

export const headerMutations: fc.Arbitrary<HeaderMutation[]> = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('value' as const),
        at: position,
        mutations: byteMutations(3),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        at: position,
        value: headerValue,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: position }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        name: fc.constantFrom(...HEADER_NAMES),
        value: headerValue,
      }),
    },
  ),
  { maxLength: 4 },
);

/**
 * Applies header mutations. Values stay Latin-1 without CR/LF, as node:http would deliver
 * them (anything else never reaches the axon: the HTTP parser refuses it first).
 */
export function applyHeaderMutations(
  headers: Readonly<Record<string, string>>,
  mutations: readonly HeaderMutation[],
): Record<string, string> {
  const out: Record<string, string> = { ...headers };
  for (const mutation of mutations) {
    const names = Object.keys(out);
    const name = names[Math.floor(('at' in mutation ? mutation.at : 0) * names.length)];
    switch (mutation.kind) {
      case 'value':
        if (name !== undefined) {
          const bytes = applyByteMutations(Buffer.from(out[name]!, 'latin1'), mutation.mutations);
          out[name] = Buffer.from(bytes).toString('latin1');
        }
        break;
      case 'replace':
        if (name !== undefined) out[name] = mutation.value;
        break;
      case 'drop':
        if (name !== undefined) delete out[name];
        break;
      case 'add':
        Object.defineProperty(out, mutation.name.toLowerCase(), {
          value: mutation.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        break;
    }
  }
  for (const [name, value] of Object.entries(out)) {
    out[name] = value.replace(/[\r\n\0]/g, ' ').trim();
  }
  return out;
}
