import { seatStore, type StoredSeat } from '../device/seatStore';
import { Link } from '../router';
import { Page } from '../ui/Layout';
import { usePageHeading } from '../ui/usePageHeading';

/** The room this page was opened from (`?from=`), if this device has a seat in it; else its latest room. */
function roomToGoBackTo(): StoredSeat | null {
  const from = new URLSearchParams(window.location.search).get('from');
  return (from ? seatStore.get(from) : null) ?? seatStore.latest();
}

/** A neutral page, put in place of this one: Back does not return here. */
function leaveNow() {
  window.location.replace('https://www.wikipedia.org/');
}

/** A number to tap on a phone: `dial` in the form a phone dials from the country it serves. */
function Call({ dial, children }: { dial: string; children: string }) {
  return (
    <a className="help-number" href={`tel:${dial}`}>
      {children}
    </a>
  );
}

/** Plain words first: who this space is not for, and where to go instead. */
export function HelpPage() {
  const heading = usePageHeading('Getting help');
  const room = roomToGoBackTo();
  return (
    <Page>
      {/* first on the page and always in reach: someone may need to leave mid-sentence */}
      <div className="quick-exit">
        <button type="button" className="button quick-exit-button" onClick={leaveNow}>
          Leave this site now
        </button>
      </div>
      {/* the way back in stays out of the way out: below it, and it scrolls away */}
      {room && (
        <p className="back-to-room">
          <Link to={`/room/${room.roomId}`}>
            <span aria-hidden="true">←</span>Back to our room
          </Link>
        </p>
      )}
      <h1 {...heading}>Getting help</h1>
      <div className="card notice-strong">
        <h2>This space is not for abuse or violence</h2>
        <p>
          Common Ground is for two people who both choose to rebuild trust, and who feel safe with each other. If your partner
          hurts you, threatens you, controls where you go or who you see, or you are afraid of how they will react to what you
          say, please do not use this app to work it out together. Talking "fairly" is not safe when one person is afraid.
        </p>
        <p>
          <strong>If you are in danger now, call your local emergency number</strong>: <Call dial="112">112</Call> in Europe,{' '}
          <Call dial="911">911</Call> in the US and Canada, <Call dial="999">999</Call> in the UK, <Call dial="000">000</Call> in
          Australia.
        </p>
      </div>
      <h2>Confidential support, free of charge</h2>
      <ul className="help-list">
        <li>
          <strong>United States:</strong> National Domestic Violence Hotline, call <Call dial="+18007997233">1-800-799-7233</Call>{' '}
          or text START to{' '}
          <a className="help-number" href="sms:88788?&body=START">
            88788
          </a>
          .
        </li>
        <li>
          <strong>United Kingdom:</strong> National Domestic Abuse Helpline, <Call dial="08082000247">0808 2000 247</Call>, day
          and night.
        </li>
        <li>
          <strong>Canada:</strong> call <Call dial="211">211</Call> to find your province's crisis line.
        </li>
        <li>
          <strong>Australia:</strong> 1800RESPECT, <Call dial="1800737732">1800 737 732</Call>.
        </li>
        <li>
          <strong>Elsewhere:</strong> your doctor, a local women's or men's support service, or the police can point you to
          confidential help near you.
        </li>
      </ul>
      <h2>When it is not about safety</h2>
      <p>
        Rebuilding trust is hard, and you do not have to do it alone. A couples counsellor or therapist can guide the
        conversations in this app with you; they can open a room for the two of you from their own workspace. If either of you
        feels overwhelmed, hopeless or thinks about self-harm, please contact a doctor or a crisis line today.
      </p>
      <h2>Leaving quickly</h2>
      <p>
        If someone might see your screen, the button at the top of this page leaves Common Ground for a neutral page, and
        Back does not bring this page back. Your browser history will still show that you were here.
      </p>
      {room && (
        <p className="actions">
          <Link to={`/room/${room.roomId}`} className="button secondary">
            Back to our room
          </Link>
        </p>
      )}
    </Page>
  );
}
