/**
 * The program overview tab on the bot's own server: `GET /tab` (the page), `/tab/view/<view>`
 * (one view as HTML, what the page's script swaps in), `/tab/config` (the channel tab's
 * configuration page) and `/tab/assets/…` (its script, stylesheet and the Teams client library,
 * served from here so that the page runs only its own scripts).
 *
 * Read-only: every view comes from the domain's overview service. With the bot anonymous (local
 * use, listening on loopback) the views are open; otherwise each view request carries the user's
 * Teams SSO token, checked in tab-auth.ts, and nothing is shown without a valid one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as restify from 'restify';
import { resolveLocale, t } from '../domain/i18n';
import type { Overview } from '../domain/overview';
import type { Logger, Repositories } from '../domain/ports';
import type { Program } from '../domain/types';
import { loadProtocol } from '../domain/protocol';
import { isValidDate } from '../domain/time';
import {
  configPage,
  findAction,
  isTabView,
  param,
  renderMessage,
  renderProtocol,
  renderView,
  tabCss,
  tabPage,
  themeOf,
  type Query,
} from '../tab';
import { TabAuthError, type TabAuthenticator } from './tab-auth';

/** Teams' own hosts, which may frame the tab (web, desktop and Microsoft 365 hosts). */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://outlook.office.com',
].join(' ');

/** Only the page's own scripts and styles; nothing inline, nothing from elsewhere. */
export const TAB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

export interface TabDeps {
  program: Program;
  overview: { get(now: Date): Promise<Overview> };
  repos: Pick<Repositories, 'decisions' | 'meetings'>;
  logger: Logger;
  version: string;
  now: () => Date;
  /** Absent: the bot is anonymous and the views are open (local use). */
  auth?: TabAuthenticator;
}

/** Where the tab's static files are: `tab/public` beside the sources, or beside `dist/`. */
function publicDir(): string | undefined {
  for (const root of [path.join(__dirname, '..'), path.join(__dirname, '..', '..')]) {
    const dir = path.join(root, 'tab', 'public');
    if (fs.existsSync(path.join(dir, 'tab.js'))) return dir;
  }
  return undefined;
}

interface Asset {
  body: Buffer;
  type: string;
}

function loadAssets(dir: string): Map<string, Asset> {
  const read = (file: string) => fs.readFileSync(path.join(dir, file));
  return new Map<string, Asset>([
    ['tab.js', { body: read('tab.js'), type: 'text/javascript; charset=utf-8' }],
    ['config.js', { body: read('config.js'), type: 'text/javascript; charset=utf-8' }],
    ['tab.css', { body: Buffer.from(tabCss(read('tab.css').toString('utf8'))), type: 'text/css; charset=utf-8' }],
    [
      'teams-js.js',
      {
        body: fs.readFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js')),
        type: 'text/javascript; charset=utf-8',
      },
    ],
  ]);
}

function send(res: restify.Response, status: number, type: string, body: string | Buffer, cache = 'no-store'): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': buf.length,
    'Content-Security-Policy': TAB_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': cache,
  });
  res.end(buf);
}

const HTML = 'text/html; charset=utf-8';

export function registerTab(server: restify.Server, deps: TabDeps): void {
  const dir = publicDir();
  if (!dir) {
    // An install without the tab's files still runs the bot; the tab says what is missing.
    deps.logger.error({}, 'tab/public is missing beside the build: the overview tab is not served');
    server.get('/tab', async (_req, res) => send(res, 503, 'text/plain; charset=utf-8', 'tab/public is missing'));
    return;
  }
  const assets = loadAssets(dir);
  const localeOf = (query: Query) => resolveLocale(param(query, 'lang') || undefined, deps.program.locale);
  // The server has no query parser (the bot's own endpoint takes none): the tab reads its own.
  const query = (req: restify.Request): Query =>
    Object.fromEntries(new URL(req.url ?? '/', 'http://tab.invalid').searchParams);
  const queryString = (req: restify.Request) => {
    const url = req.url ?? '';
    const i = url.indexOf('?');
    return i < 0 ? '' : url.slice(i + 1);
  };

  const view = async (name: string, q: Query): Promise<{ status: number; html: string }> => {
    const locale = localeOf(q);
    if (name === 'protocol') {
      const date = param(q, 'date');
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3])))
        return { status: 404, html: renderMessage(t(locale, 'tab.error.notFound')) };
      const protocol = await loadProtocol({ program: deps.program, repos: deps.repos }, { date }, locale);
      return { status: 200, html: renderProtocol(protocol, locale) };
    }
    if (!isTabView(name) && name !== 'action')
      return { status: 404, html: renderMessage(t(locale, 'tab.error.notFound')) };
    const overview = await deps.overview.get(deps.now());
    const missing = name === 'action' && !findAction(overview, param(q, 'id'));
    return {
      status: missing ? 404 : 200,
      html: renderView(name, overview, q, { locale, timeZone: deps.program.timezone }),
    };
  };

  const failed = (res: restify.Response, q: Query, err: unknown) => {
    deps.logger.error({ err }, 'the tab could not show a view');
    send(res, 503, HTML, renderMessage(t(localeOf(q), 'tab.error.load')));
  };

  server.get('/tab', async (req, res) => {
    const q = query(req);
    const requested = param(q, 'view');
    const name = requested === 'protocol' || requested === 'action' || isTabView(requested) ? requested : 'plan';
    let content: string | undefined;
    if (!deps.auth) {
      try {
        content = (await view(name, q)).html;
      } catch (err) {
        deps.logger.error({ err }, 'the tab could not show a view');
        content = renderMessage(t(localeOf(q), 'tab.error.load'));
      }
    }
    const page = tabPage({
      locale: localeOf(q),
      theme: themeOf(param(q, 'theme')),
      programName: deps.program.name,
      view: name,
      query: queryString(req),
      sso: !!deps.auth,
      version: deps.version,
      ...(content !== undefined ? { content } : {}),
    });
    send(res, 200, HTML, page);
  });

  server.get('/tab/view/:view', async (req, res) => {
    const q = query(req);
    if (deps.auth) {
      try {
        await deps.auth.verify(req.header('authorization'));
      } catch (err) {
        if (!(err instanceof TabAuthError)) return failed(res, q, err);
        deps.logger.warn({ problem: err.problem, remote: req.socket?.remoteAddress }, 'tab request refused');
        const key = err.problem === 'missing' ? 'tab.error.signIn' : 'tab.error.refused';
        return send(res, err.problem === 'tenant' ? 403 : 401, HTML, renderMessage(t(localeOf(q), key)));
      }
    }
    try {
      const { status, html } = await view(String((req.params as { view?: unknown }).view ?? ''), q);
      send(res, status, HTML, html);
    } catch (err) {
      failed(res, q, err);
    }
  });

  server.get('/tab/config', async (req, res) => {
    const q = query(req);
    send(
      res,
      200,
      HTML,
      configPage({
        locale: localeOf(q),
        theme: themeOf(param(q, 'theme')),
        programName: deps.program.name,
        version: deps.version,
      }),
    );
  });

  server.get('/tab/assets/:file', async (req, res) => {
    const asset = assets.get(String((req.params as { file?: unknown }).file ?? ''));
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    // Names carry ?v=<version>, so a day's cache never outlives a release for long.
    send(res, 200, asset.type, asset.body, 'public, max-age=86400');
  });
}
