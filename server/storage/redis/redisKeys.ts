import type { RoomLogName } from '../types';

/**
 * Every key the Redis store writes, in one place. A room's keys share the hash tag `{roomId}`
 * (so they would land on one Redis Cluster slot) and the prefix `<p>r:{roomId}:`, which is how
 * Storage.deleteRoom finds anything left over. Parts are URI-encoded: an id can never contain
 * the separator, a brace or a glob character that would let one room's keys match another's.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** `<p>r:{roomId}:` — every key of the room starts with this */
  roomPrefix(roomId: string): string {
    return `${this.prefix}r:{${part(roomId, 'roomId')}}:`;
  }
  room(roomId: string): string {
    return `${this.roomPrefix(roomId)}record`;
  }
  doc(roomId: string, docName: string): string {
    return `${this.roomPrefix(roomId)}doc:${part(docName, 'docName')}`;
  }
  /** how many times the document's log was compacted: a compaction swaps only the log it read */
  docGeneration(roomId: string, docName: string): string {
    return `${this.roomPrefix(roomId)}docgen:${part(docName, 'docName')}`;
  }
  /**
   * set when the room is deleted, for a while: writes to a deleted room (its documents, turn
   * state and transcripts) are refused, so one still on its way from a node that has not heard
   * of the deletion leaves nothing behind
   */
  roomDeleted(roomId: string): string {
    return `${this.roomPrefix(roomId)}deleted`;
  }
  /** the set of the room's document keys (logs and generations), for deletion */
  docNames(roomId: string): string {
    return `${this.roomPrefix(roomId)}docs`;
  }
  /** the room's agreements record (acceptances, commitments…): a hash of version and state, as the turn */
  agreementRecords(roomId: string): string {
    return `${this.roomPrefix(roomId)}agreementRecords`;
  }
  /** the snapshots of the room's saved agreement versions: a hash, one field per version id */
  agreementVersions(roomId: string): string {
    return `${this.roomPrefix(roomId)}agreementVersions`;
  }
  /** the room's check-ins between sessions: a hash of version and state, as the turn */
  checkIns(roomId: string): string {
    return `${this.roomPrefix(roomId)}checkIns`;
  }
  turn(roomId: string): string {
    return `${this.roomPrefix(roomId)}turn`;
  }
  transcript(roomId: string, log: RoomLogName): string {
    return `${this.roomPrefix(roomId)}transcript:${part(log, 'log')}`;
  }
  /** the set of the room's log streams, for deletion */
  transcriptSessions(roomId: string): string {
    return `${this.roomPrefix(roomId)}transcripts`;
  }
  inviteIndex(hash: string): string {
    return `${this.prefix}idx:invite:${part(hash, 'hash')}`;
  }
  codeIndex(code: string): string {
    return `${this.prefix}idx:code:${part(code, 'code')}`;
  }
  counsellorIndex(counsellorId: string): string {
    return `${this.prefix}idx:counsellor:${part(counsellorId, 'counsellorId')}`;
  }
  /** sorted set: room id scored by lastActiveAt */
  activity(): string {
    return `${this.prefix}idx:active`;
  }
  record(key: string): string {
    return `${this.prefix}kv:${part(key, 'key')}`;
  }
}

function part(value: string, name: string): string {
  if (value.length === 0) throw new TypeError(`${name} must be non-empty`);
  // encodeURIComponent leaves these unescaped; they are glob characters for SCAN MATCH.
  return encodeURIComponent(value).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A SCAN MATCH pattern that matches exactly the keys starting with `literal`. */
export function globPrefix(literal: string): string {
  return `${literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}
