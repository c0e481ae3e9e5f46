import { decodeIp, encodeIp, InvalidIpError } from '../src/net/ipCodec';

describe('IP codec', () => {
  it('round-trips IPv4 through the chain u128', () => {
    expect(encodeIp('192.222.59.109')).toEqual({ value: 3235789677n, ipType: 4 });
    expect(decodeIp(3235789677n, 4)).toBe('192.222.59.109');
    expect(decodeIp(0n, 4)).toBe('0.0.0.0');
  });

  it('round-trips IPv6 in RFC 5952 form', () => {
    for (const ip of ['2001:db8::1', '::1', 'fe80::1:2:3:4', '2001:db8:0:1:1:1:1:1', '::']) {
      const encoded = encodeIp(ip);
      expect(encoded.ipType).toBe(6);
      expect(decodeIp(encoded.value, 6)).toBe(ip);
    }
    expect(encodeIp('::ffff:1.2.3.4').value).toBe(0xffff01020304n);
    expect(decodeIp(1n << 127n, 6)).toBe('8000::');
  });

  it('refuses text that is not an IP and values that do not fit', () => {
    expect(() => encodeIp('300.1.1.1')).toThrow(InvalidIpError);
    expect(() => encodeIp('example.com')).toThrow(InvalidIpError);
    expect(() => decodeIp(1n << 32n, 4)).toThrow(/wider than 32 bits/);
    expect(() => decodeIp(1n, 5)).toThrow(/ip_type 5/);
  });
});
