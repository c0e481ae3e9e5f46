import path from 'node:path';
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
