import { z } from 'zod';
import { ErrorCode, errorMessages, type ProtocolError } from './errors';

/**
 * What a payload that does not fit its schema is refused with. A payload of the wrong shape is
 * a program's mistake: INVALID_PAYLOAD, naming the field. A rule a person has to keep, such as
 * accepting the ground rules, is checked by the schema too but refused with its own code, so
 * an app can show the words for it; the schema names that code in its issue's params.
 */
interface NamedRefusalParams {
  refusal: ErrorCode;
}

function namedRefusalOf(issue: z.core.$ZodIssue): ErrorCode | null {
  if (issue.code !== 'custom') return null;
  const refusal = (issue.params as Partial<NamedRefusalParams> | undefined)?.refusal;
  return typeof refusal === 'string' && refusal in ErrorCode ? refusal : null;
}

/** `true`, and nothing else: left out, `false` or anything other is GROUND_RULES_REQUIRED. */
export const groundRulesAcceptedSchema = z.custom<true>((value) => value === true, {
  message: 'Please accept the ground rules first.',
  params: { refusal: ErrorCode.GROUND_RULES_REQUIRED } satisfies NamedRefusalParams,
});

/**
 * The refusal for a failed parse: a named rule's own code when every problem is that rule
 * (a payload also wrong in shape is INVALID_PAYLOAD), else INVALID_PAYLOAD with the first
 * problem in words: its path and the schema's message, never the value that was sent.
 */
export function payloadRefusal(error: z.ZodError): ProtocolError {
  const named = error.issues.map(namedRefusalOf);
  const first = named[0];
  if (first && named.every((code) => code === first)) return { code: first, message: errorMessages[first] };
  const issue = error.issues[0];
  if (!issue) return { code: ErrorCode.INVALID_PAYLOAD, message: errorMessages.INVALID_PAYLOAD };
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return { code: ErrorCode.INVALID_PAYLOAD, message: `${errorMessages.INVALID_PAYLOAD} (${where}${issue.message})` };
}
