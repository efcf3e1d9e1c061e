/**
 * The harness's own order of events in a channel. The Agents Playground answers the page's new
 * post first and only then sends it to the bot, so on a busy machine the bot's reply can reach
 * the page before the page has taken in its own post, and the page drops that reply. Teams has
 * the post before the bot sees it; the session's pages hold the post back from the bot until it
 * is on screen. Here the page's own request is slowed down on purpose to show both sides.
 */
import type { Page } from 'playwright-core';
import { fixedClock } from '../../domain/time';
import { PlaygroundPage, startPlaygroundSession, type PlaygroundSession } from '../support/playground';

jest.setTimeout(120000);

const clock = fixedClock('2026-11-26T09:00:00Z');
const HELP = 'Det här kan Kraftsamla';
const SLOW_MS = 1500;
let s: PlaygroundSession;

beforeAll(async () => {
  s = await startPlaygroundSession({ clock });
  await s.ui.openGeneral();
  await s.ui.waitForCard('Hej! Jag är Kraftsamla');
});

afterAll(async () => {
  await s?.stop();
});

/** The page gets the playground's answer to its new post SLOW_MS late (the playground is not slowed). */
async function slowPosts(page: Page): Promise<void> {
  await page.route('**/_conversation/v1/conversations/*/messages', async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    await route.fulfill({ response });
  });
}

it("keeps a new post from the bot until the page shows it, so the bot's reply lands in its thread", async () => {
  await slowPosts(s.ui.page);
  const before = (await s.proxy.settled()).length;
  const thread = await s.ui.mentionBot('hjälp');
  await s.ui.waitForCard(HELP);
  await expect(thread.locator('.ac-adaptiveCard').filter({ hasText: HELP }).count()).resolves.toBe(1);
  // The bot got the post once, after the page showed it.
  const sent = (await s.proxy.settled()).slice(before).filter((a) => a.type === 'message');
  expect(sent.map((a) => a.text)).toEqual(['<at>Kraftsamla</at> hjälp']);
});

it('without the hold the page drops the reply that came before it knew the post (why the hold exists)', async () => {
  // A second page on the same playground, opened without the session's hold.
  const bare = await PlaygroundPage.open(s.browser, s.playground.url);
  try {
    await slowPosts(bare.page);
    await bare.openGeneral();
    const before = (await s.proxy.settled()).length;
    const thread = await bare.mentionBot('hjälp');
    // The bot answered (its reply went to the playground) while the page waited for its post.
    const sent = (await s.proxy.settled()).slice(before).filter((a) => a.type === 'message');
    expect(sent.map((a) => [a.text, a.status])).toEqual([['<at>Kraftsamla</at> hjälp', 200]]);
    await bare.page.waitForTimeout(2000);
    await expect(thread.locator('.ac-adaptiveCard').count()).resolves.toBe(0);
  } finally {
    await bare.page.context().close();
  }
});
