import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const BIN = join(__dirname, 'fixtures', 'neuronBin.ts');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture binary; `whenServing` is called once it prints "serving". */
function run(argv: string[], whenServing?: (kill: (signal: NodeJS.Signals) => void) => void) {
  const child = spawn(TSX, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (whenServing && stdout.includes('serving\n')) {
      const notify = whenServing;
      whenServing = undefined;
      notify((signal) => child.kill(signal));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<Exit>((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

describe('runNeuronBin', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'aborts the neuron on %s, lets it finish, exits 0 and drops its listeners',
    async (signal) => {
      const exit = await run(['serve'], (kill) => kill(signal));
      expect(exit).toEqual({
        code: 0,
        stdout: 'serving\nstopped\nstop listeners left: 0\n',
        stderr: '',
      });
    },
  );

  it("exits with a CommanderError's own code and prints nothing more", async () => {
    const exit = await run(['commander']);
    expect(exit.code).toBe(3);
    expect(exit.stderr).toBe('');
  });

  it('lets commander print a bad flag and exits 1', async () => {
    const exit = await run(['parse', '--netuid', 'seven']);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('--netuid must be an integer in [0, 65535], got "seven".');
    expect(exit.stderr).toContain('Usage: test-neuron');
    expect(exit.stderr).not.toContain('test-neuron: ');
  });

  it('prints a SignalError as one "name: CODE: message" report and exits 1', async () => {
    const exit = await run(['signal']);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toBe(
      'test-neuron: TEST_REFUSED: Refused on purpose.\nDetails: the test asked\n',
    );
  });

  it('prints any other failure by its message and exits 1', async () => {
    expect(await run(['plain'])).toMatchObject({ code: 1, stderr: 'test-neuron: boom\n' });
    expect(await run(['odd'])).toMatchObject({
      code: 1,
      stderr: 'test-neuron: unknown mode odd\n',
    });
  });
});
