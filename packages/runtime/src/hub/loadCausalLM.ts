import { join } from 'node:path';
import { CausalLM, type CausalLMLoadOptions } from '../causal/CausalLM';
import { HubCache } from './HubCache';
import { isHubRef, parseHubRef } from './HubRef';
import { hubSettings } from './HubSettings';
import { type PullOptions, pullModel } from './pullModel';

export interface LoadCausalLMOptions extends CausalLMLoadOptions {
  /** How an `hf:` location is pulled (settings, progress, concurrency); the variant is `dtype`. */
  pull?: Omit<PullOptions, 'dtype' | 'kind'>;
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A CausalLM from a configured location: a model directory, or `hf:org/name@rev[/sub]`
 * pulled into the huggingface_hub cache. On a warm cache the session on the snapshot the
 * revision last pointed to opens while the Hub is asked where it points now (one round trip
 * that no longer adds to the load); the session is kept when the answer is the same commit,
 * released and the new snapshot pulled and loaded when the branch moved, loaded again once the
 * pull has completed a snapshot that lacked a file, and released when the pull fails (its
 * error is thrown, as a cold load would throw it).
 */
export async function loadCausalLM(
  location: string,
  options: LoadCausalLMOptions = {},
): Promise<CausalLM> {
  const { pull: pullOptions = {}, ...load } = options;
  if (!isHubRef(location)) return CausalLM.load(location, load);
  const ref = parseHubRef(location);
  const pull: PullOptions = {
    ...pullOptions,
    kind: 'model',
    ...(load.dtype ? { dtype: load.dtype } : {}),
  };
  const settings = await hubSettings(pullOptions.settings);
  // Offline and pinned pulls ask nothing of the Hub: there is no round trip to overlap.
  const seen =
    settings.offline || COMMIT.test(ref.revision)
      ? undefined
      : await new HubCache(settings.cacheDir, ref.repo).resolveRevision(ref.revision);
  if (!seen) return CausalLM.load((await pullModel(ref, pull)).dir, load);
  const cached = join(new HubCache(settings.cacheDir, ref.repo).snapshotDir(seen), ref.subfolder);
  const [opened, pulled] = await Promise.allSettled([
    CausalLM.load(cached, load),
    pullModel(ref, pull),
  ]);
  if (pulled.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.dispose();
    throw pulled.reason;
  }
  if (pulled.value.dir === cached && opened.status === 'fulfilled') return opened.value;
  // The branch moved, or the snapshot lacked a file the pull has now fetched: load what it returned.
  if (opened.status === 'fulfilled') await opened.value.dispose();
  return CausalLM.load(pulled.value.dir, load);
}
