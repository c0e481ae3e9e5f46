import type { NonceTracker } from '../nonceTracker';
import { requestSignatureMessage } from '../signature';
import type { DecodedSynapseHeaders } from '../synapseHeaders';
import { AxonRefusal } from './AxonRefusal';
import type { SignatureService } from './signatures/SignatureService';

/**
 * Python's `default_verify`, minus its loophole: hotkey, nonce, uuid and signature must
 * all be present, the signature must cover the body we actually received, and the nonce
 * must be fresh. The cheap checks (fields, body hash, nonce) come first, so a stale or
 * malformed request never costs a verification; the tracker records the nonce only once the
 * signature checked out.
 */
export async function verifyRequest(
  headers: DecodedSynapseHeaders,
  receivedHash: string,
  axonHotkey: string,
  nonces: NonceTracker,
  timeoutSeconds: number,
  signatures: SignatureService,
): Promise<void> {
  const { hotkey, nonce, uuid, signature } = headers.dendrite;
  const missing = [
    ['hotkey', hotkey],
    ['nonce', nonce],
    ['uuid', uuid],
    ['signature', signature],
  ].filter(([, value]) => value === undefined || value === null || value === '');
  if (missing.length > 0) {
    throw new AxonRefusal(
      401,
      `Not Verified: missing bt_header_dendrite_${missing.map(([k]) => k).join(', bt_header_dendrite_')}; every request must be signed.`,
    );
  }
  if (headers.computedBodyHash !== undefined && headers.computedBodyHash !== receivedHash) {
    throw new AxonRefusal(
      401,
      `Hash mismatch between header body hash ${headers.computedBodyHash} and parsed body hash ${receivedHash}`,
    );
  }
  nonces.check(hotkey as string, uuid as string, nonce as bigint, timeoutSeconds);
  const message = requestSignatureMessage({
    nonce: nonce as bigint,
    dendriteHotkey: hotkey as string,
    axonHotkey: axonHotkey,
    uuid: uuid as string,
    bodyHash: receivedHash,
  });
  if (!(await signatures.verify(message, signature as string, hotkey as string))) {
    throw new AxonRefusal(401, `Signature mismatch with ${message} and ${signature}`);
  }
  nonces.admit(hotkey as string, uuid as string, nonce as bigint, timeoutSeconds);
}
