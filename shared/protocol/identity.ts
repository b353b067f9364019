/**
 * Who is who in a room: the seats and the roles a socket can have. A leaf of the protocol: it
 * imports nothing, so every protocol file, shared/session and shared/agreements can use it
 * without an import cycle. Error codes are the other leaf (./errors.ts).
 */

export const SEAT_IDS = ['A', 'B', 'counsellor'] as const;
export const PARTNER_SEATS = ['A', 'B'] as const;
/** Any seat of a room: a partner's or the counsellor's. */
export type SeatId = (typeof SEAT_IDS)[number];
/** One of the two partners' seats. */
export type PartnerSeat = (typeof PARTNER_SEATS)[number];

/** What a socket is to the permission matrix: not seated, a partner, or a counsellor. */
export type Role = 'none' | 'partner' | 'counsellor';
