import { seatStore } from '../device/seatStore';
import { Link } from '../router';
import { Page } from '../ui/Layout';
import { usePageHeading } from '../ui/usePageHeading';

export function LandingPage() {
  const latest = seatStore.latest();
  const heading = usePageHeading('Welcome');
  return (
    <Page>
      <section className="hero">
        <h1 {...heading}>A calm room for the two of you</h1>
        <p className="lead">
          Take turns to speak and to listen, make sure you have heard each other, and write down what you agree — at your own
          pace, side by side or miles apart.
        </p>
      </section>
      {latest && (
        <Link to={`/room/${latest.roomId}`} className="card card-link resume">
          <strong>Back to your room</strong>
          <span>You are in as {latest.displayName}</span>
        </Link>
      )}
      <div className="choice-grid">
        <Link to="/start" className="card card-link">
          <strong>Start a room</strong>
          <span>You will get a link, a QR code and a six-digit code to bring your partner in.</span>
        </Link>
        <Link to="/join" className="card card-link">
          <strong>Join with a code</strong>
          <span>Your partner has started a room and shows you six digits.</span>
        </Link>
      </div>
      <p className="small muted">
        No account, no password: your seat lives on this device. Are you a counsellor?{' '}
        <Link to="/counsellor">Open your workspace</Link>.
      </p>
      <p className="small">
        This space is for couples who both want to rebuild trust. If you are afraid of your partner,{' '}
        <Link to="/help">please read this first</Link>.
      </p>
    </Page>
  );
}
