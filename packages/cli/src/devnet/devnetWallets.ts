import { createWallet, KeyfileNotFoundError, loadWallet, type Wallet } from '@signal/chain';

/**
 * A devnet wallet (Bittensor layout under `root`, unencrypted: these keys hold nothing but
 * loopback stake). Reused when present so the data dir keeps the same hotkeys across runs.
 */
export async function devnetWallet(root: string, name: string): Promise<Wallet> {
  try {
    return await loadWallet({ root, name, hotkey: 'default' });
  } catch (error) {
    if (!(error instanceof KeyfileNotFoundError)) throw error;
    const { wallet } = await createWallet({ root, name, hotkey: 'default', overwrite: true });
    return wallet;
  }
}
