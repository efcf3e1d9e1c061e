/**
 * The Microsoft 365 Agents Playground as a test client: the real bot, the
 * playground's Teams-like web UI, and Debian's Chromium driven by playwright-core. The playground
 * process, its config and the locale proxy are in scripts/playground.ts (shared with `npm run
 * dev`) and re-exported here.
 *
 *   const s = await startPlaygroundSession();          // bot + proxy + playground + browser
 *   await s.ui.openGeneral();                          // the install event → the bot's welcome
 *   await s.ui.openGroupChat();                        // the group chat ("Programkontorets ledning")
 *   await s.ui.sendMessage('inför mötet', { mention: true }); // "@Kraftsamla inför mötet" there
 *   await s.ui.waitForCard('Hej! Jag är Kraftsamla');
 *   await s.ui.openChannel();                          // the team's second channel ("Bostäder")
 *   const thread = await s.ui.mentionBot('hjälp');     // a new post "@Kraftsamla hjälp"
 *   const help = await s.ui.waitForCard('Det här kan Kraftsamla');
 *   await s.ui.screenshot('docs/images/help.png', thread);
 *   const list = await s.ui.waitForCard('Sida 1 av 2');
 *   await s.ui.clickCardButton(list, 'Nästa sida');    // Action.Execute: the card is replaced
 *   await s.ui.fillCardInput(form, 'Titel', 'Ny');     // inputs by their label
 *   s.proxy.received();                                // what the bot got (type, name, value…)
 *   await s.stop();                                    // browser, playground, proxy, bot
 *
 * Seed the store in `beforeOpen` (it runs before the page loads); pass a fixed `clock` for dates
 * that do not move. The team's install happens in the first channel opened: open General first
 * to see the welcome there.
 *
 * In the UI: Adaptive Cards render with the adaptivecards renderer (`.ac-adaptiveCard`), inputs
 * as Fluent controls labelled by their `label` (Input.Date is a date picker that takes
 * `YYYY-MM-DD` typed in); a channel shows its threads newest first; Action.Execute sends an
 * `adaptiveCard/action` invoke (full conversation, team and channel, `from` with aadObjectId) and
 * replaces the card with the one in the response, showing "Your response was sent to the app".
 * The UI asks a CDN for Segoe UI fonts and an animation worklet: blocked here (no internet), and
 * nothing else needs them; text renders in the system sans-serif.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Clock } from '../../domain/time';
import {
  PLAYGROUND_SETUP,
  startClientProxy,
  startPlayground,
  type ClientProxy,
  type PlaygroundSetup,
  type RunningPlayground,
} from '../../scripts/playground';
import { startTestBot, type TestBot } from './bot';

export * from '../../scripts/playground';

// ---------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Chromium, headless, quiet: no network of its own, no first-run, a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's Chromium (apt-get install chromium); .ci/run does.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

function isLocal(url: string): boolean {
  try {
    const { hostname, protocol } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:') return true;
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

export interface OpenPageOptions {
  setup?: PlaygroundSetup;
  viewport?: { width: number; height: number };
  /** The browser's language (the playground's UI stays English; activities follow the proxy). */
  locale?: string;
  timeoutMs?: number;
  /**
   * Keeps the client's activities from the bot until the returned function is called (the
   * session's proxy `hold`). With it, a new channel post reaches the bot only once the page shows
   * it, as in Teams; without it a quick reply can come before the page knows the post.
   */
  holdBot?: () => () => void;
}

/** The playground's web UI in one browser page, with helpers that wait for the bot. */
export class PlaygroundPage {
  /** Requests to anything but localhost, aborted (the UI asks a CDN for fonts). */
  readonly blocked: string[] = [];
  private posts = 0;

  private constructor(
    readonly page: Page,
    readonly url: string,
    readonly setup: PlaygroundSetup,
    private readonly timeoutMs: number,
    private readonly holdBot: (() => () => void) | undefined,
  ) {}

