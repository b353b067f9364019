import { z } from 'zod';
import { AGREEMENT_CATEGORIES } from '../agreements/categories';
import {
  displayNameSchema,
  roomIdSchema,
  shortTextSchema,
  type CodeOffer,
  type InviteOffer,
  type PartnerSeat,
  type Presence,
} from './rooms';

/**
 * Counsellors: a workspace without a password, moderated rooms, private notes and a private
 * line from each partner. A counsellor is known by a key (256 random bits) kept on their
 * device; a recovery code (shown once) moves the workspace to another device. The server keeps
 * only SHA-256 hashes of both.
 *
 * What a counsellor keeps for a room (the label, private lines, notes) is sent only to the
 * counsellor channel or the counsellor's seat; partners see only a suggestion addressed to them.
 */

/** 256 random bits, base64url. */
export const counsellorKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a counsellor key.');

/** RFC 4648 base32 (A–Z, 2–7): no 0 or 1 to be mistaken for O or I when typed from paper. */
export const RECOVERY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const RECOVERY_GROUPS = 4;
export const RECOVERY_GROUP_LENGTH = 5;

/** Spaces, dashes and case are ignored, so "abcde fghij-klmno PQRST" is the same code. */
export function normaliseRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** "ABCDE-FGHIJ-KLMNO-PQRST" */
export function formatRecoveryCode(normalised: string): string {
  const groups: string[] = [];
  for (let i = 0; i < normalised.length; i += RECOVERY_GROUP_LENGTH) groups.push(normalised.slice(i, i + RECOVERY_GROUP_LENGTH));
  return groups.join('-');
}

export const recoveryCodeSchema = z
  .string()
  .max(64)
  .transform(normaliseRecoveryCode)
  .pipe(
    z
      .string()
      .regex(
        new RegExp(`^[${RECOVERY_ALPHABET}]{${RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH}}$`),
        'A recovery code is 20 letters and digits, in four groups of five.',
      ),
  );

/** What only the counsellor sees on their list, e.g. "J & R". Never sent to a partner. */
export const roomLabelSchema = shortTextSchema('label');

/** The fixed things a partner can tell the counsellor privately; the words are shown as they are. */
export const PrivateLineChoice = {
  talkAlone: "I'd like to talk with you alone",
  notComfortable: "I'm not comfortable with this topic",
  slowDown: 'Could we slow down a little?',
  needBreak: 'I need a break soon',
  afterSession: 'How I am after our session',
} as const;
export type PrivateLineChoiceId = keyof typeof PrivateLineChoice;
export const PRIVATE_LINE_CHOICE_IDS = Object.keys(PrivateLineChoice) as [PrivateLineChoiceId, ...PrivateLineChoiceId[]];
export const PRIVATE_LINE_TEXT_MAX = 280;

export const counsellorRegisterSchema = z.strictObject({ displayName: displayNameSchema });
export const counsellorSignInSchema = z.strictObject({ key: counsellorKeySchema });
export const counsellorRecoverSchema = z.strictObject({ recoveryCode: recoveryCodeSchema });
export const counsellorRoomsSchema = z.strictObject({}).optional();
export const counsellorCreateRoomSchema = z.strictObject({ label: roomLabelSchema });
/** Events that name a room: the server checks the counsellor owns it (FORBIDDEN otherwise). */
export const counsellorLinesSchema = z.strictObject({ roomId: roomIdSchema });
export const counsellorProposeAgreementSchema = z.strictObject({
  roomId: roomIdSchema,
  title: z.string().trim().min(1, 'Please write a title.').max(120),
  body: z.string().trim().max(2000).optional(),
  category: z.enum(AGREEMENT_CATEGORIES),
});
export const counsellorSuggestPackSchema = z.strictObject({
  roomId: roomIdSchema,
  /** null withdraws the suggestion */
  packId: z.string().min(1).max(64).nullable(),
});
export const suggestionGetSchema = z.strictObject({}).optional();
export const privateLineSendSchema = z.strictObject({
  choice: z.enum(PRIVATE_LINE_CHOICE_IDS),
  text: z.string().trim().max(PRIVATE_LINE_TEXT_MAX).optional(),
});

/**
 * The counsellor events that name a room in their payload. Each checks that the sender is the
 * counsellor who owns that room; test/integration/permissionMatrix.test.ts tries each with a
 * counsellor who does not.
 */
export const ROOM_NAMING_COUNSELLOR_EVENTS = ['counsellor:lines', 'counsellor:proposeAgreement', 'counsellor:suggestPack'] as const;

export interface CounsellorIdentity {
  displayName: string;
}

/** Given once, when made: the device keeps the key; the person writes down the recovery code. */
export interface CounsellorCredentials {
  key: string;
  /** formatted "ABCDE-FGHIJ-KLMNO-PQRST" */
  recoveryCode: string;
  counsellor: CounsellorIdentity;
}

export interface PrivateLine {
  id: string;
  roomId: string;
  from: PartnerSeat;
  fromName: string | null;
  choice: PrivateLineChoiceId;
  text: string | null;
  at: number;
}

/** What the partners see: "Your counsellor suggests: …". */
export interface PackSuggestion {
  packId: string;
  packTitle: string;
  at: number;
}

/** A room at a glance, for the counsellor's workspace. */
export interface CounsellorRoomSummary {
  roomId: string;
  label: string;
  createdAt: number;
  partners: Array<{ seat: PartnerSeat; displayName: string | null; claimed: boolean; presence: Presence }>;
  session: {
    phase: 'idle' | 'proposed' | 'active' | 'paused' | 'ended';
    packId: string | null;
    packTitle: string | null;
    /** 1-based, for people */
    stepNumber: number | null;
    stepCount: number | null;
    stepTitle: string | null;
    pausedUntil: number | null;
  };
  suggestion: PackSuggestion | null;
  privateLines: { count: number; lastAt: number | null };
}

export interface CreatedModeratedRoom {
  room: CounsellorRoomSummary;
  invites: InviteOffer[];
  codes: CodeOffer[];
}

export interface CounsellorServerEvents {
  /** To the counsellor channel only: one room's status changed. */
  'counsellor:roomStatus': (room: CounsellorRoomSummary) => void;
  /** To the counsellor channel only: a room is gone. */
  'counsellor:roomRemoved': (info: { roomId: string }) => void;
  /** To the counsellor channel only: a partner's private line. */
  'counsellor:privateLine': (line: PrivateLine) => void;
  /** To the room: the counsellor suggested a pack for next time (null: withdrawn). */
  'counsellor:suggestion': (suggestion: PackSuggestion | null) => void;
  /** To the old key's sockets: the workspace moved to another device. */
  'counsellor:keyRevoked': (info: { message: string }) => void;
}
