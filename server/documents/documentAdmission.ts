import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import { addsContent, deepestNewType, newTypeCount, readinessOf, type Need } from './updateReadiness';
import { readUpdateStructure, TooManyTypes, type UpdateStructure } from './updateStructure';

/** The bounds every update is checked against (rules RD-04 and RD-05, docs/documents-rules.md). */
export interface DocLimits {
  /** one update, as received */
  maxUpdateBytes: number;
  /** the whole document, encoded as one update */
  maxDocBytes: number;
  /** shared types (maps, texts, XML nodes) one update may add: Yjs builds an object for each */
  maxNewTypes: number;
  /** how deep a shared type may sit (a root's child is at 1): Yjs walks up the tree for each change */
  maxTypeDepth: number;
}

export const DEFAULT_DOC_LIMITS: DocLimits = {
  maxUpdateBytes: 256 * 1024,
  maxDocBytes: 4 * 1024 * 1024,
  maxNewTypes: 512,
  maxTypeDepth: 64,
};

/** The subset of pino the documents use. Only ids, sizes and counts are logged, never content. */
export interface DocLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Which document a check is for, and where its refusals are logged. */
export interface AdmissionContext {
  readonly roomId: string;
  readonly docName: string;
  readonly limits: DocLimits;
  readonly logger: DocLogger;
}

/**
 * The document's encoded size as admission tracks it: an upper bound, exact at load, grown by
 * each applied update's size, measured again only near the limit.
 */
export interface DocSize {
  approxBytes: number;
  /** `approxBytes` is the exact size: nothing changed since it was measured */
  approxExact: boolean;
}

/** What the first checks made of an update: nothing in it, ready to apply, or waiting for what it builds on. */
export type Admission =
  | { readonly kind: 'empty' }
  | { readonly kind: 'ready'; readonly structure: UpdateStructure }
  | { readonly kind: 'waiting'; readonly needs: readonly Need[] };

/**
 * The checks every update goes through, whoever sent it, each costing time linear in the
 * update's bytes, never in a number written inside it: size and structure, read without
 * building Yjs objects (updateStructure.ts), so nothing unreadable reaches the log (RD-04);
 * whether it holds anything new (RD-06); what it builds on (RD-07, RD-08). Throws the refusal as an AppError.
 */
export function admitUpdate(ctx: AdmissionContext, doc: Y.Doc, update: Uint8Array): Admission {
  const bytes = update.byteLength;
  if (bytes > ctx.limits.maxUpdateBytes) refuse(ctx, 'UPDATE_TOO_LARGE', { bytes }, 'update refused: too large');
  let structure: UpdateStructure;
  try {
    structure = readUpdateStructure(update, { maxNewTypes: ctx.limits.maxNewTypes, knownState: (client) => Y.getState(doc.store, client) });
  } catch (err) {
    if (err instanceof TooManyTypes) refuse(ctx, 'UPDATE_TOO_COMPLEX', { bytes }, 'update refused: too many shared types');
    refuse(ctx, 'UPDATE_MALFORMED', { bytes }, 'update refused: malformed');
  }
  if (structure.structCount === 0 && structure.deletes.length === 0) return { kind: 'empty' };
  return readinessAdmission(ctx, doc, update, structure);
}

/** RD-07 and RD-08 again for an update that waited: it may now be ready, still wait, or never apply. */
export function readinessAdmission(ctx: AdmissionContext, doc: Y.Doc, update: Uint8Array, structure: UpdateStructure): Admission {
  const readiness = readinessOf(doc, structure);
  if (readiness.kind === 'impossible') refuse(ctx, 'UPDATE_MALFORMED', { bytes: update.byteLength }, 'update refused: its parts wait on each other');
  if (readiness.kind === 'waiting') return { kind: 'waiting', needs: readiness.needs };
  return { kind: 'ready', structure };
}

/**
 * The checks of an update about to apply (RD-05): how many shared types it adds and how deep,
 * and the document's size after it. Near the size limit the document is measured (once per
 * change, not per update refused); an update that only removes content is still let through, or
 * a full document could never be trimmed.
 */
export function admitIntegration(ctx: AdmissionContext, doc: Y.Doc, size: DocSize, update: Uint8Array, structure: UpdateStructure): void {
  const bytes = update.byteLength;
  const { maxNewTypes, maxTypeDepth, maxDocBytes } = ctx.limits;
  const types = newTypeCount(doc, structure);
  if (types > maxNewTypes || (types > 0 && deepestNewType(doc, structure, maxTypeDepth) > maxTypeDepth)) {
    refuse(ctx, 'UPDATE_TOO_COMPLEX', { bytes, types }, 'update refused: too many or too deeply nested shared types');
  }
  if (size.approxBytes + bytes <= maxDocBytes) return;
  if (!size.approxExact) {
    size.approxBytes = Y.encodeStateAsUpdate(doc).byteLength;
    size.approxExact = true;
  }
  if (size.approxBytes + bytes > maxDocBytes && addsContent(doc, structure)) {
    refuse(ctx, 'DOC_TOO_LARGE', { bytes, docBytes: size.approxBytes }, 'update refused: document too large');
  }
}

function refuse(ctx: AdmissionContext, code: 'UPDATE_TOO_LARGE' | 'UPDATE_TOO_COMPLEX' | 'UPDATE_MALFORMED' | 'DOC_TOO_LARGE', fields: object, msg: string): never {
  ctx.logger.warn({ roomId: ctx.roomId, docName: ctx.docName, ...fields }, msg);
  throw new AppError(code);
}
