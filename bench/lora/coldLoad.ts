/**
 * Cold load of one r=16 adapter (q,k,v,o) for the `small` model into a fresh AdapterStore:
 * from a local directory, and over loopback HTTP with sha256 verification into an empty disk
 * cache. Baseline, same run: reading the two adapter files with fs.readFile and nothing else.
 * Prints JSON.
 *
 *   npx tsx bench/lora/coldLoad.ts [iterations=30]
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  AdapterStore,
  httpSource,
  localDirSource,
  readModelLinears,
} from '../../packages/lora/src/index';
import { makeFixture, median, timeMs } from './fixtures';

const iterations = Number(process.argv[2] ?? 30);

async function main(): Promise<void> {
  const fixture = await makeFixture(1);
  const name = fixture.adapterNames[0]!;
  const dir = join(fixture.adaptersDir, name);
  const files = new Map<string, Buffer>();
  for (const file of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE])
    files.set(`/${name}/${file}`, await readFile(join(dir, file)));
  const server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': body.byteLength }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const targets = await readModelLinears(fixture.modelDir);
    const sha = (file: string) =>
      createHash('sha256')
        .update(files.get(`/${name}/${file}`)!)
        .digest('hex');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}/`;
    const spec = {
      url,
      sha256: {
        [ADAPTER_CONFIG_FILE]: sha(ADAPTER_CONFIG_FILE),
        [ADAPTER_WEIGHTS_FILE]: sha(ADAPTER_WEIGHTS_FILE),
      },
    };
    const times = { readFiles: [] as number[], local: [] as number[], http: [] as number[] };
    for (let i = 0; i <= iterations; i++) {
      const read = await timeMs(() =>
        Promise.all([
          readFile(join(dir, ADAPTER_CONFIG_FILE)),
          readFile(join(dir, ADAPTER_WEIGHTS_FILE)),
        ]),
      );
      const local = await timeMs(() =>
        new AdapterStore({
          targets,
          sources: [localDirSource(fixture.adaptersDir)],
          maxBytes: 64 << 20,
        }).load(name),
      );
      const cacheDir = join(fixture.root, `http-cache-${i}`);
      const source = httpSource({ adapters: { [name]: spec }, cacheDir, maxBytes: 64 << 20 });
      const http = await timeMs(() =>
        new AdapterStore({ targets, sources: [source], maxBytes: 64 << 20 }).load(name),
      );
      await rm(cacheDir, { recursive: true, force: true });
      if (i > 0) {
        times.readFiles.push(read);
        times.local.push(local);
        times.http.push(http);
      }
    }
    const baseline = median(times.readFiles);
    console.log(
      JSON.stringify(
        {
          benchmark: 'lora.coldLoad',
          adapter: {
            rank: 16,
            targets: 'q,k,v,o',
            layers: 4,
            weightBytes: (await stat(join(dir, ADAPTER_WEIGHTS_FILE))).size,
          },
          iterations,
          baseline: { name: 'fs.readFile of both adapter files', ms: baseline },
          localDir: { ms: median(times.local), ratioToBaseline: median(times.local) / baseline },
          httpLoopbackVerified: {
            ms: median(times.http),
            ratioToBaseline: median(times.http) / baseline,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await fixture.cleanup();
  }
}

void main();
