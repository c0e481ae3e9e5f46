import { Subtensor } from '../src/subtensor/Subtensor';
import { startReplayServer } from '../src/testing';
import { finneyFixture } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

describe('Subtensor reconnects', () => {
  it('recovers after the node restarts on the same port: a read made while it is down waits for it', async () => {
    const fixture = finneyFixture();
    const first = await startReplayServer(fixture);
    const subtensor = await Subtensor.connect({
      network: first.url,
      timeoutMs: 60_000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    });
    try {
      expect(await subtensor.currentBlock()).toBe(6852690);
      await first.close();
      const block = subtensor.currentBlock();
      const second = await startReplayServer({ ...fixture, port: first.port });
      try {
        await expect(block).resolves.toBe(6852690);
        expect(second.requests).toContain('chain_getHeader');
      } finally {
        await second.close();
      }
    } finally {
      await subtensor.close();
    }
  });
});
