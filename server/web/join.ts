/**
 * Where people can open the app to join (GET /api/join, and the start-up
 * banner). Bound to every interface (HOST=0.0.0.0 or ::), the server is
 * reachable at each non-internal IPv4 address of the machine; bound to one
 * address, at that address only; bound to loopback, from this computer only.
 * IPv6 addresses are left out: a link-local one needs a zone id a phone cannot
 * type, and classroom networks hand out IPv4.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { MAX_JOIN_URLS, type JoinInfo } from '@envelope/protocol';

export type NetworkInterfaces = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function origin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The machine's non-internal IPv4 addresses, in interface order, without repeats. */
export function lanAddresses(interfaces: NetworkInterfaces): string[] {
  const found = Object.values(interfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
  return [...new Set(found)];
}

export function joinInfo(host: string, port: number, interfaces: NetworkInterfaces): JoinInfo {
  if (isWildcardHost(host)) {
    const lan = lanAddresses(interfaces).slice(0, MAX_JOIN_URLS);
    // No network at all (a laptop offline): only this computer can join.
    if (lan.length === 0) return { urls: [origin('localhost', port)], network: false };
    return { urls: lan.map((address) => origin(address, port)), network: true };
  }
  return { urls: [origin(host, port)], network: !isLoopbackHost(host) };
}
