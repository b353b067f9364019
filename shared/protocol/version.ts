/**
 * Bumped whenever an event or payload changes shape; checked at the Socket.IO handshake, so an
 * app still cached from before is told to reload instead of speaking a protocol whose meaning
 * changed. 2: acceptances, proposers and versions are server records, not document content.
 * 3: the records carry versions as summaries; `version:get` returns one snapshot.
 */
export const PROTOCOL_VERSION = 3;
