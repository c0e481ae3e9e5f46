import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getHFHubCachePath } from '@huggingface/hub';

/** Where and how to reach the Hub, read from the environment the way `huggingface_hub` reads it. */
export interface HubSettings {
  /** `HF_ENDPOINT`, default `https://huggingface.co`. */
  endpoint: string;
  /** `HF_TOKEN`, else the token file `huggingface-cli login` writes (`$HF_HOME/token`). */
  token: string | undefined;
  /** `HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
  cacheDir: string;
  /** `HF_HUB_OFFLINE=1`: never touch the network, serve from the cache or fail. */
  offline: boolean;
}

const TRUE = new Set(['1', 'on', 'yes', 'true']);

/** The settings in the process environment, with `overrides` on top. */
export async function hubSettings(overrides: Partial<HubSettings> = {}): Promise<HubSettings> {
  const env = process.env;
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  const token =
    overrides.token ??
    env.HF_TOKEN ??
    (await readFile(env.HF_TOKEN_PATH ?? join(home, 'token'), 'utf8').then(
      (t) => t.trim() || undefined,
      () => undefined,
    ));
  return {
    endpoint: (overrides.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(
      /\/+$/,
      '',
    ),
    token,
    cacheDir: overrides.cacheDir ?? getHFHubCachePath(),
    offline: overrides.offline ?? TRUE.has((env.HF_HUB_OFFLINE ?? '').toLowerCase()),
  };
}
