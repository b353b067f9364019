import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IceServerMint, iceServersFor, parseIceUrls, turnCredential, turnUserId } from './iceServers';

describe('TURN credentials (coturn REST scheme, use-auth-secret)', () => {
  it('the password is base64(HMAC-SHA1(secret, username))', () => {
    const expected = createHmac('sha1', 'north').update('1700000000:abc').digest('base64');
    expect(turnCredential('north', '1700000000:abc')).toBe(expected);
    // A fixed vector from openssl (`printf '1234567890:user' | openssl dgst -sha1 -hmac secret -binary | base64`),
    // so a change of algorithm or encoding fails here.
    expect(turnCredential('secret', '1234567890:user')).toBe('tHbOsg6j8vjx6g3+R1ACZpLMHG0=');
  });

  it('the username is the expiry in seconds, then a random id that names neither room nor seat', () => {
    const servers = iceServersFor({ urls: ['stun:stun.example.org:3478', 'turn:turn.example.org:3478?transport=udp'], turnSecret: 's3cret-s3cret-s3cret', ttlSeconds: 600 }, 'abcdef0123456789', 1_700_000_000_500);
    expect(servers.expiresAt).toBe(1_700_000_600_000);
    expect(servers.iceServers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    const turn = servers.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp']);
    expect(turn.username).toBe('1700000600:abcdef0123456789');
    expect(turn.credential).toBe(turnCredential('s3cret-s3cret-s3cret', turn.username!));
    expect(turnUserId()).toMatch(/^[0-9a-f]{16}$/);
    expect(turnUserId()).not.toBe(turnUserId());
  });

  it('without a secret, TURN URLs are left out and nothing expires', () => {
    expect(iceServersFor({ urls: ['stun:s.example:3478', 'turn:t.example:3478'], turnSecret: undefined, ttlSeconds: 600 }, 'id', 0)).toEqual({
      iceServers: [{ urls: ['stun:s.example:3478'] }],
      expiresAt: null,
    });
    expect(iceServersFor({ urls: [], turnSecret: 'x', ttlSeconds: 600 }, 'id', 0)).toEqual({ iceServers: [], expiresAt: null });
    const mint = new IceServerMint({ urls: ['stun:s.example:3478'], turnSecret: 'x', ttlSeconds: 600 });
    expect(mint.for('r', 'A', 0).expiresAt).toBeNull();
    expect(mint.size).toBe(0);
  });

  describe('IceServerMint: one credential per (room, seat) until a minute before its expiry', () => {
    const config = { urls: ['turn:t.example:3478'], turnSecret: 's3cret-s3cret-s3cret', ttlSeconds: 600 };
    const userOf = (servers: { iceServers: Array<{ username?: string }> }) => servers.iceServers[0]!.username!;

    it('asking again, however often, gives the same credential; another seat or room gets its own', () => {
      const mint = new IceServerMint(config);
      const t0 = 1_700_000_000_000;
      const first = mint.for('room-1', 'A', t0);
      for (let i = 1; i <= 5_000; i += 1) expect(mint.for('room-1', 'A', t0 + i)).toBe(first);
      expect(mint.size).toBe(1);
      expect(userOf(mint.for('room-1', 'B', t0))).not.toBe(userOf(first));
      expect(userOf(mint.for('room-2', 'A', t0))).not.toBe(userOf(first));
      expect(userOf(first).split(':')[1]).not.toContain('room-1');
    });

    it('within 60 s of the expiry a new credential, with a new random id, is minted', () => {
      const mint = new IceServerMint(config);
      const t0 = 1_700_000_000_000;
      const first = mint.for('room-1', 'A', t0);
      expect(mint.for('room-1', 'A', first.expiresAt! - 60_001)).toBe(first);
      const renewed = mint.for('room-1', 'A', first.expiresAt! - 60_000);
      expect(renewed.expiresAt).toBe(first.expiresAt! - 60_000 + 600_000);
      expect(userOf(renewed).split(':')[1]).not.toBe(userOf(first).split(':')[1]);
      expect(mint.for('room-1', 'A', first.expiresAt! - 1_000)).toBe(renewed);
    });

    it('keeps at most maxEntries: expired ones go first, then the oldest', () => {
      const mint = new IceServerMint(config, 3);
      const t0 = 1_700_000_000_000;
      const a = mint.for('r1', 'A', t0);
      mint.for('r2', 'A', t0 + 1);
      mint.for('r3', 'A', t0 + 2);
      mint.for('r4', 'A', t0 + 3);
      expect(mint.size).toBe(3);
      // r1 was the oldest and went: asking for it again mints anew.
      expect(mint.for('r1', 'A', t0 + 4)).not.toBe(a);
      expect(mint.size).toBe(3);
      // Past everyone's expiry, the expired make room all at once.
      mint.for('r5', 'A', t0 + 700_000);
      expect(mint.size).toBe(1);
    });
  });

  it('ICE_SERVERS is a comma-separated list of stun:, turn: and turns: URLs', () => {
    expect(parseIceUrls(' stun:a:3478 , turn:b:3478?transport=tcp,,turns:c:5349 ')).toEqual(['stun:a:3478', 'turn:b:3478?transport=tcp', 'turns:c:5349']);
    expect(parseIceUrls('')).toEqual([]);
    expect(() => parseIceUrls('https://a.example')).toThrow(/stun:, turn: or turns:/);
  });
});
