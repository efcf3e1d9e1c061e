/**
 * The weekly check-in in a Teams-like client: the real bot behind the Microsoft 365 Agents
 * Playground, driven through its web UI in Chromium. In the housing team's channel a person asks
 * for the check-in, opens the form of one action on the card, picks a status and sends it; the
 * card shows the new state and the store has the answer.
 */
import { DEMO_PLAN } from '../../cli/demo-data';
import { seedDemo } from '../../cli/seed';
import { fixedClock } from '../../domain/time';
import type { StatusUpdate } from '../../domain/types';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

// A Thursday in week 48 (10:00 in Stockholm): the demo's answers and dates do not move.
const clock = fixedClock('2026-11-26T09:00:00Z');
const WEEK = '2026-W48';
let s: PlaygroundSession;

/**
 * Watches the page from now on for a card containing `text`, however briefly it shows; the
 * returned function says whether one did.
 */
async function watchCards(session: PlaygroundSession, text: string): Promise<() => Promise<boolean>> {
  const key = `kraftsamla-watch-${Date.now()}`;
  await session.ui.page.evaluate(
    ({ key, text }) => {
      const w = window as unknown as Record<string, boolean>;
      w[key] = false;
      const check = () => {
        if (
          Array.from(document.querySelectorAll('.ac-adaptiveCard')).some((c) => (c.textContent ?? '').includes(text))
        ) {
          w[key] = true;
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    },
    { key, text },
  );
  return () => session.ui.page.evaluate((key) => (window as unknown as Record<string, boolean>)[key] === true, key);
}

beforeAll(async () => {
  s = await startPlaygroundSession({
    clock,
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
  // The team's install (and its welcome) happens in General; then the housing channel is linked.
  await s.ui.openGeneral();
  await s.ui.waitForCard('Hej! Jag är Kraftsamla');
  await s.ui.openChannel('Bostäder');
  await s.ui.mentionBot('koppla bostäder');
  await s.ui.waitForText(/Klart! Den här kanalen hör nu till teamet Bostäder/);
});

afterAll(async () => {
  await s?.stop();
});

it('posts the check-in card in the team channel with "@Kraftsamla incheckning"', async () => {
  const thread = await s.ui.mentionBot('incheckning');
  await s.ui.waitForText('Klart! Veckans incheckning för Bostäder ligger nu i kanalen.');
  await expect(thread.innerText()).resolves.toContain('Klart! Veckans incheckning för Bostäder ligger nu i kanalen.');

  // The card is a post of its own in the channel (a new thread), not a reply.
  const card = await s.ui.waitForCard('Incheckning – Bostäder');
  expect(await thread.locator('.ac-adaptiveCard').count()).toBe(0);
  const text = await card.innerText();
  expect(text).toContain('vecka 48 2026 · 2 av 4 åtgärder uppdaterade denna vecka');
  // The open actions of the seeded plan; the one that is done (BOS-04) is not asked about.
  DEMO_PLAN.bostader!.forEach((action, i) => {
    if (action.status === 'done') expect(text).not.toContain(`BOS-0${i + 1}`);
    else expect(text).toContain(`BOS-0${i + 1} · ${action.title}`);
  });
  expect(text).toMatch(/BOS-05 · Bygglov inom fyra veckor\s+Ej påbörjad/);
  expect(text).not.toContain('Tack Anna Ström!');

  // The store knows where the week's check-in was posted.
  const checkIn = await s.bot.storage.repositories.checkIns.get('harnosand', WEEK, 'bostader');
  expect(checkIn?.channelId).toBe(PLAYGROUND_SETUP.team.channel.id);
  expect(checkIn?.messageId).toBeTruthy();
  expect(checkIn?.answeredActionIds).not.toContain('BOS-05');
});

it('takes an answer on the card: a status picked and sent replaces the card with the new state', async () => {
  const card = await s.ui.waitForCard('Incheckning – Bostäder');
  await s.ui.clickCardButton(card, 'Uppdatera BOS-05');
  // Only the opened form is visible (the other actions' forms stay folded away).
  await expect(card.getByRole('button', { name: 'Skicka' }).count()).resolves.toBe(1);
  await s.ui.chooseCardOption(card, 'Status', 'Risk');
  await s.ui.fillCardInput(card, /Framdrift i procent/, '15');
  await s.ui.fillCardInput(card, 'Kommentar', 'Handläggningen är igång, men två tjänster är vakanta.');
  const thanks = await watchCards(s, 'Tack Anna Ström! BOS-05 är uppdaterad.');
  await s.ui.clickCardButton(card, 'Skicka');

  // The card shows the new state: the status, the progress and who answered when.
  const updated = await s.ui.waitForCard(/Uppdaterad av Anna Ström/);
  const text = await updated.innerText();
  expect(text).toContain('Incheckning – Bostäder');
  expect(text).toContain('vecka 48 2026 · 3 av 4 åtgärder uppdaterade denna vecka');
  expect(text).toMatch(
    /BOS-05 · Bygglov inom fyra veckor\s+Risk\s+Ansvarig: Sofia Lundgren · Slutdatum: 31 december 2026 · Framdrift: 15 %\s+Uppdaterad av Anna Ström, 26 november 2026 kl\. 10:00/,
  );
  // The invoke's answer thanked the person on their card. (The refresh for everyone that follows
  // at once replaces it with the same state without the thank-you, so it shows only briefly.)
  await expect(thanks()).resolves.toBe(true);
  // Still one check-in card: the answer replaced it rather than posting another.
  expect(await s.ui.cards('Incheckning – Bostäder').count()).toBe(1);

  const invoke = (await s.proxy.settled()).filter((a) => a.type === 'invoke').at(-1);
  expect(invoke).toMatchObject({ name: 'adaptiveCard/action', status: 200 });
  const action = (invoke?.value as { action?: { verb?: string; data?: Record<string, unknown> } }).action;
  expect(action?.verb).toBe('checkin.answer');
  expect(action?.data).toMatchObject({ actionId: 'BOS-05', 'BOS-05.status': 'at_risk' });

  // The store has the answer as a StatusUpdate event in this week's log, and the action changed.
  const events = await s.bot.storage.repositories.events.listWeek({ programId: 'harnosand', week: WEEK });
  const answers = events.filter((e): e is typeof e & StatusUpdate => e.type === 'status' && e.actionId === 'BOS-05');
  expect(answers).toHaveLength(1);
  expect(answers[0]).toMatchObject({
    status: 'at_risk',
    previousStatus: 'not_started',
    progress: 15,
    comment: 'Handläggningen är igång, men två tjänster är vakanta.',
    by: 'Anna Ström',
    source: 'card',
    checkInWeek: WEEK,
  });
  const saved = await s.bot.storage.repositories.actions.get('harnosand', 'BOS-05');
  expect(saved).toMatchObject({ status: 'at_risk', progress: 15 });
  const checkIn = await s.bot.storage.repositories.checkIns.get('harnosand', WEEK, 'bostader');
  expect(checkIn?.answeredActionIds).toContain('BOS-05');
});
