import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProgram } from '@signal/cli';
import { captureOutput } from './support/capturedOutput';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'signal-cli-wallet-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'wallet', ...args]);
const printed = captureOutput();
const output = () => printed.json();

describe('signal wallet', () => {
  it('creates, shows and lists a wallet in Bittensor layout', async () => {
    await run('create', '--wallet.path', root, '--wallet.name', 'miner', '--wallet.hotkey', 'hk1');
    const created = output();
    expect(created).toMatchObject({ name: 'miner', hotkey: 'hk1', coldkey_encrypted: false });
    expect(created.coldkey_mnemonic.split(' ')).toHaveLength(12);
    expect((await stat(path.join(root, 'miner', 'hotkeys', 'hk1'))).mode & 0o777).toBe(0o600);

    await run('show', '--wallet.path', root, '--wallet.name', 'miner', '--wallet.hotkey', 'hk1');
    const shown = output();
    expect(shown).toMatchObject({
      coldkey_ss58: created.coldkey_ss58,
      hotkey_ss58: created.hotkey_ss58,
      coldkey_encrypted: false,
    });
    expect(shown.coldkey_password_env).toMatch(/^BT_PW_.*_MINER_COLDKEY$/);
    expect(JSON.stringify(shown)).not.toContain(created.hotkey_mnemonic);

    process.env.SIGNAL_WALLET_PATH = root;
    try {
      await run('list');
    } finally {
      delete process.env.SIGNAL_WALLET_PATH;
    }
    expect(output()).toEqual({
      path: root,
      wallets: [{ name: 'miner', coldkey_ss58: created.coldkey_ss58, hotkeys: ['hk1'] }],
    });
  });

  it('refuses to overwrite and reports a missing wallet by code', async () => {
    await run('create', '--wallet.path', root);
    await expect(run('create', '--wallet.path', root)).rejects.toMatchObject({
      code: 'KEYFILE_EXISTS',
    });
    await expect(
      run('show', '--wallet.path', root, '--wallet.name', 'nobody'),
    ).rejects.toMatchObject({
      code: 'KEYFILE_NOT_FOUND',
    });
  });
});
