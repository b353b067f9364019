import { describe, expect, it } from 'vitest';
import type { VoiceDescription, VoiceState } from '../../shared/protocol/voice';
import { redisServerAvailable } from '../support/redisServer';
import { pairUp } from '../support/sessionClient';
import { nextEvent, request } from '../support/socketClient';
import { redisClusterPerTest } from './cluster';

/** Voice signalling between partners on two nodes: a seat channel emit, carried by the Redis adapter. */
describe.skipIf(!redisServerAvailable())('voice signalling on two nodes', () => {
  const cluster = redisClusterPerTest();

  it('an offer and the call state sent on one node reach the partner on the other, and the answer comes back', async () => {
    const [one, two] = await cluster.startNodes(2);
    const p = await pairUp(one!.url, two!.url);
    cluster.sockets.push(...p.sockets);
    const sdp = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    const state = nextEvent<VoiceState>(p.b, 'voice:state');
    expect(await request(p.a, 'voice:state', { peer: 'sam-phone-1', call: 'start', mic: 'open' })).toEqual({ ok: true });
    expect(await state).toEqual({ from: 'A', peer: 'sam-phone-1', call: 'start', mic: 'open' });
    const offer = nextEvent<VoiceDescription>(p.b, 'voice:offer');
    await request(p.a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp });
    expect(await offer).toEqual({ from: 'A', peer: 'sam-phone-1', sdp });
    const answer = nextEvent<VoiceDescription>(p.a, 'voice:answer');
    await request(p.b, 'voice:answer', { to: 'A', peer: 'alex-laptop', toPeer: 'sam-phone-1', sdp });
    expect(await answer).toEqual({ from: 'B', peer: 'alex-laptop', toPeer: 'sam-phone-1', sdp });
  });
});
