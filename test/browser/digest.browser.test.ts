/**
 * The weekly digest in a Teams-like client: the real bot behind the Microsoft 365 Agents
 * Playground, driven through its web UI in Chromium. With a seeded week (answers from the teams
 * and a steering group decision), "@Kraftsamla sammanfattning" in the communications channel
 * says it is working on it and then shows the digest card with the week's figures.
 */
import { DEMO_DECISIONS, demoData } from '../../cli/demo-data';
import { seedDemo } from '../../cli/seed';
import { fixedClock, isoWeek } from '../../domain/time';
import type { LogEvent, StatusUpdate } from '../../domain/types';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

// A Thursday in week 48: the seeded answers of the week so far and Monday's decision.
const clock = fixedClock('2026-11-26T09:00:00Z');
const WEEK = '2026-W48';
const PREVIOUS_WEEK = '2026-W47';
const MONDAY_DECISION = DEMO_DECISIONS.find((d) => d.weeksAgo === 0)!;
let titles: Map<string, string>;
let s: PlaygroundSession;

beforeAll(async () => {
  s = await startPlaygroundSession({
    clock,
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
  titles = new Map(demoData(s.bot.deps.program, clock).actions.map((a) => [a.id, a.title]));
  await s.ui.openGeneral();
  await s.ui.waitForCard('Hej! Jag är Kraftsamla');
  await s.ui.mentionBot('koppla kommunikation');
  await s.ui.waitForText('Klart! Den här kanalen är nu kommunikationsteamets. Veckosammanfattningen läggs ut här.');
});

afterAll(async () => {
  await s?.stop();
});

it('answers "@Kraftsamla sammanfattning" with the digest card of the current week', async () => {
  const binding = await s.bot.storage.repositories.bindings.get('harnosand', PLAYGROUND_SETUP.team.id);
  expect(binding?.role).toEqual({ kind: 'comms' });

  const thread = await s.ui.mentionBot('sammanfattning');
  await s.ui.waitForText('Jag sammanställer veckosammanfattningen för vecka 48 2026 …');
  // The digest is long work done after the answer: on a busy machine it may take a while.
  const card = await s.ui.waitForCard('Veckosammanfattning – ', { timeoutMs: 60000 });
  await expect(thread.innerText()).resolves.toContain('Jag sammanställer veckosammanfattningen för vecka 48 2026 …');
  await expect(thread.locator('.ac-adaptiveCard').count()).resolves.toBe(1);
  const text = await card.innerText();

  // The seeded figures, counted here from the demo data (not by the digest's code).
  const program = s.bot.deps.program;
  const statusIn = (week: string) =>
    demoData(program, clock).events.filter(
      (e): e is LogEvent & StatusUpdate => e.type === 'status' && isoWeek(new Date(e.at), program.timezone) === week,
    );
  const updates = statusIn(WEEK);
  const teams = new Set(updates.map((e) => e.teamKey));
  expect(updates.length).toBeGreaterThan(5);
  expect(text).toMatch(
    /^Veckosammanfattning – vecka 48 2026\s+Kraftsamling Härnösand · 23 november 2026 – 29 november 2026 · Sida 1 av 2/,
  );
  expect(text).toMatch(new RegExp(`Åtgärder totalt\\s+${demoData(program, clock).actions.length}\\s`));
  expect(text).toMatch(
    new RegExp(
      `Uppdateringar\\s+${updates.length} från ${teams.size} team \\(${statusIn(PREVIOUS_WEEK).length} veckan innan\\)`,
    ),
  );
  // Monday's decision, by its number in the store.
  const decision = (await s.bot.storage.repositories.decisions.listYear('harnosand', 2026)).find(
    (d) => d.title === MONDAY_DECISION.title,
  );
  expect(decision?.number).toBe('D-2026-004');
  expect(text).toContain('Styrgruppen fattade ett beslut (D-2026-004).');
  // The housing team's section with its updates of the week.
  const housing = updates.filter((e) => e.teamKey === 'bostader');
  expect(housing.length).toBeGreaterThan(0);
  expect(text).toMatch(/\nBostäder\s+5 åtgärder\s+Uppdateringar\s+• BOS-0\d /);
  for (const e of housing) expect(text).toContain(`• ${e.actionId} ${titles.get(e.actionId)}: `);
});

it("pages the digest with Action.Execute, replacing the card: the week's decision is on page 2", async () => {
  const before = await s.ui.cards('Veckosammanfattning – ').count();
  const card = await s.ui.waitForCard('Sida 1 av 2', { timeoutMs: 60000 });
  await s.ui.clickCardButton(card, 'Nästa sida');
  const page2 = await s.ui.waitForCard('Sida 2 av 2');
  const text = await page2.innerText();
  expect(text).toMatch(
    /Veckans beslut\s+• D-2026-004 Riskreserv för medfinansiering av infrastruktur\s+En riskreserv på 20 miljoner kronor/,
  );
  expect(text).toContain('Berör: Finansiering, Infrastruktur, FIN-03, INF-01, INF-02');
  expect(text).toContain('Sammanställd 26 november 2026 ur loggen.');
  expect(await s.ui.cards('Veckosammanfattning – ').count()).toBe(before);
  const invoke = (await s.proxy.settled()).filter((a) => a.type === 'invoke').at(-1);
  expect(invoke).toMatchObject({ name: 'adaptiveCard/action', status: 200 });
  expect((invoke?.value as { action?: { verb?: string } }).action?.verb).toBe('digest.page');
});
