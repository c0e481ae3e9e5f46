import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createWallet, LocalChain, LocalChainRuleError, LocalChainStateError } from '@signal/chain';
import { createProgram } from '@signal/cli';
import { CommanderError } from 'commander';
import { captureOutput } from './support/capturedOutput';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

let root: string;
let file: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'signal-cli-localchain-'));
  file = path.join(root, 'chain.json');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'localchain', ...args]);
const printed = captureOutput();
const output = () => printed.json();
const wallets = () => path.join(root, 'wallets');
const register = (name: string, ...extra: string[]) =>
  run('register', '--file', file, '--wallet.path', wallets(), '--wallet.name', name, ...extra);

describe('signal localchain', () => {
  it('creates a subnet and registers wallets that the neurons then find on it', async () => {
    await run('create', '--file', file, '--netuid', '3', '--tempo', '20');
    expect(output()).toEqual({ network: `local:${file}`, netuid: 3, block: 0, tempo: 20 });

    const validator = await createWallet({ root: wallets(), name: 'validator', hotkey: 'default' });
    const miner = await createWallet({ root: wallets(), name: 'miner', hotkey: 'default' });
    await register('validator', '--netuid', '3', '--stake', '100.5');
    expect(output()).toEqual({
      network: `local:${file}`,
      netuid: 3,
      uid: 0,
      hotkey_ss58: validator.wallet.hotkey.address,
      coldkey_ss58: validator.wallet.coldkeyAddress,
      stake_rao: '100500000000',
      validator_permit: true,
    });
    await register('miner', '--netuid', '3');
    expect(output()).toMatchObject({ uid: 1, stake_rao: '0', validator_permit: false });

    const chain = await LocalChain.open({ file, readOnly: true });
    const metagraph = await chain.metagraph(3);
    expect(metagraph.neurons.map((n) => n.hotkey)).toEqual([
      validator.wallet.hotkey.address,
      miner.wallet.hotkey.address,
    ]);
    expect((await chain.hyperparameters(3)).tempo).toBe(20);
    await chain.close();
  });

  it('says what is wrong: an existing subnet, a second registration, a missing file', async () => {
    await run('create', '--file', file);
    await expect(run('create', '--file', file)).rejects.toThrow(
      new LocalChainRuleError('Subnet 1 already exists'),
    );
    await createWallet({ root: wallets(), name: 'miner', hotkey: 'default' });
    await register('miner');
    await expect(register('miner')).rejects.toBeInstanceOf(LocalChainRuleError);
    const missing = path.join(root, 'nowhere.json');
    await expect(
      run('register', '--file', missing, '--wallet.path', wallets(), '--wallet.name', 'miner'),
    ).rejects.toThrow(expect.objectContaining({ code: 'LOCAL_CHAIN_STATE', path: missing }));
    await expect(
      run('register', '--file', missing, '--wallet.path', wallets(), '--wallet.name', 'miner'),
    ).rejects.toBeInstanceOf(LocalChainStateError);
  });

  it('prints the error code and details from the binary, and exits 1', async () => {
    const bin = path.join(__dirname, '..', 'dist', 'bin.js');
    const missing = path.join(root, 'nowhere.json');
    const failure = await promisify(execFile)(process.execPath, [
      bin,
      'localchain',
      'register',
      '--file',
      missing,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toContain(
      `signal: LOCAL_CHAIN_STATE: Cannot load LocalChain state from ${missing}`,
    );
    expect(stderr).toContain('signal localchain create --file FILE');
  });

  it('refuses a stake that is not a TAO amount and a netuid out of range', async () => {
    await run('create', '--file', file);
    await expect(register('miner', '--stake', '-1')).rejects.toBeInstanceOf(CommanderError);
    await expect(register('miner', '--stake', '1e3')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('create', '--file', file, '--netuid', '70000')).rejects.toBeInstanceOf(
      CommanderError,
    );
    await expect(run('create')).rejects.toBeInstanceOf(CommanderError);
  });
});
