import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';

/**
 * Subtensor's own signed extensions, which @polkadot/api does not ship. Without them the
 * registry cannot lay out a signed payload and every extrinsic fails to encode.
 *
 * - `ChargeTransactionPaymentWrapper` (older runtimes) wraps the standard payment extension
 *   and, like it, carries a compact tip in the extrinsic and nothing in the signed payload.
 * - `SubtensorSignedExtension` / `SubtensorTransactionExtension`, `CommitmentsSignedExtension`
 *   and `DrandPriority` validate or prioritise calls inside the runtime and add no bytes.
 *
 * Spec 343 lists `ChargeTransactionPayment`, `SubtensorTransactionExtension` and
 * `DrandPriority`; keeping the older names too lets the same client talk to older nodes.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS: ExtDef = {
  ChargeTransactionPaymentWrapper: {
    extrinsic: { tip: 'Compact<Balance>' },
    payload: {},
  },
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
};
