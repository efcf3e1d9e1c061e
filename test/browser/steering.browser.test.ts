/**
 * The steering group's meeting chat in a Teams-like client: the real bot behind the Microsoft 365
 * Agents Playground, driven through its web UI in Chromium. The playground has no meetings, so its
 * group chat stands in for the meeting's chat (to the bot both are group chats). The person is the
 * program's first installer (the playground installs the bot in the personal chat when the page
 * loads), so a program admin: they bind the chat with "@Kraftsamla koppla styrgrupp", ask for the
 * brief before the meeting, log a decision with "@Kraftsamla beslut" there and ask for the day's
 * protocol, which has the decision as § 1.
 */
import { seedDemo } from '../../cli/seed';
import { fixedClock } from '../../domain/time';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

// A Thursday in week 48 (10:00 in Stockholm): the seeded year has four decisions, so the next is
// number five; the brief reads the answers to the check-in of week 47.
const clock = fixedClock('2026-11-26T09:00:00Z');
const CHAT = PLAYGROUND_SETUP.groupChat;
const USER = PLAYGROUND_SETUP.currentUser;
const NUMBER = 'D-2026-005';
const TITLE = 'Förtur för bygglov vid Öbacka strand';
let s: PlaygroundSession;

beforeAll(async () => {
  s = await startPlaygroundSession({
    clock,
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
  // Opening the group chat installs the bot there; it welcomes the chat.
  await s.ui.openGroupChat();
  await s.ui.waitForCard('Hej! Jag är Kraftsamla');
});

afterAll(async () => {
  await s?.stop();
});

it('binds the group chat as the steering group\'s with "@Kraftsamla koppla styrgrupp" (the first installer is an admin)', async () => {
  const admins = await s.bot.storage.repositories.admins.list('harnosand');
  expect(admins).toEqual([expect.objectContaining({ id: USER.aadObjectId.toLowerCase(), source: 'installer' })]);

  await s.ui.sendMessage('koppla styrgrupp', { mention: true });
  await s.ui.waitForText(
    'Klart! Den här chatten är nu styrgruppens. Här loggas besluten (skriv beslut), och när mötet slutar lägger jag ut protokollet.',
  );
  const binding = await s.bot.storage.repositories.bindings.get('harnosand', CHAT.id);
  // The playground's group chat has no name on its activities: the bot names it itself.
  expect(binding).toMatchObject({ role: { kind: 'steering' }, teamsTeamId: '', channelName: 'styrgruppens chatt' });
  const message = (await s.proxy.settled()).filter((a) => a.type === 'message').at(-1);
  expect(message?.conversationId).toBe(CHAT.id);
  expect((message?.activity.conversation as { conversationType?: string }).conversationType).toBe('groupChat');
});

it('shows the brief before the meeting with "@Kraftsamla inför mötet"', async () => {
  await s.ui.sendMessage('inför mötet', { mention: true });
  const card = await s.ui.waitForCard('Inför styrgruppens möte – ');
  const text = await card.innerText();
  expect(text).toMatch(
    /^Inför styrgruppens möte – 26 november 2026\s+Kraftsamling Härnösand · svaren från incheckningen vecka 48 2026\s+Åtgärder med risk, avvikelse eller försening \(\d+\)\s/,
  );
  // The seeded actions at risk or off track, read from the store: each one a row of the section.
  const flagged = (await s.bot.storage.repositories.actions.list('harnosand')).filter(
    (a) => !a.retiredAt && (a.status === 'at_risk' || a.status === 'off_track'),
  );
  expect(flagged.length).toBeGreaterThan(0);
  expect(text).toContain(`Åtgärder med risk, avvikelse eller försening (${flagged.length})`);
  const rows = text.match(/^[A-Z]{3}-\d{2} /gm)?.map((r) => r.trim()) ?? [];
  expect([...rows].sort()).toEqual(flagged.map((a) => a.id).sort());
  for (const a of flagged) {
    const title = a.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(text).toMatch(new RegExp(`${a.id} ${title}\\s+${a.status === 'at_risk' ? 'Risk' : 'Avviker'}`));
    expect(text).toContain(`Ansvarig: ${a.owner?.name} · `);
  }
  // The card is the chat's answer: one card in its bubble.
  await expect(s.ui.threadOf(card).locator('.ac-adaptiveCard').count()).resolves.toBe(1);
});

it('logs a decision in the chat with "@Kraftsamla beslut": the form, the title filled in, saved', async () => {
  await s.ui.sendMessage('beslut', { mention: true });
  const form = await s.ui.waitForCard('Logga ett beslut');
  await s.ui.fillCardInput(form, /^Rubrik/, TITLE);
  await s.ui.fillCardInput(form, /^Beslut/, 'Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.');
  await s.ui.clickCardButton(form, 'Logga beslutet');

  const confirmation = await s.ui.waitForCard(`Beslutet är loggat som ${NUMBER}.`);
  const text = await confirmation.innerText();
  expect(text).toContain(TITLE);
  expect(text).toMatch(/Mötesdatum\s+26 november 2026/);
  expect(text).toMatch(/Loggat av\s+Anna Ström, 26 november 2026 10:00/);
  expect(await s.ui.cards('Logga ett beslut').count()).toBe(0);

  const invoke = (await s.proxy.settled()).filter((a) => a.type === 'invoke').at(-1);
  expect(invoke).toMatchObject({ name: 'adaptiveCard/action', status: 200, conversationId: CHAT.id });
  expect((invoke?.value as { action?: { verb?: string } }).action?.verb).toBe('decision.submit');
  const decision = await s.bot.storage.repositories.decisions.get('harnosand', NUMBER);
  expect(decision).toMatchObject({
    number: NUMBER,
    title: TITLE,
    meeting: { date: '2026-11-26' },
    loggedBy: USER.name,
    state: 'active',
  });
});

it('shows the day\'s protocol with "@Kraftsamla protokoll idag": the decision as § 1 with its number', async () => {
  await s.ui.sendMessage('protokoll idag', { mention: true });
  const card = await s.ui.waitForCard('Protokoll – ');
  const text = await card.innerText();
  expect(text).toMatch(
    /^Protokoll – Styrgruppsmöte\s+Datum: 26 november 2026 \(2026-11-26\)\s+Närvarande: Teams har inte lämnat någon deltagarlista\.\s+Antal beslut: 1\s/,
  );
  expect(text).toContain(`§ 1 · ${NUMBER} · ${TITLE}`);
  expect(text).toMatch(
    /Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027\.\s+Berörda team: inga\s+Status: Gällande/,
  );
  expect(text).not.toContain('§ 2');
  await expect(s.ui.threadOf(card).locator('.ac-adaptiveCard').count()).resolves.toBe(1);
  // The protocol is read from the store: the day's decisions are this one.
  const ofDay = (await s.bot.storage.repositories.decisions.listYear('harnosand', 2026)).filter(
    (d) => d.meeting.date === '2026-11-26',
  );
  expect(ofDay.map((d) => d.number)).toEqual([NUMBER]);
});
