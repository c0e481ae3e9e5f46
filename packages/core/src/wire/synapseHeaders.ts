import type { SynapseSpec } from '../synapses/SynapseSpec';
import { parseFloatHeader, parseIntHeader, safeHeaderValue, smallInt } from './headerValue';
import { inputObjHeaderValue } from './inputObjHeader';
import { pyFloatRepr } from './pyFloat';
import { type PyValue, toPyValue } from './pyValue';
import { TERMINAL_INFO_FIELDS, type TerminalInfo, type TerminalInfoKey } from './terminalInfo';
import { WireError } from './WireError';

export const AXON_HEADER_PREFIX = 'bt_header_axon_';
export const DENDRITE_HEADER_PREFIX = 'bt_header_dendrite_';
export const INPUT_OBJ_HEADER_PREFIX = 'bt_header_input_obj_';

/** What `Synapse.to_headers()` puts on the wire. */
export interface SynapseHeaderInput {
  readonly name: string;
  readonly timeout: number;
  readonly axon: TerminalInfo;
  readonly dendrite: TerminalInfo;
  /** Required fields and their dumped values, in declaration order. */
  readonly inputObjects?: ReadonlyArray<readonly [name: string, value: PyValue]>;
  /** Python sends its in-memory object size here; we send the body's byte length. */
  readonly totalSize: number;
  readonly computedBodyHash: string;
}

/** The headers Python's `from_headers` reads back, typed. */
export interface DecodedSynapseHeaders {
  readonly name: string | undefined;
  readonly timeout: number | undefined;
  readonly axon: TerminalInfo;
  readonly dendrite: TerminalInfo;
  /** Decoded `bt_header_input_obj_*` JSON, keyed by field name. */
  readonly inputObjects: Readonly<Record<string, unknown>>;
  readonly headerSize: number | undefined;
  readonly totalSize: number | undefined;
  readonly computedBodyHash: string | undefined;
}

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

function terminalText(
  key: TerminalInfoKey,
  value: NonNullable<TerminalInfo[TerminalInfoKey]>,
): string {
  if (key === 'process_time') return pyFloatRepr(value as number);
  if (typeof value === 'string') return safeHeaderValue(value);
  return value.toString();
}

type TerminalHeaderNames = ReadonlyArray<readonly [key: TerminalInfoKey, header: string]>;

/** Each terminal field with its header name under `prefix`, in field order, spelled once. */
function headerNames(prefix: string): TerminalHeaderNames {
  return TERMINAL_INFO_FIELDS.map(([key]) => [key, `${prefix}${key}`] as const);
}

const AXON_HEADER_NAMES = headerNames(AXON_HEADER_PREFIX);
const DENDRITE_HEADER_NAMES = headerNames(DENDRITE_HEADER_PREFIX);

function terminalHeaders(
  names: TerminalHeaderNames,
  info: TerminalInfo,
  out: Record<string, string>,
): void {
  for (const [key, header] of names) {
    const value = info[key];
    if (value !== null && value !== undefined) out[header] = terminalText(key, value);
  }
}

/** `bt_header_input_obj_*` candidates of a synapse: its required fields, dumped. */
export function inputObjectsOf(
  spec: Pick<SynapseSpec, 'fields' | 'requiredFields'>,
  values: Readonly<Record<string, unknown>>,
): Array<readonly [string, PyValue]> {
  const required = new Set(spec.requiredFields);
  return spec.fields
    .filter(([name]) => required.has(name))
    .map(([name, type]) => [name, toPyValue(values[name], type, name)] as const);
}

/** `Synapse.to_headers()`: same names, same order, same value spelling. */
export function encodeSynapseHeaders(input: SynapseHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    name: safeHeaderValue(input.name),
    timeout: pyFloatRepr(input.timeout),
  };
  terminalHeaders(AXON_HEADER_NAMES, input.axon, headers);
  terminalHeaders(DENDRITE_HEADER_NAMES, input.dendrite, headers);
  for (const [name, value] of input.inputObjects ?? []) {
    const encoded = inputObjHeaderValue(value);
    if (encoded !== undefined) headers[`${INPUT_OBJ_HEADER_PREFIX}${name}`] = encoded;
  }
  // Python reports sys.getsizeof(headers), a CPython memory figure no peer checks; the
  // byte size of the header block is the meaningful equivalent.
  let headerSize = 0;
  for (const key in headers) headerSize += key.length + (headers[key] as string).length + 4;
  headers.header_size = String(headerSize);
  headers.total_size = String(input.totalSize);
  headers.computed_body_hash = input.computedBodyHash;
  return headers;
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function parseTerminalValue(
  key: TerminalInfoKey,
  raw: string,
  header: string,
): TerminalInfo[TerminalInfoKey] {
  switch (key) {
    case 'status_code':
    case 'port':
    case 'version':
      return smallInt(parseIntHeader(raw, header), header);
    case 'nonce':
      return parseIntHeader(raw, header);
    case 'process_time':
      return parseFloatHeader(raw, header);
    default:
      return raw;
  }
}

const TERMINAL_KEYS = new Set<string>(TERMINAL_INFO_FIELDS.map(([key]) => key));

function isTerminalKey(key: string): key is TerminalInfoKey {
  return TERMINAL_KEYS.has(key);
}

function optionalInt(plain: Readonly<Record<string, string>>, key: string): number | undefined {
  const raw = plain[key];
  return raw === undefined ? undefined : smallInt(parseIntHeader(raw, key), key);
}

/**
 * `Synapse.from_headers()`: reads names case-insensitively, ignores unknown terminal keys
 * (pydantic drops them) and refuses a value Python's validators would refuse, naming it.
 */
export function decodeSynapseHeaders(headers: HeaderBag): DecodedSynapseHeaders {
  const axon: Record<string, unknown> = {};
  const dendrite: Record<string, unknown> = {};
  const inputObjects: Record<string, unknown> = {};
  const plain: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries(headers)) {
    const value = first(rawValue);
    if (value === undefined) continue;
    const key = rawKey.toLowerCase();
    if (key.startsWith(AXON_HEADER_PREFIX) || key.startsWith(DENDRITE_HEADER_PREFIX)) {
      const isAxon = key.startsWith(AXON_HEADER_PREFIX);
      const field = key.slice((isAxon ? AXON_HEADER_PREFIX : DENDRITE_HEADER_PREFIX).length);
      if (!isTerminalKey(field)) continue;
      (isAxon ? axon : dendrite)[field] = parseTerminalValue(field, value, key);
    } else if (key.startsWith(INPUT_OBJ_HEADER_PREFIX)) {
      const field = key.slice(INPUT_OBJ_HEADER_PREFIX.length);
      try {
        inputObjects[field] = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
      } catch (cause) {
        throw new WireError('WIRE_HEADER', `Header "${key}" is not base64 JSON.`, { cause });
      }
    } else {
      plain[key] = value;
    }
  }
  return {
    name: plain.name,
    timeout: plain.timeout === undefined ? undefined : parseFloatHeader(plain.timeout, 'timeout'),
    axon: axon as TerminalInfo,
    dendrite: dendrite as TerminalInfo,
    inputObjects,
    headerSize: optionalInt(plain, 'header_size'),
    totalSize: optionalInt(plain, 'total_size'),
    computedBodyHash: plain.computed_body_hash,
  };
}
