import { sr25519Ready, verifyText } from '../../signature';
import type { SignatureVerifier } from './SignatureVerifier';

/** Verifies on the calling thread (no worker): for tools, and axons told to use no threads. */
export class InlineVerifier implements SignatureVerifier {
  async verify(text: string, signature: string, address: string): Promise<boolean> {
    await sr25519Ready();
    return verifyText(text, signature, address);
  }

  ready(): Promise<void> {
    return sr25519Ready();
  }

  async close(): Promise<void> {}
}
