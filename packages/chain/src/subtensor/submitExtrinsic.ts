import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import type { Codec, ISubmittableResult, Registry } from '@polkadot/types/types';
import {
  ChainConnectionLostError,
  ChainRequestError,
  ChainTimeoutError,
  DispatchFailedError,
} from '../errors/ChainErrors';
import { chainCall } from './chainCall';
import { isConnectionLost } from './connectionLost';
import { runtimeCall } from './runtimeCall';
import type { SubtensorContext } from './SubtensorContext';
import { untilConnected } from './untilConnected';

export interface Inclusion {
  blockHash: string;
  blockNumber: number;
}

/**
 * Looks on chain, at the head, for the effect of an extrinsic whose outcome was lost with the
 * connection (the weights it set, the commit it filed): the block it landed in, or null.
 */
export type LandedCheck = (context: SubtensorContext) => Promise<number | null>;

/** The pallet error name of a failed dispatch (e.g. `SettingWeightsTooFast`), else its kind. */
export function dispatchErrorName(registry: Registry, error: DispatchError): string {
  if (error.isModule) return registry.findMetaError(error.asModule).name;
  return error.type;
}

type Watched = { kind: 'included'; blockHash: string } | { kind: 'lost'; error: unknown };

/**
 * Sends an already signed extrinsic and follows it until it is in a block, the pool or the
 * dispatch refuses it, the deadline passes, or the websocket drops (`lost`): the answer to a
 * pending submission is then rejected by the provider, and an established watch simply stops
 * hearing from the node, so the API's `disconnected` event is what tells.
 */
function watchInclusion(
  context: SubtensorContext,
  extrinsic: SubmittableExtrinsic<'promise'>,
  what: string,
  timeoutMs: number,
): Promise<Watched> {
  const { api } = context;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onDisconnected: (() => void) | undefined;
  return new Promise<Watched>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new ChainTimeoutError(`${what} inclusion`, timeoutMs)),
      timeoutMs,
    );
    onDisconnected = () => resolve({ kind: 'lost', error: new Error('disconnected') });
    api.once('disconnected', onDisconnected);
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
          new DispatchFailedError(dispatchErrorName(api.registry, result.dispatchError), {
            details: what,
          }),
        );
        return;
      }
      resolve({
        kind: 'included',
        blockHash: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex(),
      });
    };
    extrinsic
      .send(onStatus)
      .then((stop) => {
        unsubscribe = stop;
      })
      .catch((error: unknown) => {
        if (isConnectionLost(error)) {
          resolve({ kind: 'lost', error });
          return;
        }
        reject(
          new ChainRequestError(what, {
            details: error instanceof Error ? error.message : String(error),
            cause: error,
          }),
        );
      });
  }).finally(() => {
    clearTimeout(timer);
    if (onDisconnected) api.off('disconnected', onDisconnected);
    unsubscribe?.();
  });
}

async function inclusionAt(context: SubtensorContext, blockHash: string): Promise<Inclusion> {
  const header = await chainCall(
    context.api.rpc.chain.getHeader(blockHash),
    context.timeoutMs,
    'chain_getHeader',
  );
  return { blockHash, blockNumber: header.number.toNumber() };
}

async function inclusionOfNumber(
  context: SubtensorContext,
  blockNumber: number,
): Promise<Inclusion> {
  const hash = await chainCall(
    context.api.rpc.chain.getBlockHash(blockNumber),
    context.timeoutMs,
    'chain_getBlockHash',
  );
  return { blockHash: hash.toHex(), blockNumber };
}

/**
 * Signs, submits and waits until the extrinsic is in a block; a failed dispatch becomes a
 * DispatchFailedError carrying the pallet error name (e.g. `SettingWeightsTooFast`).
 *
 * When the websocket drops after the extrinsic was sent, its fate is unknown: it may be in a
 * block, in a pool, or lost with the node. With `landed`, once the link is back (connectApi's
 * backoff) the chain is asked first: the effect found on chain means it landed, and nothing is
 * sent again. Otherwise the account's nonce on chain decides: still at ours, the very same
 * signed bytes are sent again (same nonce, so the chain can include at most one of the two);
 * past it, the nonce went to something else and that is an error, never a second extrinsic.
 * Without `landed` a drop after sending is a ChainConnectionLostError.
 */
export async function submitExtrinsic(
  context: SubtensorContext,
  extrinsic: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  inclusionTimeoutMs: number,
  landed?: LandedCheck,
): Promise<Inclusion> {
  const what = `${extrinsic.method.section}.${extrinsic.method.method}`;
  const { api } = context;
  await chainCall(extrinsic.signAsync(signer, { nonce: -1 }), context.timeoutMs, `${what} signing`);
  const nonce = extrinsic.nonce.toBigInt();
  const deadline = Date.now() + inclusionTimeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  for (;;) {
    const watched = await watchInclusion(context, extrinsic, what, left());
    if (watched.kind === 'included') return inclusionAt(context, watched.blockHash);
    const lost = (details: string): ChainConnectionLostError =>
      new ChainConnectionLostError(`${what} inclusion`, {
        details: `The extrinsic (nonce ${nonce}, ${extrinsic.hash.toHex()}) was sent; ${details}`,
        cause: watched.error,
      });
    if (!landed) throw lost('whether it landed is unknown.');
    let settled: Inclusion | 'resend' | undefined;
    while (settled === undefined) {
      if (!(await untilConnected(api, deadline - Date.now()))) {
        throw lost(
          `the link was not back within ${inclusionTimeoutMs} ms to tell whether it landed.`,
        );
      }
      const checkContext = { ...context, timeoutMs: Math.min(context.timeoutMs, left()) };
      try {
        const block = await landed(checkContext);
        if (block !== null) {
          settled = await inclusionOfNumber(checkContext, block);
          break;
        }
        const next = (await runtimeCall(checkContext, 'accountNonceApi', 'accountNonce', [
          signer.address,
        ])) as Codec & { toBigInt(): bigint };
        if (next.toBigInt() > nonce) {
          throw new ChainRequestError(what, {
            details: `The link dropped after sending; nonce ${nonce} has since been used on chain, but not by this extrinsic's effect (its dispatch failed, or another transaction took the nonce). Not sent again.`,
          });
        }
        settled = 'resend';
      } catch (error) {
        if (!(error instanceof ChainConnectionLostError)) throw error;
      }
    }
    if (settled !== 'resend') return settled;
  }
}
