/**
 * `npm run screenshots [-- --only <scene>[,<scene>]] [--out <dir>]`
 *
 * Pictures for the README, taken from the current code: starts the bot (in-memory store, demo
 * data, a fixed date) behind the Microsoft 365 Agents Playground, drives its UI in Chromium and
 * writes one PNG per scene into docs/images/.
 *
 * To add a picture, add a scene to SCENES. Scenes run in order in one session, so a scene can
 * rely on what earlier ones did (the welcome installs the bot; "actions" links the Bostäder
 * channel; "checkin-answered" sends the form "checkin" filled in; "decision-form" links General
 * to the steering group and "decision-logged" saves its form; "brief" links the group chat to the
 * steering group, and "protocol" logs a decision there). A scene returns the element to
 * photograph, usually `ui.threadOf(card)`; a tall one asks for a taller window. What the
 * playground cannot show (a dialog, the overview tab) is drawn on a page of its own
 * ("decision-dialog", "tab-plan" …).
 */
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { seedDemo } from '../cli/seed';
import { fixedClock } from '../domain/time';
import { repoRoot } from './dev';
import { fetchTaskInvoke } from '../test/support/compose-extension';
import { askForDialog, openDialogPage } from '../test/support/dialog-page';
import { PLAYGROUND_SETUP, startPlaygroundSession, type PlaygroundSession } from '../test/support/playground';

export interface Scene {
  /** Short name for `--only`; the picture is `<name>.png`. */
  name: string;
  /** What the picture shows (printed, and a reminder for the README's alt text). */
  caption: string;
  /** Brings the UI to the state to picture; returns what to photograph (undefined: the whole page). */
  run(session: PlaygroundSession): Promise<Locator | undefined>;
  /**
   * A taller window for a tall picture (default WINDOW.height): what is pictured must fit in the
   * window, or Chromium lays the page out again and the playground closes open card forms.
   */
  windowHeight?: number;
  /** Only the top of the element, this many pixels high (a long card). */
  maxHeight?: number;
}

/** The browser window the scenes run in, unless a scene asks for a taller one. */
export const WINDOW = { width: 1280, height: 1000 } as const;

/**
 * The demo date: Friday of week 48 at 13:00 in Stockholm, when the weekly digest goes out; fixed
 * so the pictures do not change with the calendar.
 */
export const SCREENSHOT_DATE = '2026-11-27T12:00:00Z';

