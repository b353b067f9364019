import { describe, expect, it } from 'vitest';
import type { MicReason } from '../../../shared/voice/micRule';
import { invitationLine, remoteLine, yourMicLine } from './voiceWords';

const names = { A: 'Sam', B: 'Alex', counsellor: 'Dr Lee' };

describe('voice words', () => {
  it('says why one’s own microphone is on or off, for every reason', () => {
    const reasons: MicReason[] = ['conversation', 'yourFloor', 'sayBack', 'listening', 'holding', 'timeOut', 'breakStep', 'selfMuted', 'counsellor'];
    for (const reason of reasons) expect(yourMicLine({ mic: 'open', reason }, 'Sam')).toMatch(/microphone/i);
    expect(yourMicLine({ mic: 'muted', reason: 'listening' }, 'Sam')).toBe('Your microphone is off while Sam has the floor. It comes on when you say back what you heard.');
  });

  it('names whose voice is not coming through, and offers the fallback once it is lost', () => {
    const remote = { seat: 'A' as const, peer: 'p', mic: 'open' as const, stream: null };
    expect(remoteLine({ ...remote, link: 'reconnecting' }, names)).toBe('Sam’s voice is not coming through: reconnecting.');
    expect(remoteLine({ ...remote, link: 'lost' }, names)).toContain('call each other and carry on here');
    expect(remoteLine({ ...remote, link: 'connected' }, names)).toBe('Sam can be heard.');
    expect(remoteLine({ ...remote, link: 'connected', mic: 'muted' }, names)).toBe('Sam’s microphone is off.');
  });

  it('invites by name', () => {
    expect(invitationLine(['A'], names)).toBe('Sam would like to talk by voice.');
    expect(invitationLine(['A', 'counsellor'], names)).toBe('Sam and Dr Lee would like to talk by voice.');
  });
});
