import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { YjsMessageType } from '../../shared/documents/yjsMessages';
import { AppError } from '../../shared/protocol/errors';

/**
 * The y-protocols wire format, as y-websocket speaks it: each binary message starts with its
 * type (shared/documents/yjsMessages.ts), then the y-protocols payload. Any Yjs client that
 * speaks y-protocols can sync with it. The socket layer carries one document per binary event
 * and says which room and document it is for; these helpers only read and write the bytes.
 */

/** A client's message, read (RD-02): what the service acts on. */
export type ClientMessage =
  | { readonly kind: 'syncStep1'; readonly stateVector: Uint8Array }
  /** sync step 2 or an update: both carry a Yjs update */
  | { readonly kind: 'update'; readonly update: Uint8Array }
  /** `message` is the whole message when it holds nothing but this update, so it can be passed on as sent */
  | { readonly kind: 'awareness'; readonly update: Uint8Array; readonly message: Uint8Array | undefined }
  | { readonly kind: 'queryAwareness' };

/**
 * Reads one binary message from a client. Refusals are AppErrors: UPDATE_MALFORMED for bytes
 * that do not parse, INVALID_PAYLOAD for an unknown message type.
 */
export function readClientMessage(message: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(message);
  const messageType = readOrRefuse(() => decoding.readVarUint(decoder));
  switch (messageType) {
    case YjsMessageType.sync: {
      const syncType = readOrRefuse(() => decoding.readVarUint(decoder));
      const payload = readOrRefuse(() => decoding.readVarUint8Array(decoder));
      switch (syncType) {
        case sync.messageYjsSyncStep1:
          readOrRefuse(() => Y.decodeStateVector(payload));
          return { kind: 'syncStep1', stateVector: payload };
        case sync.messageYjsSyncStep2:
        case sync.messageYjsUpdate:
          return { kind: 'update', update: payload };
        default:
          throw new AppError('INVALID_PAYLOAD');
      }
    }
    case YjsMessageType.awareness: {
      const update = readOrRefuse(() => decoding.readVarUint8Array(decoder));
      return { kind: 'awareness', update, message: decoder.pos === message.byteLength ? message : undefined };
    }
    case YjsMessageType.queryAwareness:
      return { kind: 'queryAwareness' };
    default:
      throw new AppError('INVALID_PAYLOAD');
  }
}

/**
 * The answer to a client's sync step 1: our step 2, our own step 1, then who else is here. A
 * device that has just opened the document sees the partner's cursor at once, not at the
 * partner's next move or presence renewal (up to 15 s later), as y-websocket's server does on
 * connecting.
 */
export function syncAnswer(target: { doc: Y.Doc; awareness: Awareness }, stateVector: Uint8Array): Uint8Array[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.sync);
  sync.writeSyncStep2(encoder, target.doc, stateVector);
  return [encoding.toUint8Array(encoder), ...openingMessages(target)];
}

/** What follows our step 2 in the answer to a client's sync step 1: our own step 1, then the presence already there. */
export function openingMessages(target: { doc: Y.Doc; awareness: Awareness }): Uint8Array[] {
  const messages = [syncStep1Message(target.doc)];
  const clients = [...target.awareness.getStates().keys()];
  if (clients.length > 0) messages.push(awarenessMessage(target.awareness, clients));
  return messages;
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.sync);
  sync.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** An update to broadcast to the other holders of the document. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.sync);
  sync.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The current presence of the given clients (removed ones encode as removed). */
export function awarenessMessage(awareness: Awareness, clientIds: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [...clientIds]));
  return encoding.toUint8Array(encoder);
}

export function readOrRefuse<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw new AppError('UPDATE_MALFORMED');
  }
}
