import { describe, expect, it } from 'vitest';
import { VOICE_CANDIDATE_MAX, VOICE_SDP_MAX, voiceDescriptionSchema, voiceIceSchema } from './voice';

const base = { to: 'B', peer: 'peer-0001' } as const;

describe('voice signal lengths are counted in Unicode code points (docs/protocol.md, Values)', () => {
  it('an sdp of exactly the maximum in code points passes, though it is longer in UTF-16 units', () => {
    const astral = '😀'.repeat(VOICE_SDP_MAX); // 2 units each
    expect(voiceDescriptionSchema.safeParse({ ...base, sdp: astral }).success).toBe(true);
    expect(voiceDescriptionSchema.safeParse({ ...base, sdp: `${astral}x` }).success).toBe(false);
    expect(voiceDescriptionSchema.safeParse({ ...base, sdp: 'v'.repeat(VOICE_SDP_MAX) }).success).toBe(true);
    expect(voiceDescriptionSchema.safeParse({ ...base, sdp: 'v'.repeat(VOICE_SDP_MAX + 1) }).success).toBe(false);
  });

  it('a candidate line, sdpMid and usernameFragment too', () => {
    const candidate = (fields: object) => voiceIceSchema.safeParse({ ...base, candidate: { candidate: 'c', ...fields } }).success;
    expect(candidate({ candidate: '😀'.repeat(VOICE_CANDIDATE_MAX) })).toBe(true);
    expect(candidate({ candidate: '😀'.repeat(VOICE_CANDIDATE_MAX + 1) })).toBe(false);
    expect(candidate({ sdpMid: '😀'.repeat(64) })).toBe(true);
    expect(candidate({ sdpMid: 'm'.repeat(65) })).toBe(false);
    expect(candidate({ usernameFragment: '😀'.repeat(256) })).toBe(true);
    expect(candidate({ usernameFragment: 'u'.repeat(257) })).toBe(false);
  });
});
