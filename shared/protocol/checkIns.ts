import { z } from 'zod';
import { MARKS, MAX_NOTE, MAX_WORDS, RHYTHM_KINDS, WEEKDAYS } from '../checkIns/model';
import { isTimeZone } from '../checkIns/zonedTime';
import { roomIdSchema } from './rooms';

/**
 * Check-ins between sessions (shared/checkIns/model.ts holds the rules, CI-01…). Each command
 * is a partner's, for their own seat: the server takes the seat from the socket and the time
 * from its clock, never from a payload. A device reads the room's check-ins only through
 * `checkIn:get`, whose answer is made for its seat, so an answer not yet revealed to it is
 * never sent.
 */

/** Commitment ids are the server's (Commitment.id in the agreements record). */
export const commitmentIdSchema = z.string().min(1).max(64);
export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'Not a time zone this server knows (an IANA name such as Europe/Berlin).');
/** `d:YYYY-MM-DD` or `w:YYYY-MM-DD`: a period key the view gave (`openKeys`). */
export const periodKeySchema = z.string().regex(/^[dw]:\d{4}-\d{2}-\d{2}$/, 'Not a check-in period.');

export const checkInGetSchema = z.strictObject({}).optional();
export const checkInSetRhythmSchema = z.strictObject({
  commitmentId: commitmentIdSchema,
  kind: z.enum(RHYTHM_KINDS),
  /** weekly: the day the week ends on (default sunday); ignored otherwise */
  weekday: z.enum(WEEKDAYS).nullable().optional(),
  timeZone: timeZoneSchema,
});
export const checkInAnswerSchema = z.strictObject({
  commitmentId: commitmentIdSchema,
  periodKey: periodKeySchema,
  mark: z.enum(MARKS),
  words: z.string().max(MAX_WORDS).optional(),
  /** false: the other partner sees the mark only (default true) */
  shareWords: z.boolean().optional(),
});
export const checkInNoteSchema = z.strictObject({
  text: z.string().trim().min(1, 'Please write a few words.').max(MAX_NOTE),
  commitmentId: commitmentIdSchema.nullable().optional(),
});
export const checkInShareSchema = z.strictObject({ commitmentId: commitmentIdSchema, share: z.boolean() });
export const checkInCounsellorMarksSchema = z.strictObject({ roomId: roomIdSchema, commitmentId: commitmentIdSchema.optional() });

export interface CheckInServerEvents {
  /**
   * To the room after every stored change to its check-ins: nothing of them, only that they
   * changed, so each device asks `checkIn:get` for the view its seat may have.
   */
  'checkIn:changed': (info: { at: number }) => void;
  /**
   * To the owning counsellor's channel (their workspace) only, when a command changed what
   * `checkIn:counsellorMarks` answers for the room: a consent given or taken back, an answer
   * revealed on a shared commitment. Nothing else of the room's check-ins is told to them.
   */
  'checkIn:shared': (info: { roomId: string }) => void;
}
