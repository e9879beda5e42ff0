import { describe, expect, it } from 'vitest';
import { throttleAddress } from './address.ts';

describe('the address a sign-in failure counts against', () => {
  it('is an IPv4 address as it is, also when a dual-stack socket writes it as IPv6', () => {
    expect(throttleAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddress('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const block = '2001:db8:0:12::/64';
    for (const ip of [
      '2001:db8:0:12::1',
      '2001:DB8:0000:0012:ffff:ffff:ffff:ffff',
      '2001:db8::12:0:0:0:9',
      '2001:0db8:0:12:1:2:3:4',
    ]) {
      expect(throttleAddress(ip), ip).toBe(block);
    }
    expect(throttleAddress('2001:db8:0:13::1')).toBe('2001:db8:0:13::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('is nothing for what is not an address', () => {
    for (const ip of [null, undefined, '', 'localhost', '1.2.3', '2001:db8:::1']) {
      expect(throttleAddress(ip)).toBeNull();
    }
  });
});
