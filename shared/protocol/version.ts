/** Bumped whenever an event or payload changes shape; checked at the Socket.IO handshake. */
export const PROTOCOL_VERSION = 1;
