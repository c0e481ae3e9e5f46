import { isIPv4, isIPv6 } from 'node:net';
import { SignalError } from '@signal/core';

/** An IP that cannot be put on chain (not IPv4/IPv6 text, or a u128 out of range). */
export class InvalidIpError extends SignalError<'INVALID_IP'> {
  override name = 'InvalidIpError';
  constructor(value: string, details: string) {
    super('INVALID_IP', `Invalid IP address: ${value}`, { details });
  }
}

export interface EncodedIp {
  /** The address as the chain's u128. */
  value: bigint;
  ipType: 4 | 6;
}

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;

function expandIpv6Groups(ip: string): number[] {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const octets = v4[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ];
  return groups.map((group) => Number.parseInt(group, 16));
}

/** Encodes IPv4/IPv6 text the way subtensor's `serve_axon` expects it: a u128 and a type. */
export function encodeIp(ip: string): EncodedIp {
  if (isIPv4(ip)) {
    const value = ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
    return { value, ipType: 4 };
  }
  if (isIPv6(ip)) {
    const value = expandIpv6Groups(ip).reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
    return { value, ipType: 6 };
  }
  throw new InvalidIpError(ip, 'Expected dotted IPv4 or IPv6 text.');
}

/** Renders IPv6 groups in RFC 5952 form: lowercase hex, the longest zero run (≥ 2) as `::`. */
function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** Decodes the chain's u128 + ip_type into text. */
export function decodeIp(value: bigint, ipType: number): string {
  if (value < 0n || value > U128_MAX) {
    throw new InvalidIpError(value.toString(), 'Out of the u128 range.');
  }
  if (ipType === 4) {
    if (value > U32_MAX)
      throw new InvalidIpError(value.toString(), 'ip_type 4 but wider than 32 bits.');
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  }
  if (ipType === 6) return formatIpv6(value);
  throw new InvalidIpError(value.toString(), `Unknown ip_type ${ipType}; expected 4 or 6.`);
}
