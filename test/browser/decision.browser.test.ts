/**
 * The decision log in a Teams-like client: the real bot behind the Microsoft 365 Agents
 * Playground, driven through its web UI in Chromium. General is linked as the steering group's
 * channel; the person (a member of the team, so of the steering group: no STEERING_MEMBERS list)
 * opens the form with "@Kraftsamla beslut", fills it in and logs the decision; the form turns into
 * the decision with its number, and the store has it. The housing team's channel, which the
 * decision affects, gets a notice.
 */
import { seedDemo } from '../../cli/seed';
import { fixedClock } from '../../domain/time';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

// A Thursday in week 48: the seeded year has four decisions, so the next is number five.
const clock = fixedClock('2026-11-26T09:00:00Z');
const NUMBER = 'D-2026-005';
let s: PlaygroundSession;

beforeAll(async () => {
  s = await startPlaygroundSession({
    clock,
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
  await s.ui.openGeneral();
  await s.ui.waitForCard('Hej! Jag är Kraftsamla');
  await s.ui.mentionBot('koppla styrgrupp');
  await s.ui.waitForText('Klart! Den här kanalen är nu styrgruppens. Här loggas besluten.');
  await s.ui.openChannel('Bostäder');
  await s.ui.mentionBot('koppla bostäder');
  await s.ui.waitForText(/Klart! Den här kanalen hör nu till teamet Bostäder/);
  await s.ui.openGeneral();
});

afterAll(async () => {
  await s?.stop();
});

it('opens the decision form in the steering channel with "@Kraftsamla beslut"', async () => {
  const binding = await s.bot.storage.repositories.bindings.get('harnosand', PLAYGROUND_SETUP.team.id);
  expect(binding?.role).toEqual({ kind: 'steering' });

  const thread = await s.ui.mentionBot('beslut');
  const form = await s.ui.waitForCard('Logga ett beslut');
  await expect(thread.innerText()).resolves.toContain('Logga ett beslut');
  const text = await form.innerText();
  expect(text).toContain('Beslutet får nästa nummer för året när du sparar, och berörda team får veta.');
  // Every program team can be picked as affected.
  for (const team of ['Industrimark', 'Bostäder', 'Utbildningar', 'Trygghet']) {
    await expect(form.getByRole('checkbox', { name: team }).count()).resolves.toBe(1);
  }
  await expect(form.getByRole('button', { name: 'Logga beslutet' }).count()).resolves.toBe(1);
});

it('logs the filled-in form: the confirmation shows the number and the store has the decision', async () => {
  const form = await s.ui.waitForCard('Logga ett beslut');
  await s.ui.fillCardInput(form, /^Rubrik/, 'Snabbare bygglov för bostäder vid Öbacka');
  await s.ui.fillCardInput(form, /^Beslut/, 'Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.');
  await s.ui.fillCardInput(form, /^Motivering/, 'Inflyttningen går fortare än bostadsbyggandet.');
  await s.ui.fillCardInput(form, /^Möte(?!sdatum)/, 'Styrgruppens möte i november');
  await s.ui.fillCardInput(form, /^Mötesdatum/, '2026-11-23');
  await s.ui.chooseCardOption(form, /^Berörda team/, 'Bostäder');
  await s.ui.fillCardInput(form, /^Berörda åtgärder/, 'BOS-05');
  await s.ui.fillCardInput(form, /^Uppföljning, ansvarig/, 'Sofia Lundgren');
  await s.ui.fillCardInput(form, /^Uppföljning senast/, '2027-01-29');
  await s.ui.clickCardButton(form, 'Logga beslutet');

  const confirmation = await s.ui.waitForCard(`Beslutet är loggat som ${NUMBER}.`);
  const text = await confirmation.innerText();
  expect(text).toContain('Snabbare bygglov för bostäder vid Öbacka');
  expect(text).toContain('Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.');
  expect(text).toMatch(/^Beslutet är loggat som D-2026-005\.\s+D-2026-005\s+Gällande/);
  expect(text).toMatch(/Mötesdatum\s+23 november 2026/);
  expect(text).toMatch(/Berörda team\s+Bostäder\s+Berörda åtgärder\s+BOS-05/);
  expect(text).toMatch(/Uppföljning\s+Sofia Lundgren · senast 29 januari 2027/);
  expect(text).toMatch(/Loggat av\s+Anna Ström, 26 november 2026 10:00/);
  // The form was replaced in place: no form left, one confirmation.
  expect(await s.ui.cards('Logga ett beslut').count()).toBe(0);
  expect(await s.ui.cards(`Beslutet är loggat som ${NUMBER}.`).count()).toBe(1);

  const invoke = (await s.proxy.settled()).filter((a) => a.type === 'invoke').at(-1);
  expect(invoke).toMatchObject({ name: 'adaptiveCard/action', status: 200 });
  expect((invoke?.value as { action?: { verb?: string } }).action?.verb).toBe('decision.submit');

  const decision = await s.bot.storage.repositories.decisions.get('harnosand', NUMBER);
  expect(decision).toMatchObject({
    number: NUMBER,
    title: 'Snabbare bygglov för bostäder vid Öbacka',
    text: 'Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.',
    rationale: 'Inflyttningen går fortare än bostadsbyggandet.',
    meeting: { name: 'Styrgruppens möte i november', date: '2026-11-23' },
    affectedTeams: ['bostader'],
    affectedActions: ['BOS-05'],
    followUp: { owner: 'Sofia Lundgren', due: '2027-01-29', done: false },
    loggedBy: 'Anna Ström',
    state: 'active',
  });
  const events = await s.bot.storage.repositories.events.listWeek({ programId: 'harnosand', week: '2026-W48' });
  expect(events.filter((e) => e.type === 'decision' && e.number === NUMBER)).toHaveLength(1);
});

it("posts a notice of the decision in the affected team's channel", async () => {
  await s.ui.openChannel('Bostäder');
  const notice = await s.ui.waitForCard('Styrgruppen har fattat ett beslut som berör Bostäder');
  const text = await notice.innerText();
  expect(text).toContain(`${NUMBER} · Snabbare bygglov för bostäder vid Öbacka`);
  expect(text).toMatch(/Uppföljning för Bostäder\s+Sofia Lundgren · senast 29 januari 2027/);
  // Exactly one notice, in its own post in the channel.
  expect(await s.ui.cards('Styrgruppen har fattat ett beslut').count()).toBe(1);
  const team = await s.bot.storage.repositories.bindings.get('harnosand', PLAYGROUND_SETUP.team.channel.id);
  expect(team?.role).toEqual({ kind: 'team', teamKey: 'bostader' });
});
