import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Option } from '@polkadot/types';
import type { ServeAxonParameters, ServeAxonResult } from '../ChainClient';
import { encodeIp } from '../net/ipCodec';
import type { AxonInfoCodec } from '../subtensor/codecs';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';
import { submitExtrinsic } from '../subtensor/submitExtrinsic';
import { subtensorTx } from '../subtensor/subtensorTx';

/** The axon exactly as `serve_axon` puts it on chain. */
export interface AxonOnChain {
  version: number;
  ip: bigint;
  port: number;
  ipType: 4 | 6;
  protocol: number;
}

/** Bittensor axons announce protocol 4. */
export const AXON_PROTOCOL = 4;

export function axonOnChain(
  parameters: Omit<ServeAxonParameters, 'signer' | 'netuid'>,
): AxonOnChain {
  const encoded = encodeIp(parameters.ip);
  return {
    version: parameters.version,
    ip: encoded.value,
    port: parameters.port,
    ipType: parameters.ipType ?? encoded.ipType,
    protocol: parameters.protocol ?? AXON_PROTOCOL,
  };
}

/** `SubtensorModule.serve_axon(netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2)`. */
export function buildServeAxonExtrinsic(
  context: SubtensorContext,
  netuid: number,
  axon: AxonOnChain,
): SubmittableExtrinsic<'promise'> {
  return subtensorTx(context, 'serveAxon', [
    netuid,
    axon.version,
    axon.ip,
    axon.port,
    axon.ipType,
    axon.protocol,
    0,
    0,
  ]);
}

/** Announces the signer's axon; skips the extrinsic when the chain already holds the same one. */
export async function serveAxon(
  context: SubtensorContext,
  parameters: ServeAxonParameters,
  inclusionTimeoutMs: number,
): Promise<ServeAxonResult> {
  const wanted = axonOnChain(parameters);
  const head = await resolveBlock(context);
  const current = (await queryStorage(
    context,
    'subtensorModule',
    'axons',
    [parameters.netuid, parameters.signer.address],
    head.hash,
  )) as Option<AxonInfoCodec>;
  if (current.isSome) {
    const held = current.unwrap();
    const same =
      held.ip.toBigInt() === wanted.ip &&
      held.port.toNumber() === wanted.port &&
      held.ipType.toNumber() === wanted.ipType &&
      held.protocol.toNumber() === wanted.protocol &&
      held.version.toNumber() === wanted.version;
    if (same) return { submitted: false };
  }
  const extrinsic = buildServeAxonExtrinsic(context, parameters.netuid, wanted);
  await submitExtrinsic(context, extrinsic, parameters.signer, inclusionTimeoutMs);
  return { submitted: true };
}
