import { z } from 'zod';
import { PARTNER_SEATS } from '../protocol/identity';

/**
 * Every turn command, as a zod schema the server parses inbound payloads with before the
 * machine sees them. `Command` is inferred from these schemas, so the command list is written
 * once; the machine re-checks the limits that matter, so it stays safe on its own.
 */

export const TEXT_MAX = 4000;
export const ID_MAX = 100;
export const SUGGESTED_TIME_MAX = 100;
export const UNTIL_LABEL_MAX = 40;
export const PAUSE_DEFAULT_MINUTES = 20;
export const PAUSE_MIN_MINUTES = 1;
export const PAUSE_MAX_MINUTES = 120;

export const RepairPhrase = {
  gentler: 'Could you say that more gently?',
  tryAgain: 'Let me try again',
  moment: 'I need a moment',
  thanks: 'Thank you for listening',
} as const;
export type RepairPhraseId = keyof typeof RepairPhrase;

/** Why someone ended a session early, read by everyone on the ending screen (TM-44). */
export const EndReason = {
  enough: "We've done enough for today",
  anotherDay: 'This needs more time another day',
  topicBreak: 'We need a break from this topic',
} as const;
export type EndReasonId = keyof typeof EndReason;
const endReasonIds = Object.keys(EndReason) as [EndReasonId, ...EndReasonId[]];
export const END_REASON_IDS: readonly EndReasonId[] = endReasonIds;
/** A few words of one's own beside the reason: short, because they are read by everyone at a hard moment. */
export const END_NOTE_MAX = 140;
const repairPhraseIds = Object.keys(RepairPhrase) as [RepairPhraseId, ...RepairPhraseId[]];
export const REPAIR_PHRASE_IDS: readonly RepairPhraseId[] = repairPhraseIds;

const seat = z.enum(PARTNER_SEATS);
const mode = z.enum(['aloud', 'write']);
const text = z.string().max(TEXT_MAX).refine((s) => s.trim().length > 0, 'Text cannot be blank');
const id = z.string().min(1).max(ID_MAX).refine((s) => s.trim().length > 0, 'Id cannot be blank');
const packId = z.string().min(1).max(64);

export const commandSchemas = {
  propose: z.strictObject({ type: z.literal('propose'), packId, mode }),
  accept: z.strictObject({ type: z.literal('accept') }),
  decline: z.strictObject({ type: z.literal('decline'), suggestedTime: z.string().max(SUGGESTED_TIME_MAX).optional() }),
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
  holdStep: z.strictObject({ type: z.literal('holdStep') }),
  grantFloor: z.strictObject({ type: z.literal('grantFloor'), seat }),
  skipStep: z.strictObject({ type: z.literal('skipStep') }),
  repeatStep: z.strictObject({ type: z.literal('repeatStep') }),
  advance: z.strictObject({ type: z.literal('advance') }),
  choosePack: z.strictObject({ type: z.literal('choosePack'), packId, mode: mode.optional() }),
  resume: z.strictObject({ type: z.literal('resume') }),
  pause: z.strictObject({
    type: z.literal('pause'),
    minutes: z.number().int().min(PAUSE_MIN_MINUTES).max(PAUSE_MAX_MINUTES).optional(),
    untilLabel: z.string().max(UNTIL_LABEL_MAX).optional(),
  }),
  back: z.strictObject({ type: z.literal('back') }),
  repair: z.strictObject({ type: z.literal('repair'), phrase: z.enum(repairPhraseIds) }),
  keepRecord: z.strictObject({ type: z.literal('keepRecord'), keep: z.boolean() }),
  endSession: z.strictObject({
    type: z.literal('endSession'),
    reason: z.enum(endReasonIds).optional(),
    note: z.string().max(END_NOTE_MAX).refine((s) => s.trim().length > 0, 'Note cannot be blank').optional(),
  }),
} as const;

type CommandSchema = (typeof commandSchemas)[keyof typeof commandSchemas];
// The union is the record's schemas, so a command is written once.
export const commandSchema = z.discriminatedUnion('type', Object.values(commandSchemas) as [CommandSchema, ...CommandSchema[]]);

export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: z.ZodError } {
  const result = commandSchema.safeParse(input);
  return result.success ? { ok: true, command: result.data } : { ok: false, error: result.error };
}
