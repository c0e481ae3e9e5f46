import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { ChainRequestError } from '../errors/ChainErrors';
import type { SubtensorContext } from './SubtensorContext';

type TxFactory = (...args: unknown[]) => SubmittableExtrinsic<'promise'>;

/** Builds a `SubtensorModule` call from the metadata (the pallet has no static typings). */
export function subtensorTx(
  context: SubtensorContext,
  method: string,
  args: readonly unknown[],
): SubmittableExtrinsic<'promise'> {
  const factory = (
    context.api.tx as unknown as Record<string, Record<string, TxFactory | undefined>>
  ).subtensorModule?.[method];
  if (!factory) {
    throw new ChainRequestError(`subtensorModule.${method}`, {
      details: 'The runtime has no such call.',
    });
  }
  return factory(...args);
}
