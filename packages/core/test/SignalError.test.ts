import { isSignalError, SignalError } from '../src/errors/SignalError';

describe('SignalError', () => {
  it('renders the short message followed by details and keeps a stable code', () => {
    const error = new SignalError('TIER_UNKNOWN', 'Unknown tier "gold".', {
      details: 'Known tiers: research, inference_0, inference_1.',
    });
    expect(error.code).toBe('TIER_UNKNOWN');
    expect(error.shortMessage).toBe('Unknown tier "gold".');
    expect(error.message).toBe(
      'Unknown tier "gold".\nDetails: Known tiers: research, inference_0, inference_1.',
    );
  });

  it('walks the cause chain to the root, or to the first match', () => {
    const root = new TypeError('socket hang up');
    const middle = new SignalError('DENDRITE_UNREACHABLE', 'Miner unreachable.', { cause: root });
    const top = new SignalError('CLIENT_NO_MINERS', 'No miner answered.', { cause: middle });
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => isSignalError(e, 'DENDRITE_UNREACHABLE'))).toBe(middle);
    expect(top.walk((e) => isSignalError(e, 'NOT_THERE'))).toBeNull();
  });

  it('is recognised by isSignalError and nothing else is', () => {
    expect(isSignalError(new SignalError('X', 'x'))).toBe(true);
    expect(isSignalError(new Error('x'))).toBe(false);
    expect(isSignalError('x')).toBe(false);
  });
});
