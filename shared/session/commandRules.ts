import type { Command, CommandType } from './sessionSchemas';

/**
 * Who may send each command, and whether it is accepted during a time-out. One row per
 * command type: the compiler refuses a command without a row, and the machine reads nothing
 * about senders or pauses anywhere else.
 *
 * - `partners` (TM-07): turn moves; the counsellor is refused.
 * - `counsellor` (TM-24): moderation; a partner is refused.
 * - `anyone`: either partner or the counsellor.
 * - `whilePaused` (TM-29): accepted during a time-out.
 */
export type Sender = 'partners' | 'counsellor' | 'anyone';

export interface CommandRule {
  sender: Sender;
  whilePaused: boolean;
}

export const COMMAND_RULES = {
  propose: { sender: 'anyone', whilePaused: false },
  accept: { sender: 'partners', whilePaused: false },
  decline: { sender: 'partners', whilePaused: false },
  cancelProposal: { sender: 'anyone', whilePaused: false },
  speak: { sender: 'partners', whilePaused: false },
  passToReflect: { sender: 'partners', whilePaused: false },
  reflect: { sender: 'partners', whilePaused: false },
  confirm: { sender: 'partners', whilePaused: false },
  notQuite: { sender: 'partners', whilePaused: false },
  validate: { sender: 'partners', whilePaused: false },
  empathise: { sender: 'partners', whilePaused: false },
  passFloor: { sender: 'partners', whilePaused: false },
  addEntry: { sender: 'partners', whilePaused: false },
  ready: { sender: 'partners', whilePaused: false },
  proposeAgreement: { sender: 'anyone', whilePaused: false },
  nextStep: { sender: 'anyone', whilePaused: false },
  holdStep: { sender: 'partners', whilePaused: false },
  grantFloor: { sender: 'counsellor', whilePaused: false },
  skipStep: { sender: 'counsellor', whilePaused: false },
  repeatStep: { sender: 'counsellor', whilePaused: false },
  advance: { sender: 'counsellor', whilePaused: false },
  choosePack: { sender: 'counsellor', whilePaused: false },
  resume: { sender: 'counsellor', whilePaused: true },
  pause: { sender: 'anyone', whilePaused: true },
  back: { sender: 'partners', whilePaused: true },
  repair: { sender: 'partners', whilePaused: true },
  keepRecord: { sender: 'partners', whilePaused: false },
  endSession: { sender: 'anyone', whilePaused: true },
} as const satisfies Record<CommandType, CommandRule>;

/** Every command type, in the order of the table. */
export const COMMAND_TYPES = Object.keys(COMMAND_RULES) as CommandType[];

type SentBy<S extends Sender> = {
  [T in CommandType]: (typeof COMMAND_RULES)[T]['sender'] extends S ? T : never;
}[CommandType];

export type PartnerCommand = Extract<Command, { type: SentBy<'partners'> }>;
export type CounsellorCommand = Extract<Command, { type: SentBy<'counsellor'> }>;
export type SharedCommand = Extract<Command, { type: SentBy<'anyone'> }>;

export const isPartnerCommand = (command: Command): command is PartnerCommand =>
  COMMAND_RULES[command.type].sender === 'partners';
export const isCounsellorCommand = (command: Command): command is CounsellorCommand =>
  COMMAND_RULES[command.type].sender === 'counsellor';
