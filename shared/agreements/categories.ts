export const AGREEMENT_CATEGORIES = [
  'honesty',
  'boundaries',
  'communication',
  'time-together',
  'household',
  'other',
] as const;
export type AgreementCategory = (typeof AGREEMENT_CATEGORIES)[number];

export const categoryLabels: Record<AgreementCategory, string> = {
  honesty: 'Honesty',
  boundaries: 'Boundaries',
  communication: 'Communication',
  'time-together': 'Time together',
  household: 'Household',
  other: 'Other',
};

export function isAgreementCategory(value: unknown): value is AgreementCategory {
  return typeof value === 'string' && (AGREEMENT_CATEGORIES as readonly string[]).includes(value);
}
