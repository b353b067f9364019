import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor, parseIceUrls, turnCredential, turnUserId } from './iceServers';

describe('TURN credentials (coturn REST scheme, use-auth-secret)', () => {
  it('the password is base64(HMAC-SHA1(secret, username))', () => {
    const expected = createHmac('sha1', 'north').update('1700000000:abc').digest('base64');
    expect(turnCredential('north', '1700000000:abc')).toBe(expected);
    // A fixed vector from openssl (`printf '1234567890:user' | openssl dgst -sha1 -hmac secret -binary | base64`),
    // so a change of algorithm or encoding fails here.
    expect(turnCredential('secret', '1234567890:user')).toBe('tHbOsg6j8vjx6g3+R1ACZpLMHG0=');
  });

  it('the username is the expiry in seconds, then an id that names neither room nor seat', () => {
    const servers = iceServersFor({ urls: ['stun:stun.example.org:3478', 'turn:turn.example.org:3478?transport=udp'], turnSecret: 's3cret-s3cret-s3cret', ttlSeconds: 600 }, 'room-123', 'A', 1_700_000_000_500);
    expect(servers.expiresAt).toBe(1_700_000_600_000);
    expect(servers.iceServers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    const turn = servers.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp']);
    expect(turn.username).toBe(`1700000600:${turnUserId('room-123', 'A')}`);
    expect(turn.username).not.toContain('room-123');
    expect(turn.credential).toBe(turnCredential('s3cret-s3cret-s3cret', turn.username!));
    expect(turnUserId('room-123', 'A')).not.toBe(turnUserId('room-123', 'B'));
  });

  it('without a secret, TURN URLs are left out and nothing expires', () => {
    expect(iceServersFor({ urls: ['stun:s.example:3478', 'turn:t.example:3478'], turnSecret: undefined, ttlSeconds: 600 }, 'r', 'A', 0)).toEqual({
      iceServers: [{ urls: ['stun:s.example:3478'] }],
      expiresAt: null,
    });
    expect(iceServersFor({ urls: [], turnSecret: 'x', ttlSeconds: 600 }, 'r', 'A', 0)).toEqual({ iceServers: [], expiresAt: null });
  });

  it('ICE_SERVERS is a comma-separated list of stun:, turn: and turns: URLs', () => {
    expect(parseIceUrls(' stun:a:3478 , turn:b:3478?transport=tcp,,turns:c:5349 ')).toEqual(['stun:a:3478', 'turn:b:3478?transport=tcp', 'turns:c:5349']);
    expect(parseIceUrls('')).toEqual([]);
    expect(() => parseIceUrls('https://a.example')).toThrow(/stun:, turn: or turns:/);
  });
});
