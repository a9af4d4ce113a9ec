/**
 * The address a request came from, as the per-address limits count it. The
 * server takes the socket's peer address (no proxy header is trusted: `trust
 * proxy` is off). An IPv4 client seen on a dual-stack socket as
 * ::ffff:a.b.c.d counts as a.b.c.d. An IPv6 client counts by its /64: one
 * home or phone is given a whole /64 and can pick any address in it, so
 * counting single IPv6 addresses would let one machine act as billions.
 */
import { isIPv6 } from 'node:net';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = MAPPED_IPV4.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, with :: expanded (a zone such as %eth0 dropped). */
function expandIPv6(address: string): string[] {
  const bare = address.split('%')[0]!;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const before = groups(head);
  const after = groups(tail);
  // An embedded IPv4 tail (::1.2.3.4) only ever falls in the last 64 bits, which are dropped.
  const missing = tail === undefined ? 0 : 8 - before.length - after.length;
  return [...before, ...Array<string>(Math.max(0, missing)).fill('0'), ...after].map((g) => (g.includes('.') ? g : g.toLowerCase().replace(/^0+(?=.)/, '')));
}
