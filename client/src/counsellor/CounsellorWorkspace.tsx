import { useId, useState, type FormEvent } from 'react';
import { PrivateLineChoice, type CounsellorRoomSummary, type PrivateLine } from '../../../shared/protocol/counsellors';
import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { useRouter } from '../router';
import { FormError } from '../ui/FormError';
import { Page } from '../ui/Layout';
import { usePageHeading } from '../ui/usePageHeading';
import { counsellorStore } from './counsellorStore';
import { CoupleInvites } from './CoupleInvites';
import { useWorkspace } from './useWorkspace';
import { presenceWords, sessionLine } from './words';
import { CounsellorMarks } from '../checkIns/CounsellorMarks';

function partnerName(room: CounsellorRoomSummary, seat: 'A' | 'B'): string {
  return room.partners.find((p) => p.seat === seat)?.displayName ?? (seat === 'A' ? 'First partner' : 'Second partner');
}
import './counsellor.css';

function SetUp({ onRegister, onRecover }: { onRegister: (name: string) => Promise<void>; onRecover: (code: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const registering = useAction();
  const recovering = useAction();
  const busy = registering.busy || recovering.busy;
  const heading = usePageHeading('Your counsellor workspace');
  const codeId = useId();
  const nameId = useId();

  function register(e: FormEvent) {
    e.preventDefault();
    void registering.run(() => onRegister(name.trim()));
  }

  function recover(e: FormEvent) {
    e.preventDefault();
    void recovering.run(() => onRecover(code));
  }

  return (
    <>
      <section className="hero">
        <h1 {...heading}>Your counsellor workspace</h1>
        <p className="lead">
          Open rooms for the couples you work with, guide their sessions, and keep private notes that partners never see.
        </p>
      </section>
      <form className="card stack" onSubmit={register} aria-labelledby="setup-title">
        <h2 id="setup-title">Set up on this device</h2>
        <p className="muted">
          There is no password. This device keeps a key that opens your workspace. You will get a recovery code once, to move
          the workspace to another device.
        </p>
        <div className="field">
          <label htmlFor={nameId}>Your name, as couples will see it</label>
          <input id={nameId} autoComplete="name" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} required />
          <p className="hint">Shown to the partners in your rooms, next to &ldquo;counsellor&rdquo;.</p>
        </div>
        <FormError message={registering.error?.message} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy || name.trim().length === 0}>
            Set up my workspace
          </button>
        </div>
      </form>
      <form className="card stack" onSubmit={recover} aria-labelledby="recover-title">
        <h2 id="recover-title">Already set up on another device?</h2>
        <p className="muted">
          Type your recovery code to move your workspace here. This device gets a new key. Your other device is signed out of
          the workspace and its rooms, the code you typed stops working, and you get a new recovery code to keep.
        </p>
        <div className="field">
          <label htmlFor={codeId}>Recovery code</label>
          <input
            id={codeId}
            className="cn-recovery-input"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="ABCDE-FGHIJ-KLMNO-PQRST"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        <FormError message={recovering.error?.message} />
        <div className="actions">
          <button type="submit" className="button secondary" disabled={busy || code.trim().length < 20}>
            Move my workspace to this device
          </button>
        </div>
      </form>
    </>
  );
}

function RecoveryCodeCard({ code, moved, onDone }: { code: string; moved: boolean; onDone: () => void }) {
  const [kept, setKept] = useState(false);
  const heading = usePageHeading('Your recovery code');
  return (
    <section className="card stack cn-recovery" aria-labelledby="recovery-title">
      <h1 id="recovery-title" {...heading}>{moved ? 'Your workspace is on this device now' : 'Your workspace is ready'}</h1>
      <p>
        This is your recovery code. Write it down and keep it somewhere safe: it is the only way to open your workspace on
        another device. It is shown only this once{moved ? ', and the code you just used no longer works' : ''}.
      </p>
      <p className="cn-recovery-code" aria-label={`Recovery code ${code.split('').join(' ')}`}>
        {code.split('-').map((group, i, all) => (
          <span key={i} className="cn-recovery-group">
            {group}
            {i < all.length - 1 && <span aria-hidden="true">-</span>}
          </span>
        ))}
      </p>
      <label className="check">
        <input type="checkbox" checked={kept} onChange={(e) => setKept(e.target.checked)} />
        <span>I have written it down</span>
      </label>
      <div className="actions">
        <button type="button" className="button" disabled={!kept} onClick={onDone}>
          Open my workspace
        </button>
      </div>
    </section>
  );
}

function CreateRoom({ onCreate }: { onCreate: (label: string) => Promise<void> }) {
  const [label, setLabel] = useState('');
  const creating = useAction();
  const id = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if ((await creating.run(() => onCreate(label.trim()))) !== null) setLabel('');
  }
  return (
    <form className="card cn-create" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Open a room for a couple</h2>
      <div className="cn-create-row">
        <div className="field">
          <label htmlFor={id}>A label only you see</label>
          <input id={id} maxLength={40} placeholder="e.g. J & R" value={label} onChange={(e) => setLabel(e.target.value)} required />
        </div>
        <button type="submit" className="button" disabled={creating.busy || label.trim().length === 0}>
          Open the room
        </button>
      </div>
      <FormError message={creating.error?.message} />
    </form>
  );
}

