/**
 * The y-protocols message types, as y-websocket frames them: each binary document message
 * starts with one of these, then the y-protocols payload. Server and client both read and write
 * them, so any Yjs client that speaks y-protocols can sync with the server.
 */
export const YjsMessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export type YjsMessageType = (typeof YjsMessageType)[keyof typeof YjsMessageType];