  static async open(browser: Browser, url: string, options: OpenPageOptions = {}): Promise<PlaygroundPage> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: options.locale ?? 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const ui = new PlaygroundPage(
      page,
      url,
      options.setup ?? PLAYGROUND_SETUP,
      options.timeoutMs ?? 20000,
      options.holdBot,
    );
    page.setDefaultTimeout(ui.timeoutMs);
    await page.route('**/*', (route) => {
      const target = route.request().url();
      if (isLocal(target)) return route.continue();
      ui.blocked.push(target);
      return route.abort('blockedbyclient');
    });
    await page.goto(url);
    await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
    return ui;
  }

  /** Opens a channel of the team by name (default: the team's second channel, e.g. "Bostäder"). */
  async openChannel(name: string = this.setup.team.channel.name): Promise<void> {
    await this.page.getByRole('treeitem', { name: `${this.setup.team.name} - ${name}` }).click();
    await this.page.getByText('Start a new post').waitFor();
  }

  /** Opens the team's General channel, where the bot's welcome lands on install. */
  async openGeneral(): Promise<void> {
    await this.openChannel('General');
  }

  async openPersonalChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await this.page.getByText('Type a message...').first().waitFor();
  }

  /**
   * Opens the group chat (the current user, the five others and the bot). The first time, the
   * playground installs the bot there (installationUpdate and conversationUpdate, in the chat),
   * and the bot posts its welcome.
   */
  async openGroupChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: this.setup.groupChat.name }).click();
    await this.page.getByText('Type a message...').first().waitFor();
  }

  /** Types `@<bot>` (picked from the mention menu, so Teams' `<at>` entity is sent) and the text. */
  private async typeMention(editor: Locator, text: string): Promise<void> {
    await editor.click();
    const bot = this.setup.bot.name;
    await this.page.keyboard.type(`@${bot.slice(0, 4)}`);
    await this.page.locator('#typeahead-menu').getByRole('menuitem', { name: bot }).click();
    await this.page.keyboard.type(` ${text}`);
  }

  /**
   * In the open channel: a new post `@Kraftsamla <text>`. Returns the new thread (the post and,
   * once they come, the bot's replies inside it). The locator holds while the channel stays open.
   */
  async mentionBot(text: string): Promise<Locator> {
    const mark = `thread-${++this.posts}`;
    // Thread elements stay put while the channel is open: mark the ones there before posting, so
    // the new one is found even when the bot posts something else (a welcome) at the same time.
    await this.threads().evaluateAll((threads) => threads.forEach((t) => t.setAttribute('data-kraftsamla-seen', '')));
    const editor = this.page.locator('[contenteditable=true]').first();
    await this.typeMention(editor, text);
    const release = this.holdBot?.();
    try {
      await this.page.getByRole('button', { name: 'Post', exact: true }).click();
      await this.waitForPost(text, mark);
    } finally {
      release?.();
    }
    return this.page.locator(`[data-kraftsamla-thread="${mark}"]`);
  }

  /** Waits for the new thread whose post is `@<bot> <text>` and marks it. */
  private async waitForPost(text: string, mark: string): Promise<void> {
    const posted = `${this.setup.bot.name} ${text}`;
    await this.waitUntil(
      () =>
        this.page.evaluate(
          ({ posted, mark }) => {
            const fresh = Array.from(document.querySelectorAll('.fui-Card[role=group]:not([data-kraftsamla-seen])'));
            // A thread's first line (a direct child span) is the post: "Kraftsamla <text>".
            const thread = fresh.find(
              (t) => (t.querySelector(':scope > span')?.textContent ?? '').replace(/\s+/g, ' ').trim() === posted,
            );
            thread?.setAttribute('data-kraftsamla-thread', mark);
            return thread !== undefined;
          },
          { posted, mark },
        ),
      `a new thread for "${text}"`,
    );
  }

  /** Replies inside a channel thread (its "Type a message..." box), mentioning the bot by default. */
  async replyInThread(thread: Locator, text: string, options: { mention?: boolean } = {}): Promise<void> {
    const editor = thread.locator('[contenteditable=true]').first();
    if (options.mention === false) {
      await editor.click();
      await this.page.keyboard.type(text);
    } else await this.typeMention(editor, text);
    await this.page.keyboard.press('Enter');
  }

  /** In the open personal or group chat: sends the text (no mention needed in a personal chat). */
  async sendMessage(text: string, options: { mention?: boolean } = {}): Promise<void> {
    const editor = this.page.locator('[contenteditable=true]').first();
    if (options.mention) await this.typeMention(editor, text);
    else {
      await editor.click();
      await this.page.keyboard.type(text);
    }
    await this.page.getByRole('button', { name: 'Send Message' }).click();
  }

  /**
   * The open channel's threads (a post and its replies), newest first as the playground shows
   * them (new posts go to the top, under the composer).
   */
  threads(): Locator {
    return this.page
      .locator('.fui-Card[role=group]')
      .filter({ has: this.page.locator('.fui-CardHeader') })
      .filter({ hasNot: this.page.getByRole('button', { name: 'Post', exact: true }) });
  }

  /** What holds this element: its thread in a channel, its message bubble in a chat. */
  threadOf(element: Locator): Locator {
    // In document order the thread (role=group) comes before any bubble inside it: take the first.
    return element.locator(
      'xpath=(ancestor::div[@role="group"] | ancestor::div[contains(concat(" ", @class, " "), " fai-OutputCard ")])[1]',
    );
  }

  /** Every rendered Adaptive Card containing the text, oldest first. */
  cards(text?: string | RegExp): Locator {
    const all = this.page.locator('.ac-adaptiveCard');
    return text === undefined ? all : all.filter({ hasText: text });
  }

  /**
   * Waits for a card containing the text and returns the newest one. With `after` (a count taken
   * before), waits for one more than that: a fresh answer, not an old card with the same text.
   */
  async waitForCard(text: string | RegExp, options: { after?: number; timeoutMs?: number } = {}): Promise<Locator> {
    const cards = this.cards(text);
    const min = (options.after ?? 0) + 1;
    await this.waitUntil(async () => (await cards.count()) >= min, `a card with "${String(text)}"`, options.timeoutMs);
    const card = cards.last();
    await card.waitFor({ state: 'visible' });
    return card;
  }

  /** Waits for any message (text or card) containing the text; returns the newest. */
  async waitForText(text: string | RegExp, options: { after?: number; timeoutMs?: number } = {}): Promise<Locator> {
    const hits = this.page.getByText(text);
    const min = (options.after ?? 0) + 1;
    await this.waitUntil(async () => (await hits.count()) >= min, `the text "${String(text)}"`, options.timeoutMs);
    return hits.last();
  }

  /** Clicks an action button on a card (Action.Execute, Action.Submit, ShowCard) by its title. */
  async clickCardButton(card: Locator, title: string | RegExp): Promise<void> {
    await card.getByRole('button', { name: title }).first().click();
  }

  /** Fills a card's text, number or date input, found by its label (or placeholder). */
  async fillCardInput(card: Locator, label: string | RegExp, value: string): Promise<void> {
    const byLabel = card.getByLabel(label);
    const input = (await byLabel.count()) > 0 ? byLabel.first() : card.getByPlaceholder(label).first();
    await input.fill(value);
  }

  /**
   * Picks an option of a card's choice set by label: a compact one (a select or a dropdown) or
   * an expanded one (radio buttons or, for multi-select, checkboxes).
   */
  async chooseCardOption(card: Locator, label: string | RegExp, option: string): Promise<void> {
    const combo = card.getByRole('combobox', { name: label });
    if ((await combo.count()) > 0) {
      const box = combo.first();
      if ((await box.evaluate((e) => e.tagName)) === 'SELECT') await box.selectOption({ label: option });
      else {
        await box.click();
        await this.page.getByRole('option', { name: option, exact: true }).first().click();
      }
      return;
    }
    const group = card.getByRole('radiogroup', { name: label }).or(card.getByRole('group', { name: label }));
    const scope = (await group.count()) > 0 ? group.first() : card;
    await scope
      .getByRole('radio', { name: option })
      .or(scope.getByRole('checkbox', { name: option }))
      .first()
      .check();
  }

  /** Closes the playground's log panel (wider chat, cleaner screenshots). */
  async hideLogPanel(): Promise<void> {
    const panel = this.page.getByText('Log Panel', { exact: true });
    if (!(await panel.isVisible())) return;
    const header = panel.locator('xpath=..');
    await header.getByRole('button').last().click();
    await panel.waitFor({ state: 'hidden' });
  }

  /**
   * Hides the playground's own notes: under cards ("Full width control is not supported yet in
   * Microsoft 365 Agents playground…") and after a card action ("Your response was sent to the
   * app"). They belong to the playground, not to Teams, so not in pictures.
   */
  async hidePlaygroundNotices(): Promise<number> {
    return this.page.evaluate(() => {
      let hidden = 0;
      const hide = (el: Element | null | undefined) => {
        if (el instanceof HTMLElement && el.style.display !== 'none') {
          el.style.display = 'none';
          hidden++;
        }
      };
      for (const span of Array.from(document.querySelectorAll('span'))) {
        if (span.children.length > 0) continue;
        const text = span.textContent ?? '';
        // A row of a coloured dot and the text, two levels up.
        if (/not supported yet in Microsoft 365 Agents playground/i.test(text)) hide(span.parentElement?.parentElement);
        // A bar with an icon, the text and a close button, one level up.
        else if (text.trim() === 'Your response was sent to the app') hide(span.parentElement);
      }
      return hidden;
    });
  }

  /**
   * A PNG of the element (e.g. a thread from `mentionBot`, or `threadOf(card)`, or an element of
   * another page of the browser) or of the whole page, without the playground's notices. Creates the folder. With `maxHeight`, only the
   * element's top that many pixels high.
   *
   * The part pictured must fit in the window (make the page taller with `page.setViewportSize`
   * first): for anything taller, Chromium lays the page out again at a larger size to take the
   * picture, and the playground re-renders its cards then (open `Action.ShowCard` forms close,
   * the log panel comes back).
   */
  async screenshot(
    file: string,
    of?: Locator,
    options: { keepNotices?: boolean; maxHeight?: number } = {},
  ): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!options.keepNotices) await this.hidePlaygroundNotices();
    // The element may be on another page of the browser (a card rendered outside the playground).
    const page = of?.page() ?? this.page;
    // Hover nothing: a hovered button or message changes colour in the picture.
    await page.mouse.move(0, 0);
    if (of) {
      await of.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      const box = await of.boundingBox();
      const window = page.viewportSize();
      if (!box || !window) throw new Error(`Playground: nothing to picture for ${file} (the element is not shown)`);
      const height = Math.min(box.height, options.maxHeight ?? box.height);
      if (box.y < 0 || box.y + height > window.height) {
        throw new Error(
          `Playground: ${file} needs ${Math.ceil(height)} px from y=${Math.round(box.y)}, the window is ${window.height} px high: make it taller (or set maxHeight)`,
        );
      }
      await page.screenshot({
        path: file,
        animations: 'disabled',
        clip: { x: box.x, y: box.y, width: box.width, height },
      });
    } else {
      await this.page.screenshot({ path: file, animations: 'disabled' });
    }
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  private async waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`Playground: waited ${timeoutMs} ms for ${what}`);
      await this.page.waitForTimeout(100);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A whole session: bot + proxy + playground + browser page