export const SCENES: Scene[] = [
  {
    name: 'welcome',
    caption: 'The welcome in the General channel after the bot is added to a team',
    run: async ({ ui }) => {
      await ui.openGeneral();
      return ui.threadOf(await ui.waitForCard('Hej! Jag är Kraftsamla'));
    },
  },
  {
    name: 'help',
    caption: 'The help card: @Kraftsamla hjälp',
    run: async ({ ui }) => {
      await ui.openChannel('Bostäder');
      const thread = await ui.mentionBot('hjälp');
      await ui.waitForCard('Det här kan Kraftsamla');
      return thread;
    },
    windowHeight: 1300,
  },
  {
    name: 'actions',
    caption: "The housing team's actions: @Kraftsamla åtgärder in a linked channel",
    run: async ({ ui }) => {
      await ui.openChannel('Bostäder');
      await ui.mentionBot('koppla bostäder');
      await ui.waitForText(/Klart! Den här kanalen hör nu till teamet Bostäder/);
      const thread = await ui.mentionBot('åtgärder');
      await ui.waitForCard('Åtgärder – Bostäder');
      return thread;
    },
  },
  {
    name: 'checkin',
    windowHeight: 2000,
    caption: "The weekly check-in card in the housing team's channel, with one action's answer form open",
    run: async ({ ui }) => {
      await ui.openChannel('Bostäder');
      await ui.mentionBot('incheckning');
      const card = await ui.waitForCard('Incheckning – Bostäder');
      await ui.clickCardButton(card, 'Uppdatera BOS-05');
      await ui.chooseCardOption(card, 'Status', 'Enligt plan');
      await ui.fillCardInput(card, /^Framdrift i procent/, '10');
      await ui.fillCardInput(card, /^Kommentar/, 'Ny rutin för förhandsbesked är på plats.');
      await ui.fillCardInput(card, /^Nästa steg/, 'Följa upp handläggningstiderna i december.');
      return ui.threadOf(card);
    },
  },
  {
    name: 'checkin-answered',
    windowHeight: 1400,
    caption: 'The check-in card after an answer: the new status, progress and who updated it',
    run: async ({ ui }) => {
      const card = await ui.waitForCard('Incheckning – Bostäder');
      await ui.clickCardButton(card, 'Skicka');
      return ui.threadOf(await ui.waitForCard(/Uppdaterad av Anna Ström/));
    },
  },
  {
    name: 'decision-form',
    windowHeight: 1400,
    caption: 'The steering group logs a decision: @Kraftsamla beslut in the steering channel',
    run: async ({ ui }) => {
      await ui.openGeneral();
      await ui.mentionBot('koppla styrgrupp');
      await ui.waitForText('Klart! Den här kanalen är nu styrgruppens. Här loggas besluten.');
      await ui.mentionBot('beslut');
      const form = await ui.waitForCard('Logga ett beslut');
      await ui.fillCardInput(form, /^Rubrik/, 'Snabbare bygglov för bostäder vid Öbacka');
      await ui.fillCardInput(form, /^Beslut/, 'Bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.');
      await ui.fillCardInput(form, /^Motivering/, 'Inflyttningen går fortare än bostadsbyggandet.');
      await ui.fillCardInput(form, /^Mötesdatum/, '2026-11-23');
      await ui.chooseCardOption(form, /^Berörda team/, 'Bostäder');
      await ui.fillCardInput(form, /^Berörda åtgärder/, 'BOS-02, BOS-05');
      await ui.fillCardInput(form, /^Uppföljning, ansvarig/, 'Sofia Lundgren');
      await ui.fillCardInput(form, /^Uppföljning senast/, '2027-01-29');
      return ui.threadOf(form);
    },
  },
  {
    name: 'decision-logged',
    windowHeight: 1400,
    caption: 'The logged decision with its number, replacing the form',
    run: async ({ ui }) => {
      await ui.clickCardButton(await ui.waitForCard('Logga ett beslut'), 'Logga beslutet');
      return ui.threadOf(await ui.waitForCard(/Beslutet är loggat som D-\d{4}-\d{3}\./));
    },
  },
  {
    name: 'digest',
    windowHeight: 1400,
    maxHeight: 1200,
    caption: "The weekly digest: @Kraftsamla sammanfattning shows the week's figures, teams and decisions",
    run: async ({ ui }) => {
      await ui.openGeneral();
      const thread = await ui.mentionBot('sammanfattning');
      await ui.waitForCard('Veckosammanfattning – ');
      return thread;
    },
  },
  {
    name: 'playground',
    caption: 'The whole Agents Playground, as `npm run dev` shows it',
    run: async () => undefined,
  },
  // The steering group's meeting: the playground has no meetings, and its group chat stands in
  // for the meeting's chat (to the bot both are group chats).
  {
    name: 'brief',
    windowHeight: 1600,
    caption: "The brief before the steering group's meeting: @Kraftsamla inför mötet in the steering group's chat",
    run: async ({ ui }) => {
      await ui.openGroupChat();
      await ui.sendMessage('koppla styrgrupp', { mention: true });
      await ui.waitForText(/Klart! Den här chatten är nu styrgruppens\./);
      await ui.sendMessage('inför mötet', { mention: true });
      return ui.threadOf(await ui.waitForCard('Inför styrgruppens möte – '));
    },
  },
  {
    name: 'protocol',
    windowHeight: 1400,
    caption:
      "The day's protocol in the steering group's chat: @Kraftsamla protokoll idag after a decision logged there",
    run: async ({ ui }) => {
      const forms = await ui.cards('Logga ett beslut').count();
      await ui.sendMessage('beslut', { mention: true });
      const form = await ui.waitForCard('Logga ett beslut', { after: forms });
      await ui.fillCardInput(form, /^Rubrik/, 'Tillfälliga bostäder för inflyttande medarbetare');
      await ui.fillCardInput(
        form,
        /^Beslut/,
        'Programkontoret tar fram 40 tillfälliga bostäder i Saltvik till halvårsskiftet 2027.',
      );
      await ui.fillCardInput(form, /^Motivering/, 'Batterifabrikens rekrytering går fortare än bostadsbyggandet.');
      await ui.fillCardInput(form, /^Möte(?!sdatum)/, 'Styrgruppens möte i november');
      await ui.chooseCardOption(form, /^Berörda team/, 'Bostäder');
      await ui.fillCardInput(form, /^Berörda åtgärder/, 'BOS-03');
      await ui.fillCardInput(form, /^Uppföljning, ansvarig/, 'Lena Åberg');
      await ui.fillCardInput(form, /^Uppföljning senast/, '2027-02-26');
      await ui.clickCardButton(form, 'Logga beslutet');
      await ui.waitForCard(/Beslutet är loggat som D-\d{4}-\d{3}\./);
      await ui.sendMessage('protokoll idag', { mention: true });
      return ui.threadOf(await ui.waitForCard('Protokoll – '));
    },
  },
  {
    name: 'decision-dialog',
    caption:
      'The card of the "Logga som beslut" dialog (the answer to the message extension\'s fetchTask on a message in the steering chat), rendered outside Teams with the Adaptive Cards renderer: the playground has no dialogs',
    run: async ({ proxy, browser }) => {
      // The invoke Teams sends when a person picks "Logga som beslut" on a message in the chat,
      // answered by the bot behind the playground (its Bot Connector, for the roster check).
      const chat = PLAYGROUND_SETUP.groupChat;
      const seen = proxy
        .received()
        .filter((a) => a.conversationId === chat.id)
        .at(-1);
      if (!seen) throw new Error('decision-dialog: the group chat has had no message yet (run "brief" first)');
      const user = PLAYGROUND_SETUP.currentUser;
      const invoke = fetchTaskInvoke({
        place: { kind: 'groupChat', chatId: chat.id },
        serviceUrl: String(seen.activity.serviceUrl),
        from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
        message: {
          html: '<p>Bygglov vid Öbacka strand får förtur. Styrgruppen beslutar att bygglov för bostäder på Öbacka strand handläggs med förtur under 2027.</p>',
          author: { displayName: 'Sofia Lundgren' },
          createdDateTime: '2026-11-27T10:12:00.000Z',
        },
        now: new Date(SCREENSHOT_DATE),
      });
      return openDialogPage(browser, await askForDialog(proxy.endpoint, invoke));
    },
  },
  tabScene(
    'tab-plan',
    'The program overview tab: every team’s actions by status, the overdue and at-risk ones',
    'plan',
    1500,
  ),
  tabScene('tab-indicators', 'The program overview tab: the indicators against their targets', 'indicators', 1300),
  tabScene('tab-decisions', 'The program overview tab: the decision log with search and filters', 'decisions', 1100),
];

