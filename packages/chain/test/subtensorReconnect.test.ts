import { Subtensor } from '../src/subtensor/Subtensor';
import { startReplayServer } from '../src/testing';
import { finneyFixture } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

describe('Subtensor reconnects', () => {
  it('recovers after the node restarts on the same port', async () => {
    const fixture = finneyFixture();
    const first = await startReplayServer(fixture);
    const subtensor = await Subtensor.connect({
      network: first.url,
      timeoutMs: 30_000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    });
    try {
      expect(await subtensor.currentBlock()).toBe(6852690);
      await first.close();
      // While the node is down a call fails with a typed error instead of hanging.
      await expect(subtensor.currentBlock()).rejects.toMatchObject({
        code: expect.stringMatching(/^CHAIN_/),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await startReplayServer({ ...fixture, port: first.port });
      try {
        const deadline = Date.now() + 30_000;
        let block: number | undefined;
        while (block === undefined && Date.now() < deadline) {
          block = await subtensor.currentBlock().catch(() => undefined);
          if (block === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(block).toBe(6852690);
        expect(second.requests).toContain('chain_getHeader');
      } finally {
        await second.close();
      }
    } finally {
      await subtensor.close();
    }
  });
});
