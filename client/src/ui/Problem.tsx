import type { ReactNode } from 'react';
import type { DeletedBy } from '../device/forgetRoom';
import type { ProtocolErrorDetails } from '../../../shared/protocol/errors';
import { Link } from '../router';
import { Page } from './Layout';
import { usePageHeading } from './usePageHeading';

/**
 * What a person can do next after each refusal they can meet; the title is the plain fact. In a
 * counsellor's room (`moderated`) the counsellor sends invites, so its reader is sent there.
 */
const problems: Record<string, { title: string; body: string; moderated?: string; next?: ReactNode }> = {
  ROOM_FULL: {
    title: 'This room already has its two partners',
    body: 'Someone has already used this invite. If that was you on another phone, carry on there, or ask your partner to invite you again from their room: the old phone will be signed out.',
    moderated: 'Someone has already used this invite. If that was you on another device, carry on there, or ask your counsellor to invite you again: the old device will be signed out.',
  },
  INVITE_USED: {
    title: 'This invite has already been used',
    body: 'Each invite opens one seat, once. Ask your partner to send you a new one from your room.',
    moderated: 'Each invite opens one seat, once. Ask your counsellor to send you a new one.',
  },
  INVITE_EXPIRED: {
    title: 'This invite has expired',
    body: 'Invites last a few days, so old links do not linger. Ask your partner to send a new one.',
    moderated: 'Invites last a few days, so old links do not linger. Ask your counsellor to send a new one.',
  },
  // read by anyone holding the link: the room behind it is unknown, so both people who send invites are named
  INVITE_NOT_FOUND: {
    title: 'This invite link does not work',
    body: 'Part of the link may have been lost when it was copied, or a newer invite has replaced it. Open it again from the message it came in, as a whole; if it still does not work, ask the person who invited you (your partner, or your counsellor) for a new one.',
  },
  ROOM_NOT_FOUND: {
    title: 'This room is no longer here',
    body: 'It was deleted, or it expired after a long time without visits. Everything in it was removed, from this device too.',
  },
  ROOM_DELETED: {
    title: 'This room was deleted',
    // read mostly by the partner who did not delete it: "as asked" was not their asking
    body: 'Someone in the room chose to delete it, or it expired after a long time without visits. Everything in it was removed, from this device too. You can start a new room at any time.',
  },
  TOKEN_REVOKED: {
    title: 'This device was signed out',
    body: 'Your seat in this room moved to a new device: from this device, or by your partner or your counsellor. This device no longer keeps anything of the room. Carry on from the new device, or ask to be invited again.',
  },
  JOIN_REFUSED: {
    title: 'You were signed out of this room',
    body: 'The person who shared the code said it was not meant for you, and this device no longer keeps anything of the room. If that is a mistake, ask them for a new code.',
  },
  // the room page opened again on a device that was signed out of the room and forgot it
  SIGNED_OUT: {
    title: 'This device was signed out of this room',
    body: 'Its seat moved to another device, or the person who shared the code said it was not meant for you. This device no longer keeps anything of the room. If you belong in it, carry on from the device that has your seat, or ask to be invited again.',
  },
  SEAT_SOCKETS_EXCEEDED: {
    title: 'This room is open in too many places',
    body: 'Your seat is already open in 5 tabs or devices. Close one of them, then reload this page.',
  },
  TOKEN_INVALID: {
    title: 'This device does not have a seat in this room',
    body: 'Seats live on the device that joined. If you changed device or cleared your browser, ask your partner (or your counsellor, if they opened the room) to invite you again.',
  },
  NO_SEAT: {
    title: 'This device does not have a seat in this room',
    body: 'Seats live on the device that joined. If you changed device or cleared your browser, ask your partner (or your counsellor, if they opened the room) to invite you again.',
  },
  OFFLINE: {
    title: 'You are offline',
    body: 'This device has no network just now. As soon as it is back, this page carries on by itself. Nothing you saved is lost.',
  },
  UNREACHABLE: {
    title: 'We cannot reach Common Ground right now',
    body: 'The server is not answering, so nothing can be opened or saved just now; what you saved before is safe. This page keeps trying by itself, or you can try again in a minute.',
  },
  TOO_MANY_CONNECTIONS: {
    title: 'Too many windows are open',
    // the title already says it: the body says only what to do
    body: 'Common Ground is open in more tabs and devices on your network than it can hold at once. Close the ones you are not using, then try again.',
  },
  PROTOCOL_MISMATCH: {
    title: 'A new version is ready',
    body: 'Reload the page to continue with the latest version.',
  },
};

/** Problems a reload can fix: the page offers it first. */
const RETRYABLE = ['OFFLINE', 'UNREACHABLE', 'PROTOCOL_MISMATCH', 'TOO_MANY_CONNECTIONS'];

/**
 * A room deleted by someone the device was told of: said once, plainly, with who did it. The
 * partner who did not delete it reads their partner's name; the deleter's other tabs read "You".
 */
function deletedByProblem(by: DeletedBy): { title: string; body: string; moderated?: string; confirmation?: boolean } {
  return {
    title: `${by.you ? 'You' : by.name} deleted this room`,
    body: 'Everything in it is gone, for both of you, and this device no longer keeps anything of it. You can start a new room whenever you want to.',
    // The one who deleted it reads what they did, done: a confirmation, not an alarm.
    ...(by.you ? { confirmation: true } : {}),
  };
}

export function ProblemPage({
  code,
  message,
  deletedBy,
  roomMode,
}: {
  code: string;
  message?: string;
  deletedBy?: DeletedBy | null;
  roomMode?: ProtocolErrorDetails['roomMode'];
}) {
  const known: { title: string; body: string; moderated?: string; confirmation?: boolean } | undefined =
    code === 'ROOM_DELETED' && deletedBy ? deletedByProblem(deletedBy) : problems[code];
  const problem = known ?? { title: 'Something went wrong', body: message ?? 'Please try again in a moment.' };
  const body = (roomMode === 'moderated' && problem.moderated) || problem.body;
  const heading = usePageHeading(problem.title);
  return (
    <Page>
      <div className={known?.confirmation ? 'card problem confirmation' : 'card problem'} role={known?.confirmation ? 'status' : 'alert'}>
        <h1 {...heading}>{problem.title}</h1>
        <p>{body}</p>
        <div className="actions">
          {RETRYABLE.includes(code) && (
            <button type="button" className="button" onClick={() => window.location.reload()}>
              {code === 'PROTOCOL_MISMATCH' ? 'Reload' : 'Try again'}
            </button>
          )}
          <Link to="/" className={RETRYABLE.includes(code) ? 'button secondary' : 'button'}>
            Go to the start page
          </Link>
          <Link to="/help" className="button secondary">
            Getting help
          </Link>
        </div>
      </div>
    </Page>
  );
}
