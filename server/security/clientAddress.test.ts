import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { compileTrust, parseTrustProxy, socketAddress } from './clientAddress';

const from = (address: string, forwarded?: string) => ({
  handshake: { address, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } },
});

describe('TRUST_PROXY', () => {
  it('reads the forms Express takes', () => {
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('0')).toBe(0);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy(' 10.0.0.0/8, ::1 ,uniquelocal')).toEqual(['10.0.0.0/8', '::1', 'uniquelocal']);
  });

  it('stops the start-up on an entry that is not an address, a range or a known name', () => {
    expect(() => parseTrustProxy('loopbak')).toThrow(/loopbak/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it('reads X-Forwarded-For from the right, hop by hop, only while each hop is trusted', () => {
    const loopback = compileTrust(['loopback']);
    expect(socketAddress(from('127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9');
    expect(socketAddress(from('::ffff:127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9');
    expect(socketAddress(from('198.51.100.1', '203.0.113.9'), loopback)).toBe('198.51.100.1');
    expect(socketAddress(from('127.0.0.1', '6.6.6.6, 198.51.100.2'), loopback)).toBe('198.51.100.2');
    expect(socketAddress(from('127.0.0.1'), loopback)).toBe('127.0.0.1');
    expect(socketAddress(from('127.0.0.1', '6.6.6.6, 198.51.100.2'), compileTrust(2))).toBe('6.6.6.6');
    expect(socketAddress(from('127.0.0.1', '203.0.113.9'), compileTrust(false))).toBe('127.0.0.1');
    expect(socketAddress(from('127.0.0.1', '203.0.113.9'), compileTrust(0))).toBe('127.0.0.1');
    expect(socketAddress(from('127.0.0.1', '6.6.6.6, 198.51.100.2'), compileTrust(true))).toBe('6.6.6.6');
  });
});
