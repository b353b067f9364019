import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { YjsMessageType } from '../../shared/documents/yjsMessages';

/**
 * The document messages a test sends by hand, framed as y-websocket frames them, written here
 * with y-protocols itself so that a test never shares an encoder with the code it checks.
 */

/** A sync step 1: the state vector of `doc`, asking for what it lacks. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  return syncMessage((encoder) => syncProtocol.writeSyncStep1(encoder, doc));
}

/** A sync update (sync type 2) around `update`, whatever its bytes hold. */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  return syncMessage((encoder) => syncProtocol.writeUpdate(encoder, update));
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}
