import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { JoinInfoSchema } from '@envelope/protocol';
import { getJson, startInProcess } from '@envelope/testkit/harness.js';
import { joinInfo } from './join.js';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;
const classroom = () => ({
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  wlan0: [nic('192.168.1.23', 'IPv4'), nic('fe80::1', 'IPv6')],
  eth0: [nic('10.0.0.5', 'IPv4')],
});

describe('join addresses', () => {
  it('bound to every interface: each non-internal IPv4 address, with the port', () => {
    expect(joinInfo('0.0.0.0', 3000, classroom)).toEqual({ urls: ['http://192.168.1.23:3000', 'http://10.0.0.5:3000'], network: true });
    expect(joinInfo('::', 3000, classroom).urls).toHaveLength(2);
  });

  it('bound to loopback: this computer only', () => {
    expect(joinInfo('127.0.0.1', 3000, classroom)).toEqual({ urls: ['http://127.0.0.1:3000'], network: false });
    expect(joinInfo('localhost', 3000, classroom).network).toBe(false);
  });

  it('bound to one address: that address; offline on every interface: localhost', () => {
    expect(joinInfo('192.168.1.23', 8080, classroom)).toEqual({ urls: ['http://192.168.1.23:8080'], network: true });
    expect(joinInfo('0.0.0.0', 3000, () => ({ lo: [nic('127.0.0.1', 'IPv4', true)] }))).toEqual({ urls: ['http://localhost:3000'], network: false });
  });

  it('GET /api/join answers with the port it listens on, with no token', async () => {
    const env = await startInProcess({ host: '0.0.0.0' }, {}, { networkInterfaces: classroom });
    try {
      const port = new URL(env.url).port;
      const { status, json } = await getJson(`http://127.0.0.1:${port}/api/join`);
      expect(status).toBe(200);
      expect(JoinInfoSchema.parse(json)).toEqual({ urls: [`http://192.168.1.23:${port}`, `http://10.0.0.5:${port}`], network: true });
    } finally {
      await env.close();
    }
    const local = await startInProcess();
    try {
      expect(JoinInfoSchema.parse((await getJson(`${local.url}/api/join`)).json)).toEqual({ urls: [local.url], network: false });
    } finally {
      await local.close();
    }
  });
});
