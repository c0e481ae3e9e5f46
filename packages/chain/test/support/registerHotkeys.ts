/**
 * Run in a child process by localChainSharedFile.test.ts: opens the LocalChain file given as
 * the first argument and registers each further argument as a hotkey on subnet 1, all at once.
 */
import { LocalChain } from '../../src/local/LocalChain';

async function main(): Promise<void> {
  const [file, ...hotkeys] = process.argv.slice(2);
  const chain = await LocalChain.open({ file: file!, blockTimeMs: 0 });
  await Promise.all(
    hotkeys.map((hotkey) => chain.register({ netuid: 1, hotkey, coldkey: hotkey })),
  );
  await chain.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