/** The overview tab as the bot serves it at /tab (the playground shows no tabs: a page of its own). */
function tabScene(name: string, caption: string, view: string, height: number): Scene {
  return {
    name,
    caption,
    run: async ({ browser, bot }) => {
      const context = await browser.newContext({
        viewport: { width: WINDOW.width, height },
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      await page.goto(`${bot.url}/tab?view=${view}`);
      await page.locator(`.ks-view[data-view="${view}"]`).waitFor();
      return page.locator('body');
    },
    maxHeight: height - 20,
  };
}

export interface ScreenshotOptions {
  outDir: string;
  only?: string[];
  log?: (line: string) => void;
}

/** Takes the pictures; returns the files written. */
export async function takeScreenshots(options: ScreenshotOptions): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const scenes = options.only ? SCENES.filter((s) => options.only!.includes(s.name)) : SCENES;
  const unknown = (options.only ?? []).filter((n) => !SCENES.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(`Unknown scene(s): ${unknown.join(', ')}. Scenes: ${SCENES.map((s) => s.name).join(', ')}`);
  const clock = fixedClock(SCREENSHOT_DATE);
  const session = await startPlaygroundSession({
    clock,
    viewport: { ...WINDOW },
    beforeOpen: async (bot) => {
      await seedDemo(bot.storage.repositories, bot.deps.program, clock);
    },
  });
  const written: string[] = [];
  try {
    await session.ui.hideLogPanel();
    // Scenes build on each other: with --only, the earlier ones still run, unpictured.
    const last = Math.max(...scenes.map((s) => SCENES.indexOf(s)));
    for (const scene of SCENES.slice(0, last + 1)) {
      const height = scene.windowHeight ?? WINDOW.height;
      if (session.ui.page.viewportSize()?.height !== height) {
        await session.ui.page.setViewportSize({ width: WINDOW.width, height });
        await session.ui.hideLogPanel();
      }
      const target = await scene.run(session);
      if (!scenes.includes(scene)) continue;
      const file = path.join(options.outDir, `${scene.name}.png`);
      await session.ui.screenshot(file, target, { maxHeight: scene.maxHeight });
      written.push(file);
      log(`${file}  ${scene.caption}`);
    }
  } finally {
    await session.stop();
  }
  return written;
}

function parseArgs(argv: readonly string[]): ScreenshotOptions | { error: string } {
  const options: ScreenshotOptions = { outDir: path.join(repoRoot(), 'docs', 'images') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only') options.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--out') options.outDir = path.resolve(argv[++i] ?? '.');
    else
      return { error: `Usage: npm run screenshots [-- --only ${SCENES.map((s) => s.name).join(',')}] [--out <dir>]` };
  }
  return options;
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  if ('error' in options) {
    process.stderr.write(`${options.error}\n`);
    process.exitCode = 2;
  } else {
    takeScreenshots({ ...options, log: (line) => process.stdout.write(`${line}\n`) }).then(
      (files) => process.stdout.write(`${files.length} screenshot(s) written.\n`),
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
