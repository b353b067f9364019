import type { AgreementCategory } from './categories';

export interface StarterAgreement {
  title: string;
  body: string;
  category: AgreementCategory;
}

/**
 * Offered when a couple has no agreements yet: a place to start, in plain words, that they
 * are expected to change into their own.
 */
export const starterAgreements: readonly StarterAgreement[] = [
  {
    title: 'Time-outs are allowed, and we come back',
    body: 'When one of us feels flooded, we say "I need a time-out" and say when we will be back. The other lets them go without following. We come back when we said we would.',
    category: 'communication',
  },
  {
    title: 'We tell the truth, even when it is awkward',
    body: 'If something happened that the other would want to know, we say it ourselves, soon, rather than waiting for it to come out.',
    category: 'honesty',
  },
  {
    title: 'We ask before we assume',
    body: 'When something the other did worries us, we ask what happened before we decide what it meant.',
    category: 'communication',
  },
  {
    title: 'Phones and passwords',
    body: 'We agree together what is open between us and what stays private, and we look at it again when one of us asks.',
    category: 'boundaries',
  },
  {
    title: 'An evening that is just ours',
    body: 'Once a week we keep an evening for the two of us, without screens, and we plan it in turns.',
    category: 'time-together',
  },
  {
    title: 'We share the load fairly',
    body: 'We write down who does which chores, and we talk about it at the start of each month instead of keeping score.',
    category: 'household',
  },
];
