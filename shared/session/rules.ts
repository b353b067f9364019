/**
 * The rules of the turn machine, one line each. Refusals name the rule they enforce, tests
 * start with the id they check, and docs/turn-rules.md carries the same table (a test keeps
 * the two in step).
 */
export const rules = {
  'TM-01': 'A session can be proposed only when none is proposed or running.',
  'TM-02': 'A command that needs a pack must come with it: the proposal\'s pack to propose or accept, the session\'s pack to move between steps.',
  'TM-03': 'A session starts when both partners have accepted; proposing counts as accepting, and nobody accepts twice.',
  'TM-04': 'Only a partner who was asked and has not accepted can decline; declining returns to idle and keeps who said "not now" and the time they suggested.',
  'TM-05': 'Only the one who proposed, or the counsellor, can withdraw a proposal.',
  'TM-06': 'Session moves need a session: with none proposed or running they are refused, and turn moves wait until the session has started.',
  'TM-07': 'Turn moves (speaking, reflecting, confirming, entries, readiness, "I\'m back", repairs, record choices, accepting, declining) belong to the partners; the counsellor moderates.',
  'TM-08': 'Only the speaker speaks, hands over to reflect, confirms, or says "not quite".',
  'TM-09': 'Only the listener reflects, validates and empathises.',
  'TM-10': 'Each move fits its moment: speaking and handing over in SPEAK, reflecting in REFLECT, "that\'s it" or "not quite" in CHECK.',
  'TM-11': 'Typed speaking belongs to written sessions only.',
  'TM-12': 'In a written session the speaker types something before handing over, and a reflection has text.',
  'TM-13': 'Texts are not blank and at most 4000 characters; ids are short and not blank.',
  'TM-14': '"Not quite" goes back to REFLECT or SPEAK and clears the reflection; the floor stays with the speaker.',
  'TM-15': 'Validation and empathy come only after the speaker confirmed, only when the step offers them, once each, validation first.',
  'TM-16': 'Only the speaker passes the floor, and only after confirming the reflection.',
  'TM-17': 'Passing the floor in round 1 of a two-round step swaps speaker and listener; otherwise it completes the step.',
  'TM-18': 'A move must fit the kind of step: speaker-listener moves in speaker-listener steps, entries in open and appreciation steps, proposals in agreement steps.',
  'TM-19': 'In open and appreciation steps partners add entries in turn; saying "ready" hands over the turn; the step is complete when both are ready.',
  'TM-20': 'In agreement steps either partner or the counsellor may propose at any time; the step is complete when both partners are ready.',
  'TM-21': 'An entry or proposal id is never used twice.',
  'TM-22': 'Partners move to the next step only when it is complete; the counsellor may move on at any time.',
  'TM-23': 'Moving past the last step ends the session with a summary.',
  'TM-24': 'Granting the floor, skipping, repeating, advancing, choosing a pack and resuming are for the counsellor only.',
  'TM-25': 'Granting the floor gives a partner a fresh SPEAK in a speaker-listener step.',
  'TM-26': 'Advancing moves one notch as the person whose move it is would, without needing text, and never counts as a confirmed reflection.',
  'TM-27': 'Skipping moves on without counting the step as done; repeating starts the current step again.',
  'TM-28': 'Anyone may call a time-out in a proposed or running session, with no reason, for 1 to 120 minutes (20 if not said); calling another during a break can only lengthen it.',
  'TM-29': 'During a time-out only "I\'m back", resuming, another time-out, repair cards and ending are accepted.',
  'TM-30': 'A time-out ends when the partner who called it is back (both partners, for one the counsellor called), or when the counsellor resumes; what was paused comes back exactly as it was, with the break noted so its clocks leave it out.',
  'TM-31': 'Repair cards come from a fixed list, are for partners, and never change the floor or the step.',
  'TM-32': 'Keeping the written record is each partner\'s own choice, in written sessions only, and it is kept only if both choose to keep it.',
  'TM-33': 'Either partner or the counsellor can end the session at any time, even during a time-out.',
  'TM-34': 'Every accepted command raises the version by exactly one and stamps the time; a refused command changes nothing.',
  'TM-35': 'A break step is complete from the start and waits only for "next".',
  'TM-36': 'Who starts a step is A, B, the proposer, or the other partner; when the counsellor proposed, the proposer counts as A.',
  'TM-37': 'The counsellor\'s chosen pack becomes a proposal that both partners accept; it cannot replace a running session.',
  'TM-38': 'Once a session ended with its written record let go, the record cannot be chosen back.',
  'TM-39': 'A partner\'s "next step" in a complete step asks the other partner, once; the step moves on when the other partner asks too. The counsellor moves on alone.',
  'TM-40': 'A request to move on can be taken back by its asker or answered "not yet" by the other partner; with no request waiting there is nothing to answer.',
  'TM-41': 'A request to move on lasts only while its step stays the same and complete: any move that changes the step or reopens it drops the request.',
  'TM-42': 'Every counsellor move, and a next step both partners agreed to, leaves one line for the partners: who, what, when, and what "one notch on" moved past; a partner\'s next turn move clears it, and a partner\'s time-out never leaves one.',
  'TM-43': 'A summary says whether the session ended early and lists the reflections the speaker confirmed; their written words stay only when both partners kept the written record.',
  'TM-44': 'Whoever ends a running session may say why, with one reason from a short list and a few words of their own (up to 140 characters); the summary carries both for everyone in the room.',
} as const;

export type RuleId = keyof typeof rules;
export const RULE_IDS = Object.keys(rules) as RuleId[];
