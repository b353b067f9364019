import { useEffect, useId, useState } from 'react';
import type { PushSettingsView, ReminderKind, ReminderShow } from '../../../shared/protocol/reminders';
import { request } from '../realtime/connection';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';
import { browserSubscription, notificationPermission, pushSupport } from './pushSupport';
import './reminders.css';

/** The kinds offered here: the ones the server has something to send for (docs/protocol.md, Reminders). */
const OFFERED: ReadonlyArray<{ kind: ReminderKind; label: string }> = [
  { kind: 'checkIns', label: 'A check-in on one of our promises is due' },
  { kind: 'reviews', label: 'A review date we set has come' },
];

/**
 * "Reminders on this device": turned on by a tap (the browser asks for permission only then),
 * what to be reminded of, and what a reminder may say: neutral by default, so a lock screen
 * shows nothing private. Only this device: the partner chooses for theirs.
 */
export function RemindersPanel({ headingId }: { headingId: string }) {
  const support = pushSupport();
  const action = useAction();
  const [mine, setMine] = useState<PushSettingsView | null | undefined>(undefined);
  const [kinds, setKinds] = useState<ReminderKind[]>(['checkIns', 'reviews']);
  const [show, setShow] = useState<ReminderShow>('neutral');
  const [said, setSaid] = useState('');
  const showName = useId();

  useEffect(() => {
    let live = true;
    void action.request('push:mine', {}).then((res) => {
      if (!live || !res) return;
      setMine(res.subscription);
      if (res.subscription) {
        setKinds(res.subscription.kinds.filter((k) => OFFERED.some((o) => o.kind === k)));
        setShow(res.subscription.show);
      }
    });
    return () => {
      live = false;
    };
    // once, when the panel opens
  }, []);

  async function turnOn() {
    setSaid('');
    // one action: a refusal or the browser's no at any step is the one error shown
    const res = await action.run(async () => {
      const { publicKey } = await request('push:publicKey', {});
      const device = await browserSubscription(publicKey);
      return request('push:subscribe', { ...device, show, kinds });
    });
    if (res) {
      setMine(res.subscription);
      setSaid(mine ? 'Saved. Reminders on this device follow your new choice.' : 'Reminders are on for this device.');
    }
  }

  async function turnOff() {
    setSaid('');
    const res = await action.request('push:unsubscribe', {});
    if (res) {
      setMine(null);
      setSaid('Reminders are off for this device.');
    }
  }

  const toggle = (kind: ReminderKind, on: boolean) => setKinds((now) => (on ? [...now, kind] : now.filter((k) => k !== kind)));

  if (support.kind === 'installFirst') {
    return (
      <section className="reminders" aria-labelledby={headingId}>
        <p>On iPhone and iPad, reminders work only once Common Ground is on your Home Screen (iOS 16.4 or later).</p>
        <ol className="reminders-steps">
          <li>
            Tap the Share button <span aria-hidden="true">(the square with an arrow)</span> at the bottom or top of Safari.
          </li>
          <li>Choose “Add to Home Screen”, then “Add”.</li>
          <li>Open Common Ground from its new icon, come back to this room, and turn reminders on here.</li>
        </ol>
      </section>
    );
  }
  if (support.kind === 'unsupported') {
    return (
      <section className="reminders" aria-labelledby={headingId}>
        <p>This browser cannot show reminders. Another browser on this device, or your phone, may.</p>
      </section>
    );
  }

  const blocked = notificationPermission() === 'denied';
  return (
    <section className="reminders" aria-labelledby={headingId}>
      <p className="small">
        Between sessions, this device can remind you, gently. Only this device: your partner chooses for theirs. There is never a
        reminder about a missed week.
      </p>
      {mine === undefined && !action.error ? <p className="small muted">Looking at what this device has…</p> : null}
      <fieldset className="reminders-group">
        <legend>Remind me when</legend>
        {OFFERED.map((o) => (
          <label key={o.kind} className="reminders-choice">
            <input type="checkbox" checked={kinds.includes(o.kind)} onChange={(e) => toggle(o.kind, e.target.checked)} />
            <span>{o.label}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="reminders-group">
        <legend>What a reminder says</legend>
        <label className="reminders-choice">
          <input type="radio" name={showName} checked={show === 'neutral'} onChange={() => setShow('neutral')} />
          <span>
            Just “Common Ground: A reminder”
            <span className="small muted reminders-hint">Your lock screen then shows nothing private. Recommended.</span>
          </span>
        </label>
        <label className="reminders-choice">
          <input type="radio" name={showName} checked={show === 'details'} onChange={() => setShow('details')} />
          <span>
            What is due, with the words of the promise
            <span className="small muted reminders-hint">Anyone who sees your screen could read them.</span>
          </span>
        </label>
      </fieldset>
      {blocked ? (
        <p className="notice notice-info small">
          Notifications are turned off for Common Ground in this browser’s settings. Allow them there for this site, then come back
          here.
        </p>
      ) : null}
      {!mine ? (
        <p className="small muted">When you turn reminders on, your browser asks whether Common Ground may show notifications.</p>
      ) : null}
      <div className="actions">
        <button type="button" className="button small" disabled={action.busy || kinds.length === 0 || blocked} onClick={() => void turnOn()}>
          {mine ? 'Save my choice' : 'Turn on reminders'}
        </button>
        {mine ? (
          <button type="button" className="button secondary small" disabled={action.busy} onClick={() => void turnOff()}>
            Turn off reminders
          </button>
        ) : null}
      </div>
      {kinds.length === 0 ? <p className="small muted">Choose at least one thing to be reminded of.</p> : null}
      <p className="small reminders-status" role="status">
        {said}
      </p>
      <FormError message={action.error?.message} />
    </section>
  );
}
