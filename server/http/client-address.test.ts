import { describe, expect, it } from 'vitest';
import { addressKey } from './client-address.js';

describe('addressKey', () => {
  it('counts IPv4 as itself, also when seen as an IPv4-mapped IPv6 address', () => {
    expect(addressKey('127.0.0.7')).toBe('127.0.0.7');
    expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
  });

  it('counts IPv6 by its /64, so one machine cannot act as many by changing its interface id', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });

  it('names a missing address, rather than letting it pass uncounted', () => {
    expect(addressKey(undefined)).toBe('unknown');
  });
});
