/**
 * The program overview tab in Chromium, against the running bot with the demo program seeded
 * (the plan, four weeks of answers and check-ins, decisions, indicators): each view renders with
 * its charts drawn from the store's data, the filters and the search work through the page's
 * script, the dark theme and English work, the keyboard reaches the charts' data, and a
 * registered bot's tab shows nothing to a browser outside Teams.
 */
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../cli/seed';
import { fixedClock } from '../../domain/time';
import { ACTION_STATUSES } from '../../domain/types';
import { startTestBot, type TestBot } from '../support/bot';
import { nowSeconds, startJwtIssuer } from '../support/jwt-issuer';
import { launchChromium } from '../support/playground';

jest.setTimeout(120000);

const clock = fixedClock('2026-11-26T09:00:00Z');
let bot: TestBot;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  bot = await startTestBot({}, { clock });
  await seedDemo(bot.storage.repositories, bot.deps.program, clock);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'sv-SE' });
  page = await context.newPage();
  // Nothing leaves the machine: only the bot's own address answers.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(bot.url) ? route.continue() : route.abort('blockedbyclient'),
  );
});

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
});

/** The values a chart was drawn with, read back from its SVG: series → category → value. */
async function chartData(selector: string): Promise<Record<string, Record<string, number>>> {
  return page.$$eval(`${selector} [data-series][data-value]`, (els) => {
    const out: Record<string, Record<string, number>> = {};
    for (const el of els) {
      const { series, category, value } = (el as HTMLElement).dataset;
      (out[series!] ??= {})[category!] = Number(value);
    }
    return out;
  });
}

it('Plan: a stacked bar per team with the store’s status counts, and a table of every action', async () => {
  await page.goto(`${bot.url}/tab`);
  await page.locator('.ks-view[data-view="plan"]').waitFor();
  expect(await page.title()).toBe('Programöversikt – Kraftsamling Härnösand');
  const actions = (await bot.storage.repositories.actions.list('harnosand')).filter((a) => !a.retiredAt);
  const names = new Map(bot.deps.program.teams.map((t) => [t.key, t.name]));
  const drawn = await chartData('#ks-plan-status-figure svg');
  for (const status of ACTION_STATUSES) {
    for (const team of bot.deps.program.teams) {
      const count = actions.filter((a) => a.teamKey === team.key && a.status === status).length;
      if (count > 0)
        expect([status, team.key, drawn[status]?.[names.get(team.key)!]]).toEqual([status, team.key, count]);
    }
  }
  expect(await page.locator('tr[data-action]').count()).toBe(actions.length);
});

it('Plan: filtering by team and status through the form swaps the view in place', async () => {
  await page.selectOption('select[name="team"]', 'bostader');
  await page.waitForFunction(() => document.querySelectorAll('section.ks-team').length === 1);
  expect(await page.locator('section.ks-team').getAttribute('data-team')).toBe('bostader');
  expect(page.url()).toContain('team=bostader');
  await page.selectOption('select[name="status"]', 'on_track');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'on_track');
  const statuses = await page.$$eval('tr[data-action]', (rows) => rows.map((r) => (r as HTMLElement).dataset.status));
  const expected = (await bot.storage.repositories.actions.listByTeam('harnosand', 'bostader')).filter(
    (a) => a.status === 'on_track' && !a.retiredAt,
  );
  expect(statuses).toEqual(expected.map(() => 'on_track'));
  await page.click('a.ks-clear');
  await page.waitForFunction(() => document.querySelectorAll('section.ks-team').length > 1);
});