// ---------------------------------------------------------------------------------------------

export interface PlaygroundSession {
  bot: TestBot;
  proxy: ClientProxy;
  playground: RunningPlayground;
  browser: Browser;
  ui: PlaygroundPage;
  stop(): Promise<void>;
}

export interface PlaygroundSessionOptions {
  /** Bot environment on top of startTestBot's (in-memory Azurite, scheduler off). */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** The locale the bot sees in activities (default sv-SE); 'client' keeps the playground's en-US. */
  locale?: 'sv-SE' | 'en-US' | 'client';
  setup?: PlaygroundSetup;
  /** Runs after the bot started and before the page opens (seed the store here). */
  beforeOpen?: (bot: TestBot) => Promise<void>;
  viewport?: { width: number; height: number };
  /** Default wait for the bot, in ms. */
  timeoutMs?: number;
  /** Lines of the playground's output, for debugging. */
  onPlaygroundLine?: (line: string) => void;
}

/** Starts everything on free ports; `stop()` ends it all, whatever failed on the way. */
export async function startPlaygroundSession(options: PlaygroundSessionOptions = {}): Promise<PlaygroundSession> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest; a failed close must not leave a process behind.
      }
    }
    stops.length = 0;
  };
  try {
    const bot = await startTestBot(options.env ?? {}, { clock: options.clock });
    stops.push(() => bot.stop());
    if (options.beforeOpen) await options.beforeOpen(bot);
    const proxy = await startClientProxy(bot.messagesUrl, {
      locale: options.locale === 'client' ? undefined : (options.locale ?? 'sv-SE'),
    });
    stops.push(() => proxy.stop());
    const playground = await startPlayground({
      endpoint: proxy.endpoint,
      setup: options.setup,
      onLine: options.onPlaygroundLine,
    });
    stops.push(() => playground.stop());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const ui = await PlaygroundPage.open(browser, playground.url, {
      setup: options.setup,
      viewport: options.viewport,
      timeoutMs: options.timeoutMs,
      holdBot: proxy.hold,
    });
    return { bot, proxy, playground, browser, ui, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
