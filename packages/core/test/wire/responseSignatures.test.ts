import { ResponseSignatures, type SignWhere } from '../../src/wire/axon/ResponseSignatures';

/** A nonce clock the test moves by hand, in milliseconds. */
function manualClock() {
  let ms = 1_000;
  return {
    now: () => BigInt(ms) * 1_000_000n,
    advance: (by: number) => {
      ms += by;
    },
  };
}

interface Call {
  readonly nonce: bigint;
  readonly hotkey: string;
  readonly where: SignWhere;
  readonly settle: { resolve: (signature: string) => void; reject: (error: Error) => void };
}

/** A signer whose signatures arrive when the test settles them. */
function deferredSigner() {
  const calls: Call[] = [];
  const sign = (nonce: bigint, hotkey: string, where: SignWhere) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ nonce, hotkey, where, settle: { resolve, reject } });
    });
  return { calls, sign };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('ResponseSignatures', () => {
  it('shares one signature per dendrite hotkey within the window, then signs a new nonce', async () => {
    const clock = manualClock();
    const signer = deferredSigner();
    const responses = new ResponseSignatures(10, clock.now, signer.sign);
    const first = responses.for('5Alice', 'where free');
    clock.advance(9);
    expect(responses.for('5Alice', 'where free')).toBe(first);
    const other = responses.for('5Bob', 'where free');
    expect(other).not.toBe(first);
    expect(signer.calls.map((c) => c.hotkey)).toEqual(['5Alice', '5Bob']);
    clock.advance(1);
    const next = responses.for('5Alice', 'where free');
    expect(next).not.toBe(first);
    expect(next.nonce - first.nonce).toBe(10_000_000n);
    signer.calls[0]!.settle.resolve('0xfirst');
    await expect(first.signature).resolves.toBe('0xfirst');
    await settled();
    expect(first.signed).toBe('0xfirst');
  });

  it('signs every response with a window of 0', () => {
    const clock = manualClock();
    const signer = deferredSigner();
    const responses = new ResponseSignatures(0, clock.now, signer.sign);
    const a = responses.for('5Alice', 'where free');
    const b = responses.for('5Alice', 'where free');
    expect(a).not.toBe(b);
    expect(signer.calls).toHaveLength(2);
  });

  it('signs here, and keeps that one, when a refusal cannot wait for the pending signature', async () => {
    const clock = manualClock();
    const signer = deferredSigner();
    const responses = new ResponseSignatures(10, clock.now, signer.sign);
    const pending = responses.for('5Alice', 'where free');
    const here = responses.for('5Alice', 'here');
    expect(here).not.toBe(pending);
    expect(signer.calls.map((c) => c.where)).toEqual(['where free', 'here']);
    signer.calls[1]!.settle.resolve('0xhere');
    await settled();
    expect(responses.for('5Alice', 'here')).toBe(here);
    expect(responses.for('5Alice', 'where free')).toBe(here);
    expect(signer.calls).toHaveLength(2);
  });

  it('does not hand a failed signature to the next response', async () => {
    const clock = manualClock();
    const signer = deferredSigner();
    const responses = new ResponseSignatures(10, clock.now, signer.sign);
    const failed = responses.for('5Alice', 'where free');
    signer.calls[0]!.settle.reject(new Error('a signature thread died'));
    await expect(failed.signature).rejects.toThrow('a signature thread died');
    await settled();
    const retried = responses.for('5Alice', 'where free');
    expect(retried).not.toBe(failed);
    expect(signer.calls).toHaveLength(2);
  });

  it('stays bounded under a flood of distinct hotkeys, still sharing within a window', () => {
    const clock = manualClock();
    const signer = deferredSigner();
    const responses = new ResponseSignatures(10, clock.now, signer.sign);
    for (let i = 0; i < 5_000; i++) responses.for(`5Flood${i}`, 'where free');
    expect(responses.remembered).toBeLessThanOrEqual(1024);
    const kept = responses.for('5Kept', 'where free');
    expect(responses.for('5Kept', 'where free')).toBe(kept);
  });
});
