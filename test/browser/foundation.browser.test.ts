/**
 * The foundation in a Teams-like client: the real bot behind the Microsoft 365 Agents Playground,
 * driven through its web UI in Chromium. What a person sees: the welcome after install, the help
 * card, linking a channel and the action list, paging it with Action.Execute.
 */
import { ACTIONS_PER_PAGE } from '../../cards/actions/list.card';
import { DEMO_PLAN } from '../../cli/demo-data';
import { seedDemo } from '../../cli/seed';
import { fixedClock } from '../../domain/time';
import type { Action } from '../../domain/types';
import type { Locator } from 'playwright-core';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

// A Thursday in week 48: the demo's dates and "overdue" marks do not move with the calendar.
const clock = fixedClock('2026-11-26T09:00:00Z');
let s: PlaygroundSession;
let helpThread: Locator;

const DEMO_ACTION: Action = {
  programId: 'harnosand',
  id: '',
  teamKey: 'bostader',
  title: '',
  description: '',
  owner: { name: 'Sofia Lundgren' },
  responsibleBody: 'Samhällsbyggnadsnämnden',
  due: '2027-06-30',
  financing: '',
  status: 'on_track',
  progress: 10,
  indicatorIds: [],
};

beforeAll(async () => {
  s = await startPlaygroundSession({
    clock,
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
});

afterAll(async () => {
  await s?.stop();
});

it('welcomes the team in General when the playground installs the bot', async () => {
  await s.ui.openGeneral();
  const welcome = await s.ui.waitForCard('Hej! Jag är Kraftsamla');
  await expect(welcome.innerText()).resolves.toContain('Kanaler i teamet: General, Bostäder');
  // The install reached the store: the team and its channels, with the playground as serviceUrl.
  const team = await s.bot.storage.repositories.teams.get(PLAYGROUND_SETUP.team.id);
  expect(team?.name).toBe('Programkontoret');
  expect(team?.channels.map((c) => c.name)).toEqual(['General', 'Bostäder']);
  expect((team?.reference as { serviceUrl?: string }).serviceUrl).toBe(
    `http://localhost:${s.playground.port}/_connector`,
  );
  const installs = (await s.proxy.settled()).filter(
    (a) => a.type === 'installationUpdate' && a.conversationId === PLAYGROUND_SETUP.team.id,
  );
  expect(installs.map((a) => a.status)).toEqual([200]);
  // Nothing was fetched from outside (the UI's CDN fonts are blocked, not needed).
  expect(s.ui.blocked.every((url) => /^https:\/\/res-1\.cdn\.office\.net\//.test(url))).toBe(true);
});

it('answers "@Kraftsamla hjälp" in a channel with the help card, in Swedish', async () => {
  await s.ui.openChannel('Bostäder');
  helpThread = await s.ui.mentionBot('hjälp');
  const help = await s.ui.waitForCard('Det här kan Kraftsamla');
  await expect(helpThread.innerText()).resolves.toContain('Det här kan Kraftsamla');
  const text = await help.innerText();
  expect(text).toContain('Den här kanalen är inte kopplad ännu.');
  expect(text).toContain('Industrimark, Bostäder, Utbildningar');
  // Teams' mention markup reached the bot, and the proxy gave it a Swedish client.
  const sent = (await s.proxy.settled()).filter((a) => a.type === 'message');
  expect(sent.at(-1)).toMatchObject({ text: '<at>Kraftsamla</at> hjälp', locale: 'sv-SE', status: 200 });
});

it('links the channel with "koppla bostäder" (a reply in the thread) and lists the team\'s seeded actions', async () => {
  await s.ui.replyInThread(helpThread, 'koppla bostäder');
  await s.ui.waitForText(/Klart! Den här kanalen hör nu till teamet Bostäder/);
  await expect(helpThread.innerText()).resolves.toContain('Klart! Den här kanalen hör nu till teamet Bostäder');
  const binding = await s.bot.storage.repositories.bindings.get('harnosand', PLAYGROUND_SETUP.team.channel.id);
  expect(binding?.role).toEqual({ kind: 'team', teamKey: 'bostader' });

  const before = await s.ui.cards('Åtgärder – Bostäder').count();
  await s.ui.mentionBot('åtgärder');
  const list = await s.ui.waitForCard('Åtgärder – Bostäder', { after: before });
  const text = await list.innerText();
  const plan = DEMO_PLAN.bostader!;
  expect(text).toContain(`${plan.length} åtgärder`);
  plan.forEach((action, i) => expect(text).toContain(`BOS-0${i + 1} · ${action.title}`));
  expect(text).toContain('Ansvarig: Lena Åberg');
  expect(text).not.toContain('IND-01');
});

it('pages a long action list with Action.Execute, replacing the card in place', async () => {
  // One page more than fits: the seeded five plus enough to spill onto a second page.
  const extra = Array.from({ length: ACTIONS_PER_PAGE + 2 - DEMO_PLAN.bostader!.length }, (_, i) => ({
    ...DEMO_ACTION,
    id: `BOS-${String(i + 6).padStart(2, '0')}`,
    title: `Extra åtgärd ${i + 6}`,
  }));
  await s.bot.storage.repositories.actions.saveAll(extra);
  const before = await s.ui.cards('Åtgärder – Bostäder').count();
  await s.ui.mentionBot('åtgärder');
  const list = await s.ui.waitForCard('Sida 1 av 2', { after: 0 });
  expect(await s.ui.cards('Åtgärder – Bostäder').count()).toBe(before + 1);
  await s.ui.clickCardButton(list, 'Nästa sida');
  const page2 = await s.ui.waitForCard('Sida 2 av 2');
  const lastId = ACTIONS_PER_PAGE + 2;
  await expect(page2.innerText()).resolves.toContain(`BOS-${lastId} · Extra åtgärd ${lastId}`);
  // The same card was replaced, not a new message posted.
  expect(await s.ui.cards('Åtgärder – Bostäder').count()).toBe(before + 1);
  const invoke = (await s.proxy.settled()).filter((a) => a.type === 'invoke').at(-1);
  expect(invoke).toMatchObject({ name: 'adaptiveCard/action', status: 200 });
  expect((invoke?.value as { action?: { verb?: string } }).action?.verb).toBe('actions.page');
});

it('answers in the personal chat, where no mention is needed', async () => {
  await s.ui.openPersonalChat();
  const before = await s.ui.cards('Det här kan Kraftsamla').count();
  await s.ui.sendMessage('hjälp');
  await s.ui.waitForCard('Det här kan Kraftsamla', { after: before });
  const sent = (await s.proxy.settled()).filter((a) => a.type === 'message');
  expect(sent.at(-1)).toMatchObject({ text: 'hjälp', conversationId: PLAYGROUND_SETUP.personalChatId, status: 200 });
});
