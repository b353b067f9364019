import { Page } from '../ui/Layout';

/** Plain words first: who this space is not for, and where to go instead. */
export function HelpPage() {
  return (
    <Page>
      <h1>Getting help</h1>
      <div className="card notice-strong">
        <h2>This space is not for abuse or violence</h2>
        <p>
          Common Ground is for two people who both choose to rebuild trust, and who feel safe with each other. If your partner
          hurts you, threatens you, controls where you go or who you see, or you are afraid of how they will react to what you
          say, please do not use this app to work it out together. Talking "fairly" is not safe when one person is afraid.
        </p>
        <p>
          <strong>If you are in danger now, call your local emergency number</strong> (112 in Europe, 911 in the US and Canada,
          999 in the UK, 000 in Australia).
        </p>
      </div>
      <h2>Confidential support, free of charge</h2>
      <ul className="help-list">
        <li>
          <strong>United States:</strong> National Domestic Violence Hotline, call 1-800-799-7233 or text START to 88788.
        </li>
        <li>
          <strong>United Kingdom:</strong> National Domestic Abuse Helpline, 0808 2000 247, day and night.
        </li>
        <li>
          <strong>Canada:</strong> find your province's crisis line through your local emergency or 211 service.
        </li>
        <li>
          <strong>Australia:</strong> 1800RESPECT, 1800 737 732.
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
        If someone might see your screen, this button leaves Common Ground for a neutral page. Your browser history will still
        show that you were here.
      </p>
      <button type="button" className="button secondary" onClick={() => window.location.replace('https://www.wikipedia.org/')}>
        Leave this site now
      </button>
    </Page>
  );
}
