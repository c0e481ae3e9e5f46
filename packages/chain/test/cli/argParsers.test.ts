import { booleanFlag, integerIn } from '@signal/chain';
import { InvalidArgumentError } from 'commander';

describe('integerIn', () => {
  const port = integerIn('--metrics.port', 0, 65_535);

  it('takes whole numbers within the range, edges included', () => {
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65_535);
    expect(port(' 8091 ')).toBe(8091);
  });

  it.each(['abc', '1.5', '-1', '1e3', '0x10', '', ' '])('refuses %j, naming the flag', (raw) => {
    expect(() => port(raw)).toThrow(InvalidArgumentError);
    expect(() => port(raw)).toThrow(
      `--metrics.port must be an integer in [0, 65535], got "${raw}".`,
    );
  });

  it('refuses an out-of-range port and a number beyond 2^53', () => {
    expect(() => port('65536')).toThrow(
      '--metrics.port must be an integer in [0, 65535], got "65536".',
    );
    expect(() => integerIn('--n', 0, Number.MAX_SAFE_INTEGER)('9007199254740993')).toThrow(
      /--n must be an integer/,
    );
  });
});

describe('booleanFlag', () => {
  const debug = booleanFlag('--logging.debug');

  it.each(['1', 'true', 'YES', ' on ', ''])('reads %j as on', (raw) => {
    expect(debug(raw)).toBe(true);
  });

  it.each(['0', 'false', 'No', 'OFF'])('reads %j as off', (raw) => {
    expect(debug(raw)).toBe(false);
  });

  it('refuses any other word, naming the flag', () => {
    expect(() => debug('maybe')).toThrow(InvalidArgumentError);
    expect(() => debug('maybe')).toThrow('--logging.debug takes true or false, got "maybe".');
  });
});
