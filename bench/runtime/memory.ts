/**
 * Resident memory per loaded model against the size of its files. A child process per
 * variant loads four `small` builder models (different seeds) one after another and keeps
 * them all loaded; the RSS growth of loads 2–4 is the per-model cost (load 1 also pays ORT's
 * one-time set-up). Variants: a bare `InferenceSession.create` with the same options (the
 * baseline) and `CausalLM.load` (session + tokenizer + introspection); both then run one
 * 128-token prefill per model so ORT's arena is counted too. Prints JSON.
 *
 *   npx tsx bench/runtime/memory.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  buildModel,
  CausalLM,
  locateModelFiles,
  SessionOptionsSchema,
  toOrtSessionOptions,
} from '../../packages/runtime/src/index';
import { median, promptIds, round } from './fixtures';

const MiB = 1024 * 1024;
const MODELS = 4;
const sessionOptions = { intraOpThreads: 1, interOpThreads: 1 };
const rss = () => process.memoryUsage.rss();

interface Measured {
  loaded: number[];
  afterPrefill: number[];
}

/** Runs in the child: loads every model, keeping all alive, and reports per-load RSS growth. */
async function measure(variant: 'bare' | 'causalLm', dirs: string[]): Promise<Measured> {
  const keep: unknown[] = [];
  const loaded: number[] = [];
  const afterPrefill: number[] = [];
  for (const dir of dirs) {
    const before = rss();
    if (variant === 'bare') {
      const session = await ort.InferenceSession.create(
        (await locateModelFiles(dir)).modelPath,
        toOrtSessionOptions(SessionOptionsSchema.parse(sessionOptions)),
      );
      loaded.push(rss() - before);
      await session.run(prefillFeeds(session));
      keep.push(session);
    } else {
      const lm = await CausalLM.load(dir, { session: sessionOptions });
      loaded.push(rss() - before);
      await lm.prefill(promptIds(128, lm.vocabSize));
      keep.push(lm);
    }
    afterPrefill.push(rss() - before);
  }
  return { loaded, afterPrefill };
}

/** A 128-token prefill for a bare session, shapes read from the session's own metadata. */
function prefillFeeds(session: ort.InferenceSession): Record<string, ort.Tensor> {
  const ids = promptIds(128, 256);
  const int64 = (values: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, 128]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(ids),
    attention_mask: int64(ids.map(() => 1)),
    position_ids: int64(ids.map((_, i) => i)),
  };
  for (const meta of session.inputMetadata) {
    if (!meta.name.startsWith('past_key_values.') || !meta.isTensor) continue;
    const [, heads, , dim] = meta.shape as [unknown, number, unknown, number];
    feeds[meta.name] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, dim]);
  }
  return feeds;
}

async function main(): Promise<void> {
  const [, , mode, ...childDirs] = process.argv;
  if (mode === 'bare' || mode === 'causalLm') {
    console.log(JSON.stringify(await measure(mode, childDirs)));
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-memory-'));
  const dirs: string[] = [];
  for (let seed = 0; seed < MODELS; seed++) {
    const dir = join(root, `small-${seed}`);
    await buildModel({ arch: 'llama', size: 'small', seed: 50 + seed, outDir: dir });
    dirs.push(dir);
  }
  const fileBytes = (await locateModelFiles(dirs[0]!)).modelBytes;
  const run = (variant: string): Measured => {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, variant, ...dirs], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`${variant} child failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measured;
  };
  const bare = run('bare');
  const ours = run('causalLm');
  const perModel = (values: number[]) => median(values.slice(1));
  const oursLoaded = perModel(ours.loaded);
  const oursAfter = perModel(ours.afterPrefill);
  const bareAfter = perModel(bare.afterPrefill);
  console.log(
    JSON.stringify(
      {
        bench: 'runtime/memory',
        model: 'small (builder), float32',
        fileMiB: round(fileBytes / MiB, 2),
        perModelRssMiB: {
          bareSessionLoaded: round(perModel(bare.loaded) / MiB, 2),
          bareSessionAfterPrefill: round(bareAfter / MiB, 2),
          causalLmLoaded: round(oursLoaded / MiB, 2),
          causalLmAfterPrefill: round(oursAfter / MiB, 2),
        },
        ratioToFiles: round(oursAfter / fileBytes, 2),
        ratioToBareSession: round(oursAfter / bareAfter, 2),
        firstLoadMiB: {
          bare: round(bare.afterPrefill[0]! / MiB, 1),
          causalLm: round(ours.afterPrefill[0]! / MiB, 1),
        },
      },
      null,
      2,
    ),
  );
  await rm(root, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
