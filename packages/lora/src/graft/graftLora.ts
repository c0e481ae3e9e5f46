import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { derivedModelDir, readModel, writeModel } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';
import type { LoraTarget } from '../peft/LoraAdapter';
import type { TargetSelector } from './findLoraTargets';
import { findModelFile } from './findModelFile';
import {
  GRAFT_MANIFEST_FILE,
  GRAFT_VERSION,
  type GraftManifest,
  GraftManifestSchema,
} from './GraftManifest';
import { graftGraph } from './graftGraph';

export interface GraftLoraOptions {
  /** Modules to graft, as PEFT `target_modules`: e.g. `['q_proj', 'v_proj']` or a regex. */
  readonly targets: TargetSelector;
  /** Recorded in the manifest; adapters above it are refused at load time. */
  readonly maxRank?: number | undefined;
  /** Defaults to a sibling of the model dir named after the targets (`derivedModelDir`). */
  readonly outDir?: string | undefined;
}

export interface GraftedModel {
  readonly dir: string;
  readonly modelPath: string;
  readonly manifest: GraftManifest;
  readonly targets: readonly LoraTarget[];
  /** True when an up-to-date graft was found and nothing was written. */
  readonly reused: boolean;
}

async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Reads the manifest of a grafted model directory; undefined when there is none or it is unreadable. */
export async function readGraftManifest(dir: string): Promise<GraftManifest | undefined> {
  try {
    const parsed = GraftManifestSchema.safeParse(
      JSON.parse(await readFile(join(dir, GRAFT_MANIFEST_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function manifestTargets(manifest: GraftManifest): LoraTarget[] {
  return manifest.modules.map(({ module, inFeatures, outFeatures }) => ({
    module,
    inFeatures,
    outFeatures,
  }));
}

/**
 * Grafts LoRA inputs into a model directory once and caches the result as another model
 * directory (same Hugging Face layout, plus `lora_graft.json`). A later call with the same
 * targets reuses it as long as the source model file has not changed.
 */
export async function graftLora(
  modelDir: string,
  options: GraftLoraOptions,
): Promise<GraftedModel> {
  const sourceDir = resolve(modelDir);
  const modelFile = await findModelFile(sourceDir);
  const modelPath = join(sourceDir, modelFile);
  const targets = typeof options.targets === 'string' ? options.targets : [...options.targets];
  const maxRank = options.maxRank ?? null;
  if (maxRank !== null && !(Number.isInteger(maxRank) && maxRank > 0)) {
    throw new LoraError('LORA_GRAFT_INVALID', `maxRank must be a positive integer, got ${maxRank}`);
  }
  const key = createHash('sha256')
    .update(JSON.stringify({ targets, maxRank, modelFile }))
    .digest('hex')
    .slice(0, 10);
  const outDir = resolve(options.outDir ?? derivedModelDir(sourceDir, `lora-${key}`));
  const source = await stat(modelPath);
  const existing = await readGraftManifest(outDir);
  // A stale graft is replaced wholesale, so never point that at a directory we did not write.
  if (!existing && (await pathExists(outDir))) {
    throw new LoraError('LORA_GRAFT_INVALID', `${outDir} exists and is not a grafted model`, {
      details: `Choose an empty or new directory; a graft is recognised by its ${GRAFT_MANIFEST_FILE}.`,
    });
  }
  if (
    existing &&
    existing.source.modelPath === modelPath &&
    existing.source.size === source.size &&
    existing.source.mtimeMs === source.mtimeMs &&
    JSON.stringify(existing.targets) === JSON.stringify(targets) &&
    existing.maxRank === maxRank
  ) {
    try {
      await stat(join(outDir, existing.modelFile));
      return {
        dir: outDir,
        modelPath: join(outDir, existing.modelFile),
        manifest: existing,
        targets: manifestTargets(existing),
        reused: true,
      };
    } catch {
      // the manifest outlived its model file: rebuild below
    }
  }
  const { model, grafted } = graftGraph(await readModel(modelPath), targets);
  const manifest: GraftManifest = {
    version: GRAFT_VERSION,
    source: { modelPath, size: source.size, mtimeMs: source.mtimeMs },
    targets,
    maxRank,
    modelFile,
    modules: grafted,
  };
  // Build in a temporary sibling and swap it in, so a crash never leaves a half-written graft.
  const temp = `${outDir}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(join(temp, dirname(modelFile)), { recursive: true });
    for (const entry of await readdir(sourceDir, { withFileTypes: true })) {
      if (entry.isFile()) await copyFile(join(sourceDir, entry.name), join(temp, entry.name));
    }
    const name = basename(modelFile);
    const sideData = (await readdir(dirname(modelPath))).some(
      (f) => f !== name && f.startsWith(name),
    );
    await writeModel(model, join(temp, modelFile), { externalData: sideData });
    await writeFile(join(temp, GRAFT_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(temp, outDir);
  } catch (cause) {
    await rm(temp, { recursive: true, force: true });
    if (cause instanceof LoraError) throw cause;
    throw new LoraError('LORA_GRAFT_INVALID', `Cannot write the grafted model to ${outDir}`, {
      cause,
    });
  }
  return {
    dir: outDir,
    modelPath: join(outDir, modelFile),
    manifest,
    targets: manifestTargets(manifest),
    reused: false,
  };
}
