/**
 * The program overview tab through the bot's real HTTP server: the page, its views over a seeded
 * week (the digest scenario, with a hostile comment), the filters, the protocol, the assets and
 * the headers; then with the bot registered (not anonymous), Teams SSO tokens from a local
 * stand-in for Entra ID: no token, a wrong one, another tenant's, and a valid one.
 */
import * as scenario from '../../support/digest-scenario';
import { startTestBot, type TestBot } from '../../support/bot';
import { nowSeconds, startJwtIssuer, type JwtIssuer } from '../../support/jwt-issuer';
import { fixedClock, isoWeek } from '../../../domain/time';

const TENANT = '41a4825c-3ecf-41b9-8e52-b64f57d79511';
const OTHER_TENANT = '0b9a2f7e-7d1c-4c1e-9d7e-3f0f0c1d2e3f';
const APP_ID = '6f4c2e1a-1b2c-4d3e-8f9a-0b1c2d3e4f5a';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('anonymous (local use)', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({}, { clock: fixedClock(scenario.FRIDAY_1300) });
    await scenario.seed(bot.storage.repositories);
  });
  afterAll(async () => bot?.stop());

  it('serves the page with the first view in it, under a policy that allows only its own scripts', async () => {
    const page = await get(`${bot.url}/tab`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('https://teams.microsoft.com');
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // No inline script or style anywhere: the policy would block them.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.text).not.toMatch(/\sstyle="/);
    expect(page.text).toContain('<html lang="sv" data-theme="default">');
    expect(page.text).toContain('Programöversikt');
    expect(page.text).toContain('data-view="plan"');
    // The plan's chart: one stacked series per status over the program's teams.
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
    expect(page.text).toContain('data-series="on_track"');
  });

  it('echoes user text inert: the hostile comment is escaped, never markup', async () => {
    const page = await get(`${bot.url}/tab?view=plan`);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('filters the plan by team and status, and says when nothing matches', async () => {
    const all = await get(`${bot.url}/tab/view/plan`);
    const byTeam = await get(`${bot.url}/tab/view/plan?team=bostader`);
    expect(byTeam.status).toBe(200);
    const teamsShown = [...byTeam.text.matchAll(/<section class="ks-team" data-team="([^"]+)"/g)].map((m) => m[1]);
    expect(teamsShown).toEqual(['bostader']);
    const countOf = (html: string) => Number(/class="ks-summary" data-count="(\d+)"/.exec(html)?.[1]);
    expect(countOf(byTeam.text)).toBe(
      scenario.actions().filter((a) => a.teamKey === 'bostader' && !a.retiredAt).length,
    );
    expect(countOf(all.text)).toBeGreaterThan(countOf(byTeam.text));
    const done = await get(`${bot.url}/tab/view/plan?status=done`);
    const statuses = [...done.text.matchAll(/data-action="[^"]+" data-status="([^"]+)"/g)].map((m) => m[1]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['done']));
    const none = await get(`${bot.url}/tab/view/plan?owner=Ingen%20s%C3%A5dan`);
    expect(none.text).toContain('Inget matchar filtret.');
  });

  it('shows the other views, in English when asked', async () => {
    const indicators = await get(`${bot.url}/tab/view/indicators?lang=en`);
    expect(indicators.status).toBe(200);
    expect(indicators.text).toContain('Indicators');
    for (const ind of scenario.indicators().filter((i) => i.values.length > 0))
      expect(indicators.text).toContain(`data-indicator="${ind.id}"`);
    const decisions = await get(`${bot.url}/tab/view/decisions`);
    expect(decisions.text).toContain('D-2026-001');
    const search = await get(`${bot.url}/tab/view/decisions?q=${encodeURIComponent('zzzz-inget')}`);
    expect(search.text).toContain('Inget matchar filtret.');
    const engagement = await get(`${bot.url}/tab/view/engagement`);
    expect(engagement.text).toContain('Svarsfrekvens');
  });

  it('shows one action’s answers week by week, linked from the plan', async () => {
    const plan = await get(`${bot.url}/tab/view/plan`);
    const answered = scenario.events().filter((e) => e.type === 'status');
    const id = (answered[0] as { actionId: string }).actionId;
    expect(plan.text).toContain(`href="tab?view=action&amp;id=${encodeURIComponent(id)}"`);
    const view = await get(`${bot.url}/tab/view/action?id=${encodeURIComponent(id)}`);
    expect(view.status).toBe(200);
    // Week by week: the ISO week each answer was given in (its place in the log).
    const weeks = new Set(
      answered
        .filter((e) => (e as { actionId: string }).actionId === id)
        .map((e) => isoWeek(new Date(e.at), 'Europe/Stockholm')),
    );
    const rows = [...view.text.matchAll(/<tr data-week="([^"]+)">/g)].map((m) => m[1]);
    expect(new Set(rows)).toEqual(weeks);
    expect(view.text).toContain('data-series="progress"');
    const unknown = await get(`${bot.url}/tab/view/action?id=NOPE-99`);
    expect(unknown.status).toBe(404);
  });

  it('shows a meeting’s protocol from the log, and refuses a date that does not exist', async () => {
    const date = scenario.decisions()[0]!.meeting.date;
    const protocol = await get(`${bot.url}/tab/view/protocol?date=${date}`);
    expect(protocol.status).toBe(200);
    expect(protocol.text).toContain('§ 1');
    const bad = await get(`${bot.url}/tab/view/protocol?date=2026-02-30`);
    expect(bad.status).toBe(404);
    expect((await get(`${bot.url}/tab/view/frobnicate`)).status).toBe(404);
  });

  it('serves its script, stylesheet and the Teams client library, and nothing else from assets', async () => {
    for (const [file, type] of [
      ['tab.js', 'text/javascript'],
      ['tab.css', 'text/css'],
      ['teams-js.js', 'text/javascript'],
      ['config.js', 'text/javascript'],
    ] as const) {
      const res = await get(`${bot.url}/tab/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
    expect((await get(`${bot.url}/tab/assets/tab.css`)).text).toContain('ks-tone-on_track');
    expect((await get(`${bot.url}/tab/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await get(`${bot.url}/tab/config`)).text).toContain('ks-view');
  });
});

describe('registered (Teams SSO)', () => {
  let bot: TestBot;
  let issuer: JwtIssuer;
  const tokenIssuer = (tid: string) => `${issuer.url}/${tid}/v2.0`;
  const token = (claims: Record<string, unknown> = {}) =>
    issuer.sign({
      aud: APP_ID,
      iss: tokenIssuer(TENANT),
      tid: TENANT,
      oid: 'eba5184e-f815-4b2a-8b49-99af18d16813',
      name: 'Anna Styrgren',
      scp: 'access_as_user',
      nbf: nowSeconds() - 60,
      exp: nowSeconds() + 3600,
      ...claims,
    });

  beforeAll(async () => {
    issuer = await startJwtIssuer({ issuer: 'https://login.example.test' });
    bot = await startTestBot({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-used-here',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: TENANT,
      TAB_OPENID_METADATA: issuer.metadataUrl,
      TAB_TOKEN_ISSUER: `${issuer.url}/{tenantid}/v2.0`,
      TAB_APP_ID_URI: `api://kraftsamla.example.se/botid-${APP_ID}`,
    });
    await scenario.seed(bot.storage.repositories);
  });
  afterAll(async () => {
    await bot?.stop();
    await issuer?.close();
  });

  it('the page holds no data until the view is asked for with a token', async () => {
    const page = await get(`${bot.url}/tab`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-sso="true"');
    expect(page.text).not.toContain('data-series=');
    expect(page.text).not.toContain('D-2026-001');
  });

  it('refuses a view without a valid token, and shows it with one', async () => {
    const view = `${bot.url}/tab/view/decisions`;
    const refusals: [string, Record<string, string>][] = [
      ['no token', {}],
      ['not a bearer token', { Authorization: 'Basic dXNlcjpwYXNz' }],
      ['another audience', { Authorization: `Bearer ${token({ aud: 'a0000000-0000-4000-8000-000000000000' })}` }],
      ['expired', { Authorization: `Bearer ${token({ exp: nowSeconds() - 3600, nbf: nowSeconds() - 7200 })}` }],
      ['another issuer', { Authorization: `Bearer ${token({ iss: 'https://evil.example/v2.0' })}` }],
      ['no scope', { Authorization: `Bearer ${token({ scp: 'User.Read' })}` }],
      [
        'signed by another key',
        {
          Authorization: `Bearer ${issuer.sign({ aud: APP_ID, iss: tokenIssuer(TENANT), tid: TENANT, oid: 'x', scp: 'access_as_user', nbf: nowSeconds() - 60, exp: nowSeconds() + 3600 }, { privateKey: issuer.foreignKey() })}`,
        },
      ],
      ['unsigned', { Authorization: `Bearer ${token().split('.').slice(0, 2).join('.')}.` }],
    ];
    for (const [why, headers] of refusals) {
      const res = await get(view, headers);
      expect([why, res.status]).toEqual([why, 401]);
      expect(res.text).not.toContain('D-2026-001');
    }
    const foreign = await get(view, {
      Authorization: `Bearer ${token({ tid: OTHER_TENANT, iss: tokenIssuer(OTHER_TENANT) })}`,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.text).not.toContain('D-2026-001');

    const ok = await get(view, { Authorization: `Bearer ${token()}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('D-2026-001');
    // The Application ID URI is an audience too.
    const byUri = await get(view, {
      Authorization: `Bearer ${token({ aud: `api://kraftsamla.example.se/botid-${APP_ID}` })}`,
    });
    expect(byUri.status).toBe(200);
  });
});
