import { z } from 'zod';

/**
 * Bumped whenever an event or payload changes shape; checked at the Socket.IO handshake, so an
 * app still cached from before is told to reload instead of speaking a protocol whose meaning
 * changed. 2: acceptances, proposers and versions are server records, not document content.
 * 3: the records carry versions as summaries; `version:get` returns one snapshot.
 * 4: a partner's `nextStep` asks the other partner (`holdStep` answers it), so a client that
 * cannot show the request would leave both waiting.
 */
export const PROTOCOL_VERSION = 4;

/**
 * The handshake's `auth`: the app's protocol version, which must be this server's. Other
 * fields are let through untouched: Socket.IO and its recovery may add their own.
 */
export const handshakeAuthSchema = z.looseObject({ protocolVersion: z.literal(PROTOCOL_VERSION) });