function RoomCard({ room, latest, onOpen }: { room: CounsellorRoomSummary; latest: PrivateLine | undefined; onOpen: () => void }) {
  const invites = counsellorStore.get()?.invites[room.roomId];
  const open = room.partners.filter((p) => !p.claimed).map((p) => p.seat);
  const titleId = `room-${room.roomId}`;
  return (
    <li className="card cn-room" aria-labelledby={titleId}>
      <div className="cn-room-head">
        <h3 id={titleId}>{room.label}</h3>
        <button type="button" className="button small" onClick={onOpen}>
          Open room
        </button>
      </div>
      <ul className="cn-partners">
        {room.partners.map((p) => (
          <li key={p.seat} className={`presence-item presence-${p.presence}`}>
            <span className="presence-dot" aria-hidden="true" />
            <span className="presence-name">{p.displayName ?? (p.seat === 'A' ? 'First partner' : 'Second partner')}</span>
            <span className="presence-state">{p.claimed ? presenceWords[p.presence] : 'invited'}</span>
          </li>
        ))}
      </ul>
      <p className={`cn-session cn-session-${room.session.phase}`}>{sessionLine(room.session)}</p>
      {room.suggestion && <p className="muted small">You suggested: {room.suggestion.packTitle}</p>}
      <CounsellorMarks roomId={room.roomId} connected names={{ A: partnerName(room, 'A'), B: partnerName(room, 'B') }} />
      {room.privateLines.count > 0 && (
        <p className="cn-lines-count">
          {room.privateLines.count} private message{room.privateLines.count === 1 ? '' : 's'}
          {latest ? ` · latest from ${latest.fromName ?? `partner ${latest.from}`}: “${PrivateLineChoice[latest.choice]}”` : ''}
        </p>
      )}
      {open.length > 0 && invites && (
        <details className="cn-invite-details" open={open.length === 2}>
          <summary>Invites for {open.length === 2 ? 'both partners' : 'the partner still to come'}</summary>
          <CoupleInvites roomId={room.roomId} seats={open} invites={invites.invites} codes={invites.codes} canRenew={false} />
        </details>
      )}
    </li>
  );
}

/** /counsellor: the counsellor's rooms at a glance, live, and new rooms for couples. */
export function CounsellorWorkspace() {
  const workspace = useWorkspace();
  const { navigate } = useRouter();
  const { phase } = workspace;
  // the set-up and the recovery code name themselves; these two headings are this screen's own
  const heading = usePageHeading(phase.kind === 'signedOut' ? 'Signed out of your workspace' : phase.kind === 'ready' ? 'Your rooms' : null);

  function openRoom(room: CounsellorRoomSummary) {
    const stored = counsellorStore.get();
    if (!stored) return;
    seatStore.save({ roomId: room.roomId, seat: 'counsellor', deviceToken: stored.key, displayName: stored.displayName, joinedAt: Date.now() });
    navigate(`/room/${room.roomId}`);
  }

  if (phase.kind === 'setup') {
    return (
      <Page>
        <SetUp onRegister={workspace.register} onRecover={workspace.recover} />
      </Page>
    );
  }
  if (phase.kind === 'showCode') {
    return (
      <Page>
        <RecoveryCodeCard code={phase.recoveryCode} moved={phase.moved} onDone={workspace.acknowledgeCode} />
      </Page>
    );
  }
  if (phase.kind === 'signedOut') {
    return (
      <Page>
        <section className="card stack">
          <h1 {...heading}>This device is signed out</h1>
          <p>
            {phase.reason === 'moved'
              ? 'Your workspace was moved to another device with your recovery code, so the key on this device no longer works.'
              : 'The key on this device is not recognised any more.'}{' '}
            To use this device again, type your recovery code.
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Enter a recovery code
            </button>
          </div>
        </section>
      </Page>
    );
  }
  if (phase.kind !== 'ready') {
    return (
      <Page>
        <p role="status" className="muted">
          {phase.kind === 'offline' ? 'Reconnecting to your workspace…' : 'Opening your workspace…'}
        </p>
      </Page>
    );
  }

  const latestByRoom = new Map<string, PrivateLine>();
  for (const line of workspace.lines) if (!latestByRoom.has(line.roomId)) latestByRoom.set(line.roomId, line);
  return (
    <Page narrow={false}>
      <div className="cn-workspace">
        <header className="cn-workspace-head">
          <h1 {...heading}>Your rooms</h1>
          <p className="muted">Signed in as {phase.counsellor.displayName} on this device. This list updates by itself.</p>
        </header>
        <CreateRoom
          onCreate={async (label) => {
            await workspace.createRoom(label);
          }}
        />
        {workspace.rooms.length === 0 ? (
          <p className="muted">No rooms yet. Open one for a couple above; you will get a link, a QR code and a code for each partner.</p>
        ) : (
          <ul className="cn-rooms" aria-label="Your rooms">
            {workspace.rooms.map((room) => (
              <RoomCard key={room.roomId} room={room} latest={latestByRoom.get(room.roomId)} onOpen={() => openRoom(room)} />
            ))}
          </ul>
        )}
      </div>
    </Page>
  );
}
