import { pullModel } from '@signal/runtime';

/**
 * `pullInChild.ts <endpoint> <cacheDir> <ref>`: one pull in its own process, as a second
 * operator's command would run it. Prints each progress event, then `{type:'pulled'}`, as
 * JSON lines on stdout; a failure is `{type:'failed', code, message}` and exit code 1.
 */
async function main(): Promise<void> {
  const [endpoint, cacheDir, ref] = process.argv.slice(2);
  if (!endpoint || !cacheDir || !ref)
    throw new Error('usage: pullInChild <endpoint> <cache> <ref>');
  const print = (event: unknown) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const pulled = await pullModel(ref, {
    settings: { endpoint, cacheDir, offline: false },
    onProgress: print,
  });
  print({ type: 'pulled', dir: pulled.dir, downloadedBytes: pulled.downloadedBytes });
}

main().catch((error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  process.stdout.write(`${JSON.stringify({ type: 'failed', code, message })}\n`);
  process.exitCode = 1;
});
