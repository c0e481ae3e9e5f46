import {
  type AxonTarget,
  BINARY_ROUTE_LIMIT,
  type Dendrite,
  FRAME_VERSION,
  Metadata,
} from '@signal/core';

/**
 * Which miners serve the binary route, from their `Metadata` (asked once per miner and
 * remembered for `ttlMs`). A miner that does not answer is taken not to: its payloads come
 * in the synapse JSON, which every miner serves.
 */
export class BinaryRoutes {
  private readonly known = new Map<string, { at: number; binary: Promise<boolean> }>();

  constructor(
    private readonly dendrite: Dendrite,
    private readonly ttlMs: number,
  ) {}

  speaksBinary(axon: AxonTarget, timeoutSeconds: number, signal: AbortSignal): Promise<boolean> {
    const key = `${axon.hotkey}@${axon.ip}:${axon.port}`;
    const cached = this.known.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.binary;
    const binary = this.dendrite
      .call(axon, Metadata, Metadata.schema.parse({}), { timeout: timeoutSeconds, signal })
      .then((result) => result.ok && result.synapse.limits[BINARY_ROUTE_LIMIT] === FRAME_VERSION);
    this.known.set(key, { at: Date.now(), binary });
    // An aborted or failed look-up is not remembered.
    binary.then((ok) => {
      if (!ok && signal.aborted) this.known.delete(key);
    });
    return binary;
  }
}
