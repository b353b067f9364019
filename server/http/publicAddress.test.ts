import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddress, networkOrigin } from './publicAddress';

const info = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal }) as NetworkInterfaceInfo;
const laptop = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  wlan0: [info('fe80::1', 'IPv6', false), info('192.168.1.20', 'IPv4', false)],
  docker0: [info('172.17.0.1', 'IPv4', false)],
};

describe('the address a phone on the same network opens', () => {
  it('is the first IPv4 address that is not loopback', () => {
    expect(lanAddress(laptop)).toBe('192.168.1.20');
    expect(lanAddress({ lo: laptop.lo })).toBeNull();
  });

  it.each([
    ['0.0.0.0', 'http://192.168.1.20:3000'],
    ['::', 'http://192.168.1.20:3000'],
    ['10.0.0.5', 'http://10.0.0.5:3000'],
    ['fd00::2', 'http://[fd00::2]:3000'],
    ['127.0.0.1', null],
    ['localhost', null],
    ['::1', null],
  ])('a server listening on %s: %s', (host, origin) => {
    expect(networkOrigin(host, 3000, laptop)).toBe(origin);
  });

  it('is none on a machine without a network', () => {
    expect(networkOrigin('0.0.0.0', 3000, { lo: laptop.lo })).toBeNull();
  });
});
