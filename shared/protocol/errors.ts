/**
 * Every refusal the server can give, with words a partner can read in a hard moment.
 * The code is for programs; the message is shown to people, so it says what happened and,
 * where it can, what to do next. Feature areas keep their codes together below.
 */
export const ErrorCode = {
  // connection and payloads
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  SLOW_CONNECTION: 'SLOW_CONNECTION',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  // rooms, seats and pairing
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  FORBIDDEN: 'FORBIDDEN',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ROOM_FULL: 'ROOM_FULL',
  ROOM_DELETED: 'ROOM_DELETED',
  INVITE_NOT_FOUND: 'INVITE_NOT_FOUND',
  INVITE_USED: 'INVITE_USED',
  INVITE_EXPIRED: 'INVITE_EXPIRED',
  CODE_INVALID: 'CODE_INVALID',
  CODE_EXPIRED: 'CODE_EXPIRED',
  CODE_TRIES_EXCEEDED: 'CODE_TRIES_EXCEEDED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  TOKEN_REVOKED: 'TOKEN_REVOKED',
  GROUND_RULES_REQUIRED: 'GROUND_RULES_REQUIRED',
  JOIN_REFUSED: 'JOIN_REFUSED',
  JOIN_NOT_REFUSABLE: 'JOIN_NOT_REFUSABLE',
  SEAT_SOCKETS_EXCEEDED: 'SEAT_SOCKETS_EXCEEDED',
  // shared documents
  UPDATE_TOO_LARGE: 'UPDATE_TOO_LARGE',
  DOC_TOO_LARGE: 'DOC_TOO_LARGE',
  UPDATE_MALFORMED: 'UPDATE_MALFORMED',
  DOC_NOT_ALLOWED: 'DOC_NOT_ALLOWED',
  UPDATE_INCOMPLETE: 'UPDATE_INCOMPLETE',
  UPDATE_TOO_COMPLEX: 'UPDATE_TOO_COMPLEX',
  PRESENCE_TOO_LARGE: 'PRESENCE_TOO_LARGE',
  PRESENCE_ONE_PER_CONNECTION: 'PRESENCE_ONE_PER_CONNECTION',
  // agreements on the record
  AGREEMENT_NOT_FOUND: 'AGREEMENT_NOT_FOUND',
  NOTHING_TO_WITHDRAW: 'NOTHING_TO_WITHDRAW',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  // check-ins between sessions
  COMMITMENT_NOT_FOUND: 'COMMITMENT_NOT_FOUND',
  CHECK_IN_NO_RHYTHM: 'CHECK_IN_NO_RHYTHM',
  CHECK_IN_CLOSED: 'CHECK_IN_CLOSED',
  CHECK_IN_NOT_SHARED: 'CHECK_IN_NOT_SHARED',
  // guided sessions
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  SESSION_ALREADY_ACTIVE: 'SESSION_ALREADY_ACTIVE',
  PACK_NOT_FOUND: 'PACK_NOT_FOUND',
  NOT_YOUR_TURN: 'NOT_YOUR_TURN',
  WRONG_PHASE: 'WRONG_PHASE',
  SESSION_PAUSED: 'SESSION_PAUSED',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  TEXT_REQUIRED: 'TEXT_REQUIRED',
  STEP_NOT_COMPLETE: 'STEP_NOT_COMPLETE',
  ALREADY_ADDED: 'ALREADY_ADDED',
  // voice
  VOICE_SIGNAL_TOO_LARGE: 'VOICE_SIGNAL_TOO_LARGE',
  // reminders
  PUSH_ENDPOINT_NOT_ALLOWED: 'PUSH_ENDPOINT_NOT_ALLOWED',
  // counsellors
  COUNSELLOR_KEY_INVALID: 'COUNSELLOR_KEY_INVALID',
  RECOVERY_CODE_INVALID: 'RECOVERY_CODE_INVALID',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorMessages: Record<ErrorCode, string> = {
  PROTOCOL_MISMATCH: 'This page is out of date. Reload it to get the latest version.',
  INVALID_PAYLOAD: 'That request was not understood, so nothing was changed.',
  RATE_LIMITED: 'Too many tries in a short time. Wait a few minutes, then try again.',
  ORIGIN_NOT_ALLOWED: 'This page is not part of Common Ground, so it cannot connect. Open Common Ground at its own address and try again.',
  INTERNAL: 'Something went wrong on our side. Nothing you wrote was lost; please try again.',
  TOO_MANY_CONNECTIONS:
    'Too many Common Ground windows are open from your network at once. Close a few tabs or devices you are not using, then try again.',
  SLOW_CONNECTION: 'Your connection was too slow to keep up with the room, so we are reconnecting you now. Nothing you saved is lost.',
  NOT_IN_ROOM: 'You are not in a room yet.',
  FORBIDDEN: 'That is not something your seat in this room can do.',
  ROOM_NOT_FOUND: 'This room does not exist any more. It may have been deleted or expired.',
  ROOM_FULL: 'This room already has its two partners.',
  ROOM_DELETED: 'This room was deleted, with everything in it.',
  INVITE_NOT_FOUND: 'This invite link is not valid. Ask your partner to send a new one.',
  INVITE_USED: 'This invite has already been used. Ask your partner to invite you again.',
  INVITE_EXPIRED: 'This invite has expired. Ask your partner to send a new one.',
  CODE_INVALID: 'That code does not match a room. Check the six digits and try again.',
  CODE_EXPIRED: 'That code is no longer valid. Ask your partner for a new one.',
  CODE_TRIES_EXCEEDED: 'Too many wrong codes. Wait a few minutes, or ask your partner for a link instead.',
  TOKEN_INVALID: 'This device is not recognised in this room. Ask your partner to invite you again.',
  TOKEN_REVOKED: 'This device was signed out because your seat was moved to a new device. Carry on from that device, or ask to be invited again.',
  GROUND_RULES_REQUIRED: 'Please read and accept the ground rules before you enter.',
  JOIN_REFUSED: 'The person who shared the code said it was not meant for you, so this device was signed out of the room. If that is a mistake, ask them for a new code.',
  JOIN_NOT_REFUSABLE: 'This can only be done in the first 10 minutes after someone joins with a code. You can still sign that device out from the room menu.',
  SEAT_SOCKETS_EXCEEDED: 'This seat is already open in 5 places (tabs or devices). Close one of them, then try again.',
  UPDATE_TOO_LARGE: 'That change is too large to save in one go. Try a smaller change.',
  DOC_TOO_LARGE: 'This document has reached its size limit. Remove something before adding more.',
  UPDATE_MALFORMED: 'That change could not be read, so it was not saved. Your document is unchanged.',
  DOC_NOT_ALLOWED: 'That document is not available to your seat.',
  UPDATE_INCOMPLETE: 'That change builds on an earlier one that has not reached the server, so it was not saved yet. Your copy is kept and sent again when you reconnect.',
  UPDATE_TOO_COMPLEX: 'That change has too many nested parts to save in one go. Try adding it in smaller pieces.',
  PRESENCE_TOO_LARGE: 'Your cursor and name information is too large to share, so the others do not see it. Your writing is not affected.',
  PRESENCE_ONE_PER_CONNECTION: 'This connection already shows one presence in this document. Reload the page to show yours again.',
  AGREEMENT_NOT_FOUND: 'That agreement is no longer there, so nothing was changed. It may have been removed on another device.',
  NOTHING_TO_WITHDRAW: 'There is nothing of yours to take back on this agreement: you have not accepted it, or you have already asked to withdraw it.',
  VERSION_NOT_FOUND: 'That saved version is no longer kept: the oldest go once there are many. The list of versions shows the ones still there.',
  COMMITMENT_NOT_FOUND: 'That agreement is not one you both hold now, so there is nothing to check in on. It may have been changed or withdrawn on another device.',
  CHECK_IN_NO_RHYTHM: 'This agreement has no rhythm yet. Choose how often you want to look at it together, then check in.',
  CHECK_IN_CLOSED: 'That check-in is closed now, so nothing was changed. The current one is open for you.',
  CHECK_IN_NOT_SHARED: 'The partners have not both chosen to share the check-ins of this agreement with you, so they are not shown.',
  SESSION_NOT_FOUND: 'There is no guided session running in this room.',
  SESSION_ALREADY_ACTIVE: 'A guided session is already running in this room.',
  PACK_NOT_FOUND: 'That session pack does not exist.',
  NOT_YOUR_TURN: 'It is not your turn for that yet.',
  WRONG_PHASE: 'That step does not fit where the conversation is right now.',
  SESSION_PAUSED: 'The session is paused for a time-out.',
  VERSION_CONFLICT: 'Something changed at the same moment. Please try again.',
  TEXT_REQUIRED: 'In a written session, please type a few words before sending.',
  STEP_NOT_COMPLETE: 'This step is still open. When you have both finished it, you can move on together.',
  ALREADY_ADDED: 'That was already added, so it is not added twice.',
  VOICE_SIGNAL_TOO_LARGE: 'Your device sent a voice set-up message too large to pass on, so voice may not connect. You can call each other and carry on here.',
  PUSH_ENDPOINT_NOT_ALLOWED: 'This browser offered a push address the server cannot send to, so reminders are not on. Try again later, or in another browser.',
  COUNSELLOR_KEY_INVALID: 'This counsellor key is not recognised.',
  RECOVERY_CODE_INVALID: 'That recovery code is not valid.',
};

/**
 * What a refusal may say beyond its code, where the reader's next step depends on it: how many
 * pairing-code tries the address has left in its window (`code:claim`, once 3 or fewer remain),
 * and which kind of room refused an invite (a partner asks their partner, a moderated room's
 * partner asks their counsellor).
 */
export interface ProtocolErrorDetails {
  triesLeft?: number;
  roomMode?: 'couple' | 'moderated';
}

/**
 * The same refusals in a counsellor's room, whose reader asks the counsellor: the counsellor
 * sends the partners' invites and codes there.
 */
export const moderatedRoomMessages: Partial<Record<ErrorCode, string>> = {
  INVITE_USED: 'This invite has already been used. Ask your counsellor to invite you again.',
  INVITE_EXPIRED: 'This invite has expired. Ask your counsellor to send a new one.',
  CODE_EXPIRED: 'That code is no longer valid. Ask your counsellor for a new one.',
};

/** The words of a refusal for the room's reader: in a moderated room, the counsellor's part. */
export function refusalIn(mode: 'couple' | 'moderated', code: ErrorCode, message?: string): AppError {
  const words = message ?? (mode === 'moderated' ? moderatedRoomMessages[code] : undefined);
  return new AppError(code, words, { roomMode: mode });
}

/** From this many pairing-code tries left in the address's window, each refusal says how many. */
export const TRIES_LEFT_WARNING = 3;

/** "2 tries left from this network for the next 15 minutes": added to a refused code's words. */
export function triesLeftWords(triesLeft: number, msLeft: number): string {
  const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
  const window = `for the next ${minutes} minute${minutes === 1 ? '' : 's'}`;
  if (triesLeft === 0) return `That was the last try from this network ${window}: ask your partner for an invite link instead.`;
  return `${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left from this network ${window}.`;
}

export interface ProtocolError extends ProtocolErrorDetails {
  code: ErrorCode;
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };
export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** A refusal that is expected and named; anything else thrown in a handler is a bug. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ProtocolErrorDetails;
  constructor(code: ErrorCode, message: string = errorMessages[code], details: ProtocolErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function toProtocolError(err: AppError): ProtocolError {
  return { code: err.code, message: err.message, ...err.details };
}
