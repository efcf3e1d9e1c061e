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
 * to the steering group and "decision-logged" saves its form). A scene returns the element to
 * photograph, usually `ui.threadOf(card)`; a tall one asks for a taller window.
 */
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { seedDemo } from '../cli/seed';
import { fixedClock } from '../domain/time';
import { repoRoot } from './dev';
import { startPlaygroundSession, type PlaygroundSession } from '../test/support/playground';

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
];

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