it('Plan: an action’s answers week by week open from its row, its progress drawn from them', async () => {
  const link = page.locator('tr[data-action] a[data-view="action"]').first();
  const id = await link.evaluate((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('id'));
  await link.click();
  await page.locator('.ks-view[data-view="action"]').waitFor();
  const events = (await bot.storage.repositories.actions.get('harnosand', id!))!;
  expect(await page.locator('h2#view-title').innerText()).toContain(events.title);
  const drawn = await chartData('#ks-action-progress-figure svg');
  const rows = await page.$$eval('table.ks-history tbody tr', (trs) =>
    trs.map((tr) => Number((tr.children[2] as HTMLElement).innerText.replace(/\D/g, ''))),
  );
  expect(rows.length).toBeGreaterThan(0);
  // The chart runs oldest first, the table newest first: the same answers.
  expect(Object.values(drawn.progress ?? {})).toEqual([...rows].reverse());
  await page.goBack();
  await page.locator('.ks-view[data-view="plan"]').waitFor();
});

it('Indikatorer: a line per indicator with its target line, the data as a table beside it', async () => {
  await page.click('nav a[data-view="indicators"]');
  await page.locator('.ks-view[data-view="indicators"]').waitFor();
  expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Indikatorer');
  const indicators = await bot.storage.repositories.indicators.list('harnosand');
  expect(indicators.length).toBeGreaterThan(0);
  for (const ind of indicators) {
    const section = `section[data-indicator="${ind.id}"]`;
    const drawn = await chartData(section);
    expect(drawn[ind.id]).toEqual(Object.fromEntries(ind.values.map((v) => [v.period, v.value])));
    if (ind.target !== undefined) expect(await page.locator(`${section} .ks-target`).count()).toBeGreaterThan(0);
    expect(await page.locator(`${section} details.ks-table table`).count()).toBe(1);
  }
});

it('Beslut: the search narrows the log, and a protocol opens from a decision', async () => {
  await page.click('nav a[data-view="decisions"]');
  await page.locator('.ks-view[data-view="decisions"]').waitFor();
  const decisions = await bot.storage.repositories.decisions.listYear('harnosand', 2026);
  expect(await page.locator('tr[data-decision]').count()).toBe(decisions.length);
  const one = decisions[0]!;
  const word = one.title.split(/\s+/).find((w) => w.length > 5)!;
  await page.fill('input[name="q"]', word);
  await page.click('.ks-filters button[type="submit"]');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('q'));
  const shown = await page.$$eval('tr[data-decision]', (rows) => rows.map((r) => (r as HTMLElement).dataset.decision));
  expect(shown).toContain(one.number);
  expect(shown.length).toBe(
    decisions.filter((d) => [d.title, d.text, d.rationale].join(' ').toLowerCase().includes(word.toLowerCase())).length,
  );
  await page.click(`tr[data-decision="${one.number}"] a[data-view="protocol"]`);
  await page.locator('.ks-protocol').waitFor();
  expect(await page.locator('.ks-protocol').innerText()).toContain(one.number);
});

it('Engagemang: answer rates per week and per team, from the check-ins', async () => {
  await page.click('nav a[data-view="engagement"]');
  await page.locator('.ks-view[data-view="engagement"]').waitFor();
  const drawn = await chartData('#ks-engagement-teams-figure svg');
  expect(Object.keys(drawn.rate ?? {}).length).toBeGreaterThan(0);
  for (const value of Object.values(drawn.rate!)) expect(value).toBeGreaterThanOrEqual(0);
  expect(await page.locator('table.ks-grid-table tr[data-team]').count()).toBe(bot.deps.program.teams.length);
});

it('the keyboard reaches the skip link, the views and each bar of a chart', async () => {
  await page.goto(`${bot.url}/tab`);
  await page.locator('.ks-view[data-view="plan"]').waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('ks-skip');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.view)).toBe('plan');
  const tabindex = await page.$$eval('#ks-plan-status-figure svg [data-series][data-value]', (els) =>
    els.map((el) => el.getAttribute('tabindex')),
  );
  expect(tabindex.length).toBeGreaterThan(0);
  expect(new Set(tabindex)).toEqual(new Set(['0']));
  await page.focus('#ks-plan-status-figure svg [data-series][data-value]');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-series'))).toBeTruthy();
});

