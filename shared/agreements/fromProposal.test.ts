import { describe, expect, it } from 'vitest';
import { agreementFromProposal, TITLE_CHARS } from './fromProposal';

describe('a session’s proposal as an agreement: a short title, the whole sentence as its words', () => {
  it.each([
    // one clause: the sentence is the title, without its full stop
    ['We tell each other when plans change.', 'We tell each other when plans change'],
    // the first clause names it
    ['We put our phones away at dinner, so we can really talk.', 'We put our phones away at dinner'],
    ['No big talks after ten; we sleep on it and talk at breakfast.', 'No big talks after ten'],
    ['We check in every Sunday - even when the week was fine.', 'We check in every Sunday'],
    ['Do we plan the holidays together? I would like that.', 'Do we plan the holidays together?'],
    // a first clause too short to name anything takes the next one with it
    ['Okay, we take turns choosing the film.', 'Okay, we take turns choosing the film'],
    ['Yes. We ask before we borrow the car.', 'Yes. We ask before we borrow the car'],
    // a capital to start with
    ['we say sorry out loud.', 'We say sorry out loud'],
    // white space tidied
    ['  We   walk together  on Saturdays.  ', 'We walk together on Saturdays'],
    // a full stop inside a number or an abbreviation does not end the clause
    ['We save 2.5 percent each month for the trip.', 'We save 2.5 percent each month for the trip'],
  ])('%s → %s', (text, title) => {
    const made = agreementFromProposal(text);
    expect(made.title).toBe(title);
    expect(made.body).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('cuts a long first clause at a whole word, with an ellipsis', () => {
    const text =
      'When one of us feels that the conversation is getting too heated for either of us to listen well we both stop and take twenty minutes apart.';
    const { title, body } = agreementFromProposal(text);
    expect(title.length).toBeLessThanOrEqual(TITLE_CHARS);
    expect(title).toBe('When one of us feels that the conversation is getting too…');
    expect(body).toBe(text);
  });

  it('cuts a long word-less run where it must', () => {
    const { title } = agreementFromProposal('x'.repeat(200));
    expect(title).toBe(`X${'x'.repeat(TITLE_CHARS - 2)}…`);
  });

  it('keeps the lines of the proposal in the body and names it by the first', () => {
    const { title, body } = agreementFromProposal('We cook on Mondays.\n\n  Alex shops on Sundays.  ');
    expect(title).toBe('We cook on Mondays');
    expect(body).toBe('We cook on Mondays.\nAlex shops on Sundays.');
  });

  it('gives nothing for nothing', () => {
    expect(agreementFromProposal('   ')).toEqual({ title: '', body: '' });
  });
});
