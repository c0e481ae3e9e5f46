import { DEFAULT_TIERS } from '@signal/core';
import type { GatewayStore, MinerView } from '@signal/gateway';

/** One store under test: `open` gives a fresh, empty store (a new dir, a new namespace). */
export interface StoreUnderTest {
  open(): Promise<GatewayStore>;
}

export function minerView(block: number): MinerView {
  return {
    schemaVersion: 1,
    netuid: 7,
    block,
    publishedAt: 1,
    validatorHotkey: 'validator',
    tiers: [...DEFAULT_TIERS],
    defaultModels: { research: 'signal/recall' },
    // The geometry the validator's evaluator reports for a model, kvDtype included.
    geometries: {
      'signal/recall': { layers: 2, kvHeads: 2, headDim: 16, hidden: 64, kvDtype: 'float32' },
    },
    miners: [
      {
        uid: 3,
        hotkey: 'miner-3',
        axon: { ip: '127.0.0.1', port: 9003, hotkey: 'miner-3' },
        tier: 'research',
        models: [],
        methods: ['knorm'],
        score: 0.5,
        weight: 1,
        latencyMs: 10,
      },
    ],
  };
}

const unlimited = { requestsPerMinute: null, tokensPerDay: null };

/** The behaviour every GatewayStore must have, run against each implementation. */
export function describeGatewayStore(name: string, subject: StoreUnderTest): void {
  describe(`${name} store`, () => {
    let store: GatewayStore;
    beforeEach(async () => {
      store = await subject.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates keys it lists without their secrets, and finds their credentials', async () => {
      const created = await store.createKey({ name: 'app', limits: unlimited });
      expect(created.key).toMatch(/^sig_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.key).toContain(created.info.id);
      const listed = await store.listKeys();
      expect(listed).toEqual([created.info]);
      expect(JSON.stringify(listed)).not.toContain(created.key.slice(-43));
      expect(Object.keys(listed[0]!)).not.toContain('hash');
      const credential = await store.credential(created.info.id);
      expect(credential).toMatchObject({ id: created.info.id, scopes: ['condense'] });
      expect(await store.credential('000000000000')).toBeUndefined();
    });

    it('refuses bad key parameters by name', async () => {
      await expect(store.createKey({ name: '', limits: unlimited })).rejects.toMatchObject({
        code: 'GATEWAY_BAD_KEY_PARAMETERS',
      });
      await expect(
        store.createKey({ name: 'x', limits: { requestsPerMinute: 0, tokensPerDay: null } }),
      ).rejects.toMatchObject({ code: 'GATEWAY_BAD_KEY_PARAMETERS' });
      await expect(store.revokeKey('abcdefabcdef')).rejects.toMatchObject({
        code: 'GATEWAY_KEY_UNKNOWN',
      });
      await expect(
        store.setKeyLimits('abcdefabcdef', { requestsPerMinute: 3 }),
      ).rejects.toMatchObject({ code: 'GATEWAY_KEY_UNKNOWN' });
    });

    it('admits exactly the requests per minute, then says when to retry', async () => {
      const { info } = await store.createKey({
        name: 'rpm',
        limits: { requestsPerMinute: 3, tokensPerDay: null },
      });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.admit({ keyId: info.id, reserveTokens: 0 })),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(3);
      for (const refused of results.filter((r) => !r.admitted)) {
        expect(refused).toMatchObject({ reason: 'requests_per_minute' });
        if (!refused.admitted) {
          expect(refused.retryAfterMs).toBeGreaterThan(0);
          expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
        }
      }
      const [usage] = await store.usage({ keyId: info.id });
      expect(usage).toMatchObject({ requests: 3, rateLimited: 2 });
    });

    it('holds a day budget with reservations that settle to the tokens returned', async () => {
      const { info } = await store.createKey({
        name: 'tpd',
        limits: { requestsPerMinute: null, tokensPerDay: 100 },
      });
      const first = await store.admit({ keyId: info.id, reserveTokens: 60 });
      expect(first.admitted).toBe(true);
      // 60 reserved: another 60 would overshoot the budget.
      expect(await store.admit({ keyId: info.id, reserveTokens: 60 })).toMatchObject({
        admitted: false,
        reason: 'tokens_per_day',
      });
      if (!first.admitted) throw new Error('unreachable');
      await store.settle({
        id: 's1',
        keyId: info.id,
        ticket: first.ticket,
        status: 200,
        tokensIn: 400,
        tokensOut: 20,
      });
      // Settled at 20 tokens: 20 + 60 fits.
      expect((await store.admit({ keyId: info.id, reserveTokens: 60 })).admitted).toBe(true);
      const [usage] = await store.usage({ keyId: info.id });
      expect(usage).toMatchObject({
        requests: 2,
        tokensIn: 400,
        tokensOut: 20,
        reservedTokens: 60,
        status2xx: 1,
        rateLimited: 1,
      });
    });

    it('applies a settlement delivered twice once', async () => {
      const { info } = await store.createKey({ name: 'twice', limits: unlimited });
      const settlement = { id: 'same', keyId: info.id, status: 502, tokensIn: 5, tokensOut: 0 };
      await store.settle(settlement);
      await store.settle(settlement);
      const [usage] = await store.usage({ keyId: info.id });
      expect(usage).toMatchObject({ tokensIn: 5, status5xx: 1 });
    });

    it('refuses revoked and unknown keys, and applies new limits at once', async () => {
      const { info } = await store.createKey({
        name: 'r',
        limits: { requestsPerMinute: 2, tokensPerDay: null },
      });
      expect((await store.admit({ keyId: info.id, reserveTokens: 0 })).admitted).toBe(true);
      const limited = await store.setKeyLimits(info.id, { requestsPerMinute: 1 });
      expect(limited.limits).toEqual({ requestsPerMinute: 1, tokensPerDay: null });
      expect(await store.admit({ keyId: info.id, reserveTokens: 0 })).toMatchObject({
        admitted: false,
        reason: 'requests_per_minute',
      });
      const revoked = await store.revokeKey(info.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect(await store.admit({ keyId: info.id, reserveTokens: 0 })).toMatchObject({
        admitted: false,
        reason: 'revoked',
      });
      expect(await store.admit({ keyId: 'abcdefabcdef', reserveTokens: 0 })).toMatchObject({
        admitted: false,
        reason: 'unknown',
      });
    });

    it('filters usage by key and day', async () => {
      const a = await store.createKey({ name: 'a', limits: unlimited });
      const b = await store.createKey({ name: 'b', limits: unlimited });
      await store.settle({ id: '1', keyId: a.info.id, status: 400, tokensIn: 0, tokensOut: 0 });
      await store.settle({ id: '2', keyId: b.info.id, status: 200, tokensIn: 9, tokensOut: 3 });
      const all = await store.usage();
      expect(all.map((d) => d.keyId).sort()).toEqual([a.info.id, b.info.id].sort());
      expect(await store.usage({ keyId: b.info.id })).toEqual([
        expect.objectContaining({ keyId: b.info.id, tokensIn: 9, tokensOut: 3, status2xx: 1 }),
      ]);
      expect(await store.usage({ from: '2000-01-01', to: '2000-01-02' })).toEqual([]);
    });

    it('keeps the published miner view and changes its version on every publication', async () => {
      expect(await store.minerView()).toBeUndefined();
      const before = await store.minerViewVersion();
      await store.publishMinerView(minerView(10));
      const after = await store.minerViewVersion();
      expect(after).not.toBe(before);
      expect(await store.minerView()).toEqual(minerView(10));
      await store.publishMinerView(minerView(11));
      expect(await store.minerViewVersion()).not.toBe(after);
      expect((await store.minerView())?.block).toBe(11);
    });

    it('cools a failing miner down, for its own Retry-After when it gave one', async () => {
      await store.recordMinerOutcome('slow', { ok: false });
      await store.recordMinerOutcome('busy', { ok: false, retryAfterMs: 30_000 });
      const cooling = await store.minerCooldowns();
      expect(cooling.get('slow')).toBeGreaterThan(0);
      expect(cooling.get('slow')).toBeLessThanOrEqual(2_000);
      expect(cooling.get('busy')).toBeGreaterThan(2_000);
      expect(cooling.get('busy')).toBeLessThanOrEqual(30_000);
      const { info } = await store.createKey({ name: 'c', limits: unlimited });
      const admission = await store.admit({ keyId: info.id, reserveTokens: 0 });
      expect(admission.admitted && [...admission.cooldowns.keys()].sort()).toEqual([
        'busy',
        'slow',
      ]);
      await store.recordMinerOutcome('busy', { ok: true });
      expect([...(await store.minerCooldowns()).keys()]).toEqual(['slow']);
      // A second failure in a row doubles the backoff.
      await store.recordMinerOutcome('slow', { ok: false });
      expect((await store.minerCooldowns()).get('slow')).toBeGreaterThan(2_000);
    });
  });
}
