import { serveMetrics } from '@signal/core';
import { ValidatorMetrics } from '@signal/validator';

it('serves the validator metrics in the Prometheus text format, on its own registry', async () => {
  const first = new ValidatorMetrics();
  const second = new ValidatorMetrics();
  first.requests.inc({ tier: 'research', outcome: 'valid' }, 3);
  first.minerScore.set({ uid: '4', tier: 'research' }, 0.5);
  const server = await serveMetrics(first.registry, { port: 0 });
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('signal_validator_requests_total{tier="research",outcome="valid"} 3');
    expect(text).toContain('signal_validator_miner_score{uid="4",tier="research"} 0.5');
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
  } finally {
    await server.close();
  }
  expect(await second.registry.metrics()).not.toContain('outcome="valid"');
});
