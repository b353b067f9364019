import { z } from 'zod';
import { ID_MAX } from './turnMachine';
import {
  PAUSE_MAX_MINUTES,
  PAUSE_MIN_MINUTES,
  TEXT_MAX,
  type Command,
  type RepairPhraseId,
  type SessionEvent,
  type SessionState,
} from './types';

/**
 * Schemas for every turn command, so the server parses inbound payloads before the machine
 * sees them (the machine re-checks the limits that matter, so it stays safe on its own).
 */

const seat = z.enum(['A', 'B']);
const mode = z.enum(['aloud', 'write']);
const text = z.string().max(TEXT_MAX).refine((s) => s.trim().length > 0, 'Text cannot be blank');
const id = z.string().min(1).max(ID_MAX).refine((s) => s.trim().length > 0, 'Id cannot be blank');
const packId = z.string().min(1).max(64);
const repairPhraseIds = ['gentler', 'tryAgain', 'moment', 'thanks'] as const satisfies readonly RepairPhraseId[];

export const commandSchemas = {
  propose: z.strictObject({ type: z.literal('propose'), packId, mode }),
  accept: z.strictObject({ type: z.literal('accept') }),
  decline: z.strictObject({ type: z.literal('decline'), suggestedTime: z.string().max(100).optional() }),
  cancelProposal: z.strictObject({ type: z.literal('cancelProposal') }),
  speak: z.strictObject({ type: z.literal('speak'), text }),
  passToReflect: z.strictObject({ type: z.literal('passToReflect') }),
  reflect: z.strictObject({ type: z.literal('reflect'), text: text.optional() }),
  confirm: z.strictObject({ type: z.literal('confirm') }),
  notQuite: z.strictObject({ type: z.literal('notQuite'), backTo: z.enum(['reflect', 'speak']) }),
  validate: z.strictObject({ type: z.literal('validate'), text: text.optional() }),
  empathise: z.strictObject({ type: z.literal('empathise'), text: text.optional() }),
  passFloor: z.strictObject({ type: z.literal('passFloor') }),
  addEntry: z.strictObject({ type: z.literal('addEntry'), id, text }),
  ready: z.strictObject({ type: z.literal('ready') }),
  proposeAgreement: z.strictObject({ type: z.literal('proposeAgreement'), id, text }),
  nextStep: z.strictObject({ type: z.literal('nextStep') }),
  grantFloor: z.strictObject({ type: z.literal('grantFloor'), seat }),
  skipStep: z.strictObject({ type: z.literal('skipStep') }),
  repeatStep: z.strictObject({ type: z.literal('repeatStep') }),
  advance: z.strictObject({ type: z.literal('advance') }),
  choosePack: z.strictObject({ type: z.literal('choosePack'), packId, mode: mode.optional() }),
  resume: z.strictObject({ type: z.literal('resume') }),
  pause: z.strictObject({
    type: z.literal('pause'),
    minutes: z.number().int().min(PAUSE_MIN_MINUTES).max(PAUSE_MAX_MINUTES).optional(),
    untilLabel: z.string().max(40).optional(),
  }),
  back: z.strictObject({ type: z.literal('back') }),
  repair: z.strictObject({ type: z.literal('repair'), phrase: z.enum(repairPhraseIds) }),
  keepRecord: z.strictObject({ type: z.literal('keepRecord'), keep: z.boolean() }),
  endSession: z.strictObject({ type: z.literal('endSession') }),
} as const;

export const commandSchema = z.discriminatedUnion('type', [
  commandSchemas.propose,
  commandSchemas.accept,
  commandSchemas.decline,
  commandSchemas.cancelProposal,
  commandSchemas.speak,
  commandSchemas.passToReflect,
  commandSchemas.reflect,
  commandSchemas.confirm,
  commandSchemas.notQuite,
  commandSchemas.validate,
  commandSchemas.empathise,
  commandSchemas.passFloor,
  commandSchemas.addEntry,
  commandSchemas.ready,
  commandSchemas.proposeAgreement,
  commandSchemas.nextStep,
  commandSchemas.grantFloor,
  commandSchemas.skipStep,
  commandSchemas.repeatStep,
  commandSchemas.advance,
  commandSchemas.choosePack,
  commandSchemas.resume,
  commandSchemas.pause,
  commandSchemas.back,
  commandSchemas.repair,
  commandSchemas.keepRecord,
  commandSchemas.endSession,
]);

// Compile-time guard: what the schema accepts is exactly a Command, in both directions.
type Parsed = z.infer<typeof commandSchema>;
const _parsedIsCommand = (c: Parsed): Command => c;
const _commandIsParsed = (c: Command): Parsed => c;
void _parsedIsCommand;
void _commandIsParsed;

export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: z.ZodError } {
  const result = commandSchema.safeParse(input);
  return result.success ? { ok: true, command: result.data } : { ok: false, error: result.error };
}

/** The snapshot the server stores with its version and broadcasts to the room. */
export type SessionSnapshot = SessionState;
export type SessionBroadcastEvent = SessionEvent;
