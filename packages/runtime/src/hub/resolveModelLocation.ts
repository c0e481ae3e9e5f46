import { isHubRef } from './HubRef';
import { type PullOptions, pullModel } from './pullModel';

/**
 * A configured model or adapter location as a local directory: `hf:org/name@rev[/sub]` is
 * pulled into the huggingface_hub cache (or found there offline) and its snapshot returned;
 * anything else is a directory already and is returned as it is.
 */
export async function resolveModelLocation(
  location: string,
  options: PullOptions = {},
): Promise<string> {
  if (!isHubRef(location)) return location;
  return (await pullModel(location, options)).dir;
}

/** `resolveModelLocation` over a name → location map, one pull at a time. */
export async function resolveModelLocations(
  locations: Readonly<Record<string, string>>,
  options: PullOptions = {},
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [name, location] of Object.entries(locations)) {
    resolved[name] = await resolveModelLocation(location, options);
  }
  return resolved;
}
