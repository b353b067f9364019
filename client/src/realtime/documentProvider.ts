import type * as Y from 'yjs';
import type { DocName } from '../../../shared/protocol/documents';
import { SocketIOProvider } from '../agreements/socketIOProvider';
import { getSocket } from './connection';

/** Keeps `doc` in step with the room's document `name` over this tab's one connection. */
export function documentProvider(doc: Y.Doc, name: DocName): SocketIOProvider {
  return new SocketIOProvider(getSocket(), doc, name);
}
