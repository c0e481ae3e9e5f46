import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import type { ISubmittableResult, Registry } from '@polkadot/types/types';
import { ChainRequestError, ChainTimeoutError, DispatchFailedError } from '../errors/ChainErrors';
import { chainCall } from './chainCall';
import type { SubtensorContext } from './SubtensorContext';

export interface Inclusion {
  blockHash: string;
  blockNumber: number;
}

/** The pallet error name of a failed dispatch (e.g. `SettingWeightsTooFast`), else its kind. */
export function dispatchErrorName(registry: Registry, error: DispatchError): string {
  if (error.isModule) return registry.findMetaError(error.asModule).name;
  return error.type;
}

/**
 * Signs, submits and waits until the extrinsic is in a block; a failed dispatch becomes a
 * DispatchFailedError carrying the pallet error name (e.g. `SettingWeightsTooFast`).
 */
export async function submitExtrinsic(
  context: SubtensorContext,
  extrinsic: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  inclusionTimeoutMs: number,
): Promise<Inclusion> {
  const what = `${extrinsic.method.section}.${extrinsic.method.method}`;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const blockHash = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new ChainTimeoutError(`${what} inclusion`, inclusionTimeoutMs)),
        inclusionTimeoutMs,
      );
      const onStatus = (result: ISubmittableResult): void => {
        const { status } = result;
        if (status.isInvalid || status.isDropped || status.isUsurped) {
          reject(
            new ChainRequestError(what, {
              details: `The pool reported the extrinsic ${status.type}.`,
            }),
          );
          return;
        }
        if (!status.isInBlock && !status.isFinalized) return;
        if (result.dispatchError) {
          reject(
            new DispatchFailedError(dispatchErrorName(context.api.registry, result.dispatchError), {
              details: what,
            }),
          );
          return;
        }
        resolve((status.isInBlock ? status.asInBlock : status.asFinalized).toHex());
      };
      extrinsic
        .signAndSend(signer, { nonce: -1 }, onStatus)
        .then((stop) => {
          unsubscribe = stop;
        })
        .catch((error: unknown) =>
          reject(
            new ChainRequestError(what, {
              details: error instanceof Error ? error.message : String(error),
              cause: error,
            }),
          ),
        );
    });
    const header = await chainCall(
      context.api.rpc.chain.getHeader(blockHash),
      context.timeoutMs,
      'chain_getHeader',
    );
    return { blockHash, blockNumber: header.number.toNumber() };
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
}
