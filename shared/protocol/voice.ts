import { z } from 'zod';
import { ErrorCode } from './errors';
import { SEAT_IDS, type SeatId } from './identity';

/**
 * Voice between the devices of one room: the server relays WebRTC signalling (offers, answers,
 * ICE candidates, who is in the call) from one seat to another of the same room and never sees
 * a media packet; audio goes directly between the devices (DTLS-SRTP), and nothing records it.
 * Every message names the seat it is for (`to`); the server adds `from` from the socket's own
 * seat, so no device can speak for another.
 */

/** The longest session description passed on, in Unicode code points (SDP is ASCII): an audio offer is about 1–4 KB. */
export const VOICE_SDP_MAX = 16_384;
/** The longest ICE candidate line passed on, in code points. */
export const VOICE_CANDIDATE_MAX = 1_024;

/** Refused with VOICE_SIGNAL_TOO_LARGE, not INVALID_PAYLOAD: a program can tell "too big" from "wrong". */
const tooLarge = { refusal: ErrorCode.VOICE_SIGNAL_TOO_LARGE };
/**
 * At most `max` Unicode code points, as docs/protocol.md says. UTF-16 units are never fewer than
 * code points, so only a string longer than `max` in units is counted again (cheap for the rest).
 */
const withinCodePoints = (value: string, max: number) => value.length <= max || [...value].length <= max;
const upTo = (max: number) => z.string().refine((value) => withinCodePoints(value, max), `At most ${max} characters.`);
const bounded = (max: number, what: string) =>
  z.string().refine((value) => withinCodePoints(value, max), { message: `The ${what} is longer than ${max} characters.`, params: tooLarge });

/** One call's end on one device: chosen at random when the device joins voice, so two tabs of a seat are told apart. */
export const voicePeerSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Not a voice peer id.');
const addressed = {
  /** the seat of this room the message is for; never the sender's own */
  to: z.enum(SEAT_IDS),
  /** the sender's voice peer id */
  peer: voicePeerSchema,
  /** the receiving device's peer id, once known: other devices of that seat drop the message */
  toPeer: voicePeerSchema.optional(),
};

export const voiceDescriptionSchema = z.strictObject({
  ...addressed,
  sdp: bounded(VOICE_SDP_MAX, 'session description').pipe(z.string().min(1, 'The session description is empty.')),
});

export const voiceCandidateSchema = z.strictObject({
  candidate: bounded(VOICE_CANDIDATE_MAX, 'candidate'),
  sdpMid: upTo(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: upTo(256).nullable().optional(),
});
/** `candidate: null` says the sender has gathered every candidate. */
export const voiceIceSchema = z.strictObject({ ...addressed, candidate: voiceCandidateSchema.nullable() });

export const VOICE_CALLS = ['start', 'accept', 'leave', 'query'] as const;
export type VoiceCall = (typeof VOICE_CALLS)[number];
export const voiceStateSchema = z.strictObject({
  /** left out: every other socket of the room; a seat: that seat's sockets only */
  to: z.enum(SEAT_IDS).optional(),
  peer: voicePeerSchema,
  /** start: asks the others to talk by voice; accept: is in the call; leave: left it; query: asks who is in the call (a device just opened, or back on the network) */
  call: z.enum(VOICE_CALLS),
  /** the sender's microphone after the floor, hold to speak and their own mute */
  mic: z.enum(['open', 'muted']),
});
export const voiceIceServersSchema = z.strictObject({}).optional();

export type VoiceDescriptionInput = z.output<typeof voiceDescriptionSchema>;
export type VoiceIceInput = z.output<typeof voiceIceSchema>;
export type VoiceStateInput = z.output<typeof voiceStateSchema>;
export type VoiceCandidate = z.output<typeof voiceCandidateSchema>;

/** What the server passes on: the message as sent, `to` replaced by who sent it. */
export type Relayed<T extends { to?: SeatId }> = Omit<T, 'to'> & { from: SeatId };
export type VoiceDescription = Relayed<VoiceDescriptionInput>;
export type VoiceIce = Relayed<VoiceIceInput>;
export type VoiceState = Relayed<VoiceStateInput>;

/** An entry of RTCConfiguration.iceServers; TURN entries carry short-lived credentials. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}
export interface IceServers {
  iceServers: IceServer[];
  /** when the TURN credentials stop working (ms since epoch); null when there are none */
  expiresAt: number | null;
}

export interface VoiceServerEvents {
  'voice:offer': (payload: VoiceDescription) => void;
  'voice:answer': (payload: VoiceDescription) => void;
  'voice:ice': (payload: VoiceIce) => void;
  'voice:state': (payload: VoiceState) => void;
}
