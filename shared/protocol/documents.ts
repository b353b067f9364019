import { z } from 'zod';
import type { Role } from './identity';

/**
 * Shared Yjs documents. Each room has these; the bytes are standard y-protocols messages
 * (sync step 1, step 2, update; awareness), exactly as y-websocket frames them, so any Yjs
 * client that speaks y-protocols can sync once it has joined the room.
 */
export const DOC_NAMES = ['agreements', 'counsellor-notes'] as const;
export type DocName = (typeof DOC_NAMES)[number];

/**
 * Who may open which document. `counsellor-notes` never reaches a partner's device: a
 * partner's socket is refused (DOC_NOT_ALLOWED) and never joins its broadcast channel.
 */
export const documentAccess = {
  agreements: { none: false, partner: true, counsellor: true },
  'counsellor-notes': { none: false, partner: false, counsellor: true },
} as const satisfies Record<DocName, Record<Role, boolean>>;

export function mayOpenDocument(doc: DocName, role: Role): boolean {
  return documentAccess[doc][role];
}

export const docNameSchema = z.enum(DOC_NAMES);

/** One y-protocols message for one document of the socket's room. */
export const docMessageSchema = z.strictObject({
  doc: docNameSchema,
  message: z.instanceof(Uint8Array, { error: 'The message must be binary.' }),
  /**
   * The sender does not wait on this message's ack (it only counts what is still unsaved;
   * the app's provider waits on its acks and leaves this out): the server may hold a
   * successful ack back for a moment and send it with the next ones, one write for a burst of
   * keystrokes. Leave it out to get each ack at once.
   */
  lazyAck: z.literal(true).optional(),
});
export type DocMessage = z.infer<typeof docMessageSchema>;

export interface DocumentServerEvents {
  /** A y-protocols message for a document: a reply, or another device's update or presence. */
  'doc:message': (payload: { doc: DocName; message: Uint8Array }) => void;
}

export interface DocumentInterServerEvents {
  /** An update a node stored and applied; the other nodes apply it if they hold the document. */
  'doc:update': (roomId: string, docName: DocName, update: Uint8Array) => void;
  /** A presence change on a node (a y-protocols awareness message); the other nodes apply it if they hold the document. */
  'doc:awareness': (roomId: string, docName: DocName, message: Uint8Array) => void;
  /** A node that has just loaded a document asks the others who is present; each answers an awareness message, or null. */
  'doc:presence': (roomId: string, docName: DocName, answer: (message: Uint8Array | null) => void) => void;
}

/** What a node receiving `doc:update` or `doc:awareness` checks before applying it. */
export const docUpdateBroadcastSchema = z.tuple([z.string().min(1).max(128), docNameSchema, z.instanceof(Uint8Array)]);

/** What a node asked `doc:presence` checks: the document, then the answer callback. */
export const docPresenceQuerySchema = z.tuple([
  z.string().min(1).max(128),
  docNameSchema,
  z.custom<(message: Uint8Array | null) => void>((value) => typeof value === 'function'),
]);

/** What a node that asked `doc:presence` checks in each answer. */
export const docPresenceAnswerSchema = z.instanceof(Uint8Array).nullable();
