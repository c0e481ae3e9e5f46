import { sr25519Sign } from '@polkadot/wasm-crypto';
import { type Sr25519Keys, sr25519Ready, verifyText } from '../../signature';
import type { HeldKey, SignatureService } from './SignatureService';

/** Verifies and signs on the calling thread (no worker): for tools, and axons told to use no threads. */
export class InlineSignatures implements SignatureService {
  async verify(text: string, signature: string, address: string): Promise<boolean> {
    await sr25519Ready();
    return verifyText(text, signature, address);
  }

  holdKey(keys: Sr25519Keys): HeldKey {
    const publicKey = Uint8Array.from(keys.publicKey);
    const secretKey = Uint8Array.from(keys.secretKey);
    const encoder = new TextEncoder();
    return {
      sign: async (text) => {
        await sr25519Ready();
        return `0x${Buffer.from(sr25519Sign(publicKey, secretKey, encoder.encode(text))).toString('hex')}`;
      },
      release: () => {
        secretKey.fill(0);
      },
    };
  }

  backlog(): number {
    return 0;
  }

  ready(): Promise<void> {
    return sr25519Ready();
  }

  async close(): Promise<void> {}
}
