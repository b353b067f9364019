import { z } from 'zod';

/**
 * A guided-session pack: data in content/packs/*.json, checked against this schema when the
 * server starts. Every object is strict so a misspelt key is caught at load time instead of
 * silently leaving a prompt out of a session.
 */

export const StepKind = {
  SpeakerListener: 'speaker-listener',
  Open: 'open',
  Agreement: 'agreement',
  Appreciation: 'appreciation',
  Break: 'break',
} as const;
export type StepKind = (typeof StepKind)[keyof typeof StepKind];

/** `proposer`/`other` are resolved against whoever proposed the session (A if a counsellor did). */
export const WhoStarts = { A: 'A', B: 'B', Proposer: 'proposer', Other: 'other' } as const;
export type WhoStarts = (typeof WhoStarts)[keyof typeof WhoStarts];

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens');
const line = z.string().trim().min(1).max(300);
const paragraph = z.string().trim().min(1).max(2000);
const starters = z.array(line).min(1).max(12);
const seconds = z.number().int().min(10).max(3600);

export const promptsSchema = z.strictObject({
  /** For the person holding the floor (or adding an entry, in simpler steps). */
  speaker: paragraph,
  /** For the person listening (or reading along). */
  listener: paragraph,
});

export const listenerStartersSchema = z.strictObject({
  /** Saying back what was heard, in the speaker's own terms. */
  mirror: starters,
  /** Inviting the speaker to go on. */
  askMore: starters,
  /** Showing that the speaker's view makes sense from where they stand. */
  validate: starters,
  /** Guessing, gently, at how the speaker feels. */
  empathise: starters,
});

export const timersSchema = z.strictObject({
  speak: seconds.optional(),
  reflect: seconds.optional(),
});

const stepBase = {
  id: slug,
  title: line,
  /** Shown to both partners when the step begins. */
  intro: paragraph,
};

export const speakerListenerStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal(StepKind.SpeakerListener),
  prompts: promptsSchema,
  starters: z.strictObject({
    /** About oneself: feelings and needs, never the other person's character. */
    speaker: starters,
    listener: listenerStartersSchema,
  }),
  timers: timersSchema.optional(),
  whoStarts: z.enum(WhoStarts),
  /** 2: both partners take a turn as speaker, the floor swapping once. */
  rounds: z.union([z.literal(1), z.literal(2)]),
  offerValidate: z.boolean(),
  offerEmpathise: z.boolean(),
});

const simpleStep = {
  ...stepBase,
  prompts: promptsSchema,
  starters: z.strictObject({ speaker: starters, listener: starters.optional() }).optional(),
  timers: timersSchema.optional(),
  whoStarts: z.enum(WhoStarts),
};

export const openStepSchema = z.strictObject({ ...simpleStep, kind: z.literal(StepKind.Open) });
export const appreciationStepSchema = z.strictObject({
  ...simpleStep,
  kind: z.literal(StepKind.Appreciation),
});
export const agreementStepSchema = z.strictObject({
  ...simpleStep,
  kind: z.literal(StepKind.Agreement),
  /** Category suggested for proposals when they are added to the agreements document. */
  category: slug.optional(),
  /** The step lists the agreements whose review day has come (a check-in's look at them again). */
  showsDueReviews: z.boolean().optional(),
  /** The step shows the week's check-ins on the agreements both hold (shared/checkIns/). */
  showsCheckIns: z.boolean().optional(),
});

export const breakStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal(StepKind.Break),
  minutes: z.number().int().min(1).max(60).optional(),
});

export const stepSchema = z.discriminatedUnion('kind', [
  speakerListenerStepSchema,
  openStepSchema,
  appreciationStepSchema,
  agreementStepSchema,
  breakStepSchema,
]);

export const packSchema = z
  .strictObject({
    id: slug,
    title: line,
    summary: paragraph,
    suggestedMinutes: z.number().int().min(5).max(180),
    tags: z.array(slug).max(12),
    /** Position in the library list; lower comes first. */
    order: z.number().int().min(0),
    steps: z.array(stepSchema).min(1).max(12),
  })
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    pack.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `Step id "${step.id}" is used twice in this pack`,
        });
      }
      seen.add(step.id);
    });
  });

export type Pack = z.infer<typeof packSchema>;
export type Step = z.infer<typeof stepSchema>;
export type SpeakerListenerStep = z.infer<typeof speakerListenerStepSchema>;
export type OpenStep = z.infer<typeof openStepSchema>;
export type AppreciationStep = z.infer<typeof appreciationStepSchema>;
export type AgreementStep = z.infer<typeof agreementStepSchema>;
export type BreakStep = z.infer<typeof breakStepSchema>;

export type PackSummary = Omit<Pack, 'steps'> & { stepCount: number };

export function summarisePack(pack: Pack): PackSummary {
  const { steps, ...meta } = pack;
  return { ...meta, stepCount: steps.length };
}