it('prints the view without the navigation and the filters, every data table open', async () => {
  await page.goto(`${bot.url}/tab?view=indicators`);
  await page.locator('.ks-view[data-view="indicators"]').waitFor();
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  try {
    expect(await page.locator('nav').isVisible()).toBe(false);
    const tables = page.locator('details.ks-table table');
    expect(await tables.count()).toBeGreaterThan(0);
    for (const table of await tables.all()) expect(await table.isVisible()).toBe(true);
    expect(await page.locator('[data-series][data-value]').first().isVisible()).toBe(true);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

it('follows the dark theme and speaks English', async () => {
  await page.goto(`${bot.url}/tab?theme=dark&lang=en`);
  await page.locator('.ks-view[data-view="plan"]').waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
  expect(r! + g! + b!).toBeLessThan(3 * 64);
  expect(await page.locator('nav a[data-view="indicators"]').innerText()).toBe('Indicators');
  expect(await page.locator('h2#view-title').innerText()).toBe('Plan');
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
});

it('a registered bot’s tab outside Teams shows no data and refuses a view without a token', async () => {
  const registered = await startTestBot({
    MICROSOFT_APP_ID: '6f4c2e1a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
    MICROSOFT_APP_PASSWORD: 'not-used-here',
    MICROSOFT_APP_TYPE: 'SingleTenant',
    MICROSOFT_APP_TENANT_ID: '41a4825c-3ecf-41b9-8e52-b64f57d79511',
  });
  try {
    await seedDemo(registered.storage.repositories, registered.deps.program, clock);
    const other = await browser.newPage();
    await other.route('**/*', (route) =>
      route.request().url().startsWith(registered.url) ? route.continue() : route.abort('blockedbyclient'),
    );
    await other.goto(`${registered.url}/tab`);
    await other.locator('.ks-message').waitFor();
    expect(await other.locator('main').innerText()).toBe(
      'Öppna fliken i Microsoft Teams för att se programöversikten.',
    );
    expect(await other.locator('[data-series]').count()).toBe(0);
    const status = await other.evaluate(async () => (await fetch('tab/view/plan')).status);
    expect(status).toBe(401);
    await other.close();
  } finally {
    await registered.stop();
  }
});

it('inside Teams (a stand-in for the Teams client around the page): theme and language from the context, the view fetched with the SSO token', async () => {
  const APP_ID = '6f4c2e1a-1b2c-4d3e-8f9a-0b1c2d3e4f5a';
  const TENANT = '41a4825c-3ecf-41b9-8e52-b64f57d79511';
  const issuer = await startJwtIssuer({ issuer: 'https://login.example.test' });
  const registered = await startTestBot({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'not-used-here',
    MICROSOFT_APP_TYPE: 'SingleTenant',
    MICROSOFT_APP_TENANT_ID: TENANT,
    TAB_OPENID_METADATA: issuer.metadataUrl,
    TAB_TOKEN_ISSUER: `${issuer.url}/{tenantid}/v2.0`,
  });
  try {
    await seedDemo(registered.storage.repositories, registered.deps.program, clock);
    const token = issuer.sign({
      aud: APP_ID,
      iss: `${issuer.url}/${TENANT}/v2.0`,
      tid: TENANT,
      oid: 'eba5184e-f815-4b2a-8b49-99af18d16813',
      scp: 'access_as_user',
      nbf: nowSeconds() - 60,
      exp: nowSeconds() + 3600,
    });
    // What the Teams JavaScript library answers inside Teams: the context, the theme handler, the token.
    const teamsJs = `window.microsoftTeams = {
      app: {
        initialize: () => Promise.resolve(),
        getContext: () => Promise.resolve({ app: { theme: 'contrast', locale: 'en-us' } }),
        registerOnThemeChangeHandler: (handler) => { window.kraftsamlaThemeChange = handler; },
        notifySuccess: () => {},
      },
      authentication: { getAuthToken: () => { window.kraftsamlaTokens = (window.kraftsamlaTokens || 0) + 1; return Promise.resolve(${JSON.stringify(token)}); } },
    };`;
    const other = await browser.newPage();
    const authorizations: string[] = [];
    await other.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${registered.url}/tab/assets/teams-js.js`))
        return route.fulfill({ contentType: 'text/javascript', body: teamsJs });
      // The Teams client's own page, framing the tab (on the tab's origin: frame-ancestors allows it).
      if (url === `${registered.url}/teams-client`)
        return route.fulfill({
          contentType: 'text/html',
          body: `<iframe src="${registered.url}/tab" width="1200" height="900"></iframe>`,
        });
      if (url.includes('/tab/view/')) authorizations.push((await route.request().headerValue('authorization')) ?? '');
      return url.startsWith(registered.url) ? route.continue() : route.abort('blockedbyclient');
    });
    await other.goto(`${registered.url}/teams-client`);
    const frame = other.frameLocator('iframe');
    await frame.locator('.ks-view[data-view="plan"]').waitFor();
    expect(authorizations).toEqual([`Bearer ${token}`]);
    expect(await frame.locator('html').getAttribute('data-theme')).toBe('contrast');
    expect(await frame.locator('html').getAttribute('lang')).toBe('en');
    expect(await frame.locator('nav a[data-view="decisions"]').innerText()).toBe('Decisions');
    expect(await frame.locator('[data-series][data-value]').count()).toBeGreaterThan(0);
    // Teams tells the page the user changed the theme.
    const inner = other.frames().find((f) => f.url().startsWith(`${registered.url}/tab`))!;
    await inner.evaluate(() =>
      (window as unknown as { kraftsamlaThemeChange: (t: string) => void }).kraftsamlaThemeChange('dark'),
    );
    expect(await frame.locator('html').getAttribute('data-theme')).toBe('dark');
    await other.close();
  } finally {
    await registered.stop();
    await issuer.close();
  }
});
