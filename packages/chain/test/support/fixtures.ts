import path from 'node:path';
import { Subtensor } from '../../src/subtensor/Subtensor';
import { loadRecording, type ReplayServer, startReplayServer } from '../../src/testing';

export const FINNEY_DIR = path.resolve(__dirname, '../../../../../shared/fixtures/finney');

export function finneyFixture() {
  return loadRecording(
    path.join(FINNEY_DIR, 'netuid1-block6852690.json'),
    path.join(FINNEY_DIR, 'metadata-v15-spec343.hex'),
  );
}

export function startFinneyReplay(): Promise<ReplayServer> {
  return startReplayServer(finneyFixture());
}

/**
 * A Subtensor connected to a finney replay node for the tests of the calling `describe`:
 * both start before its first test and close after its last.
 */
export function subtensorOnFinneyReplay(): { subtensor(): Subtensor; server(): ReplayServer } {
  let server: ReplayServer | undefined;
  let subtensor: Subtensor | undefined;
  beforeAll(async () => {
    server = await startFinneyReplay();
    subtensor = await Subtensor.connect({ network: server.url, timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await subtensor?.close();
    await server?.close();
  });
  return { subtensor: () => subtensor!, server: () => server! };
}
