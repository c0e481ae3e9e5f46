import { randomBytes } from 'node:crypto';
import {
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { derivedModelDir } from '../model/derivedModelDir';
import type { ModelDir } from '../model/loadModelDir';
import { decodeModel, encodeModel } from '../onnx/codec';
import { PositionsError } from './PositionsError';
import { rotaryToExplicitPositions } from './rotaryToExplicitPositions';

/** Bumped when the rewrite changes, so older cached copies are rebuilt. */
const REWRITE_VERSION = 1;
const MANIFEST = 'signal_positions.json';

interface Manifest {
  version: number;
  modelFile: string;
  source: { modelPath: string; size: number; mtimeMs: number };
}

/**
 * A copy of a model directory whose GroupQueryAttention graph takes explicit `position_ids`
 * (see `rotaryToExplicitPositions`), written once beside the model (`derivedModelDir`,
 * `-positions-<graph>`), swapped in atomically and reused while the source graph is
 * unchanged. Only the graph is rewritten: external data and the other files are hard links
 * to the originals (copies across filesystems), so no weights are duplicated on disk; ONNX
 * Runtime refuses external data behind a symlink that leaves the model's folder. Returns
 * the copy's directory.
 */
export async function explicitPositionsDir(modelDir: ModelDir): Promise<string> {
  const modelFile = relative(modelDir.dir, modelDir.modelPath);
  const out = derivedModelDir(modelDir.dir, `positions-${basename(modelFile, '.onnx')}`);
  const info = await stat(modelDir.modelPath);
  const wanted: Manifest = {
    version: REWRITE_VERSION,
    modelFile,
    source: { modelPath: modelDir.modelPath, size: info.size, mtimeMs: info.mtimeMs },
  };
  if (await upToDate(out, wanted)) return out;

  const model = decodeModel(await readFile(modelDir.modelPath));
  rotaryToExplicitPositions(model, { headDim: headDimOf(modelDir) });
  const temp = `${out}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(join(temp, dirname(modelFile)), { recursive: true });
    await writeFile(join(temp, modelFile), encodeModel(model));
    for (const entry of await readdir(modelDir.dir, { withFileTypes: true })) {
      const source = join(modelDir.dir, entry.name);
      if (source === modelDir.modelPath || entry.isDirectory()) continue;
      await linkOrCopy(source, join(temp, entry.name));
    }
    for (const file of modelDir.modelFiles) {
      if (file === modelDir.modelPath) continue;
      const target = join(temp, relative(modelDir.dir, file));
      await mkdir(dirname(target), { recursive: true });
      await rm(target, { force: true });
      await linkOrCopy(file, target);
    }
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(wanted, null, 2)}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(temp, out);
  } catch (cause) {
    await rm(temp, { recursive: true, force: true });
    // Another process may have written the same copy first.
    if (await upToDate(out, wanted)) return out;
    throw new PositionsError(
      'POSITIONS_REWRITE_FAILED',
      `cannot write the explicit-positions copy of ${modelDir.modelPath} to ${out}`,
      { details: cause instanceof Error ? cause.message : String(cause), cause },
    );
  }
  return out;
}

async function linkOrCopy(source: string, target: string): Promise<void> {
  const real = await realpath(source);
  try {
    await link(real, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(real, target);
  }
}

function headDimOf(modelDir: ModelDir): number {
  const { config } = modelDir;
  return config.head_dim ?? Math.floor(config.hidden_size / config.num_attention_heads);
}

async function upToDate(dir: string, wanted: Manifest): Promise<boolean> {
  try {
    const existing = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as unknown;
    if (JSON.stringify(existing) !== JSON.stringify(wanted)) return false;
    await stat(join(dir, wanted.modelFile));
    return true;
  } catch {
    return false;
  }
}
