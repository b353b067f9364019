// The guided-session screens, for scripts/screenshots.ts: two partners' pages in one room.
import type { Page } from 'playwright-core';
import { showRoomPart, settled } from '../test/support/browser';
import type { SessionView } from '../shared/protocol/sessions';
import type { Command } from '../shared/session/types';
import { connectClient, request, type ClientSocket } from '../test/support/socketClient';

interface StoredSeat {
  roomId: string;
  deviceToken: string;
}

async function seatOf(page: Page): Promise<StoredSeat> {
  const all = await page.evaluate(() => localStorage.getItem('commonground.seats.v1'));
  const seats = Object.values(JSON.parse(all ?? '{}') as Record<string, StoredSeat>);
  if (!seats[0]) throw new Error('no seat on this page');
  return seats[0];
}

/** A second connection for a seat, to move the session along quickly between pictures. */
async function driver(url: string, page: Page): Promise<{ socket: ClientSocket; send(c: Command): Promise<void>; state(): Promise<SessionView['state']> }> {
  const seat = await seatOf(page);
  const socket = await connectClient(url);
  await request(socket, 'room:join', { roomId: seat.roomId, deviceToken: seat.deviceToken });
  return {
    socket,
    async send(command) {
      const res = await request(socket, 'session:command', command);
      if (!res.ok) throw new Error(`${command.type}: ${res.error.code}`);
    },
    async state() {
      const res = await request<{ session: SessionView }>(socket, 'session:sync', {});
      if (!res.ok) throw new Error(res.error.code);
      return res.session.state;
    },
  };
}

export async function sessionScreenshots(a: Page, b: Page, out: string, label: string, url = new URL(a.url()).origin): Promise<void> {
  await showRoomPart(a, 'Talk');
  await showRoomPart(b, 'Talk');
  const talk = (page: Page) => page.locator('section.talk');
  const shot = async (page: Page, name: string, whole = false) => {
    await settled(page);
    if (whole) await page.screenshot({ path: `${out}/${name}-${label}.png`, animations: 'disabled' });
    else await talk(page).screenshot({ path: `${out}/${name}-${label}.png`, animations: 'disabled' });
  };

  await talk(a).getByText('Turning the page').waitFor();
  await shot(a, 'session-library');
  await talk(a).getByRole('button', { name: /Turning the page/ }).click();
  await talk(a).getByText('How would you like to talk?').waitFor();
  await talk(a).getByLabel(/Write/).check();
  await shot(a, 'session-pack');
  await talk(a).getByRole('button', { name: 'Ask Alex to join' }).click();
  await talk(b).getByRole('button', { name: 'Yes, let’s begin' }).waitFor();
  await shot(b, 'session-proposal');
  await talk(b).getByRole('button', { name: 'Yes, let’s begin' }).click();

  // "Turning the page" starts with the other partner: Alex (B) has the floor.
  await talk(b).getByText('Your turn: you have the floor').waitFor();
  await talk(a).getByText('Listen. Alex has the floor.').waitFor();
  await talk(b).locator('.chip').first().click();
  await talk(b).getByLabel('What you want to say').pressSequentially('hurt, and I want us to find our way back.');
  await shot(b, 'session-speaker');
  await shot(a, 'session-listener');
  await shot(b, 'session-speaker-viewport', true);
  await talk(b).getByRole('button', { name: 'Send' }).click();
  await talk(b).getByRole('button', { name: /I’m done/ }).click();
  await talk(a).getByLabel('What you heard').waitFor();
  await talk(a).locator('.chip').first().click();
  await talk(a).getByLabel('What you heard').pressSequentially('you felt hurt and you want us to find our way back.');
  await talk(a).getByRole('button', { name: 'Send what I heard' }).click();
  await talk(b).getByRole('button', { name: 'That’s it' }).waitFor();
  await shot(b, 'session-check');

  await talk(a).locator('.repair-bar > summary').click();
  await talk(a).getByRole('button', { name: 'I need a moment' }).click();
  await talk(b).locator('.repair-card').waitFor();
  await shot(b, 'session-repair-card');

  await a.getByRole('button', { name: 'Time-out', exact: true }).click();
  await talk(a).getByText(/You are taking a break until/).waitFor();
  await talk(b).getByText(/is taking a break until/).waitFor();
  await shot(a, 'session-break-caller', true);
  await shot(b, 'session-break-other', true);
  await talk(a).getByRole('button', { name: 'I’m back' }).click();
  await talk(b).getByRole('button', { name: 'That’s it' }).waitFor();

  // The rest of the session through second connections, then the summary.
  const da = await driver(url, a);
  const db = await driver(url, b);
  try {
    await db.send({ type: 'confirm' });
    for (let guard = 0; guard < 40; guard++) {
      const s = await da.state();
      if (s.phase !== 'active') break;
      const step = s.step;
      const by = (seat: 'A' | 'B') => (seat === 'A' ? da : db);
      if (step.kind === 'speaker-listener' && step.sub !== 'complete') {
        const speaker = by(step.speaker);
        const listener = by(step.speaker === 'A' ? 'B' : 'A');
        if (step.sub === 'speak') {
          await speaker.send({ type: 'speak', text: 'What I carry from the past is fear that it happens again.' });
          await speaker.send({ type: 'passToReflect' });
        } else if (step.sub === 'reflect') await listener.send({ type: 'reflect', text: 'What I heard is that you are afraid it happens again.' });
        else if (step.sub === 'check') await speaker.send({ type: 'confirm' });
        else await speaker.send({ type: 'passFloor' });
        continue;
      }
      if ((step.kind === 'open' || step.kind === 'appreciation') && !(step.ready.A && step.ready.B)) {
        if (step.entries.length < 2) await by(step.turn).send({ type: 'addEntry', id: `e${guard}`, text: 'We stopped bringing up old fights during dinner.' });
        else await by(step.ready.A ? 'B' : 'A').send({ type: 'ready' });
        continue;
      }
      if (step.kind === 'agreement' && !(step.ready.A && step.ready.B)) {
        if (s.record.proposals.length === 0) {
          await da.send({ type: 'proposeAgreement', id: 'p1', text: 'When the past comes up, we ask for a time-out instead of arguing.' });
          await db.send({ type: 'proposeAgreement', id: 'p2', text: 'Every Sunday we name one small step we noticed.' });
          // The live agreement step, with both proposals, before they say they are ready.
          await talk(a).locator('.said-proposal', { hasText: 'Every Sunday we name one small step' }).first().waitFor();
          await shot(a, 'session-agreement-step');
        }
        await by(step.ready.A ? 'B' : 'A').send({ type: 'ready' });
        continue;
      }
      await da.send({ type: 'nextStep' });
      await db.send({ type: 'nextStep' });
    }
    await talk(a).getByText('What you proposed').waitFor();
    await shot(a, 'session-summary');
    await talk(a).getByRole('button', { name: 'Add to our agreements' }).click();
    await talk(a).getByText(/Added 2 proposals/).waitFor();
    await shot(a, 'session-summary-added');
  } finally {
    da.socket.disconnect();
    db.socket.disconnect();
  }
}
