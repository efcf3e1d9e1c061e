/**
 * The tab's page: a shell with the navigation between the views and a `<main>` that holds one
 * view. Served at /tab; the script (public/tab.js) starts the Teams client library, follows the
 * theme and language, and swaps the view. With the bot anonymous (local use) the first view is
 * rendered into the page, so it reads and prints without any script; in production the view is
 * fetched with the user's Teams SSO token.
 */
import { CHART_CSS } from '../domain/charts';
import type { Locale } from '../domain/types';
import { esc, tr } from './html';

export const TAB_VIEWS = ['plan', 'indicators', 'decisions', 'engagement'] as const;
export type TabView = (typeof TAB_VIEWS)[number];
export const THEMES = ['default', 'dark', 'contrast'] as const;
export type Theme = (typeof THEMES)[number];

export const isTabView = (v: string): v is TabView => (TAB_VIEWS as readonly string[]).includes(v);
export const themeOf = (v: string): Theme => ((THEMES as readonly string[]).includes(v) ? (v as Theme) : 'default');

export interface PageOptions {
  locale: Locale;
  theme: Theme;
  programName: string;
  view: string;
  /** The query the view was asked with (filters), passed on to the script. */
  query: string;
  /** The first view, rendered on the server (anonymous mode); absent: the script fetches it. */
  content?: string;
  /** Views are fetched with a Teams SSO token. */
  sso: boolean;
  /** Versioned asset names, so a new release is never served from a stale cache. */
  version: string;
}

function nav(o: PageOptions): string {
  const tx = tr(o.locale);
  const items = TAB_VIEWS.map((v) => {
    const current = v === o.view ? ' aria-current="page"' : '';
    return `<li><a href="tab?view=${v}" data-view="${v}"${current}>${esc(tx(`tab.view.${v}`))}</a></li>`;
  }).join('');
  return `<nav aria-label="${esc(tx('tab.nav'))}"><ul class="ks-nav">${items}</ul></nav>`;
}

export function tabPage(o: PageOptions): string {
  const tx = tr(o.locale);
  const lang = o.locale === 'en-US' ? 'en' : 'sv';
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}" data-theme="${esc(o.theme)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(tx('tab.title', { program: o.programName }))}</title>`,
    `<link rel="stylesheet" href="tab/assets/tab.css?v=${esc(o.version)}">`,
    `<script src="tab/assets/teams-js.js?v=${esc(o.version)}" defer></script>`,
    `<script src="tab/assets/tab.js?v=${esc(o.version)}" defer></script>`,
    '</head>',
    // Settings for the script as data attributes: no inline script, so the policy needs none.
    `<body data-view="${esc(o.view)}" data-query="${esc(o.query)}" data-sso="${o.sso}" data-lang="${lang}"`,
    ` data-text-loading="${esc(tx('tab.loading'))}" data-text-error="${esc(tx('tab.error.load'))}"`,
    ` data-text-sign-in="${esc(tx('tab.error.signIn'))}" data-text-outside="${esc(tx('tab.error.outsideTeams'))}"`,
    ` data-text-refused="${esc(tx('tab.error.refused'))}">`,
    `<a class="ks-skip" href="#main">${esc(tx('tab.skip'))}</a>`,
    `<header class="ks-header"><h1>${esc(tx('tab.title', { program: o.programName }))}</h1>${nav(o)}</header>`,
    `<main id="main" tabindex="-1" aria-live="polite" aria-busy="${o.content === undefined}">`,
    o.content ?? `<p class="ks-subtle">${esc(tx('tab.loading'))}</p>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The channel tab's configuration page: which view the tab opens with; Teams shows Save. */
export function configPage(o: Pick<PageOptions, 'locale' | 'theme' | 'programName' | 'version'>): string {
  const tx = tr(o.locale);
  const lang = o.locale === 'en-US' ? 'en' : 'sv';
  const options = TAB_VIEWS.map((v) => `<option value="${v}">${esc(tx(`tab.view.${v}`))}</option>`).join('');
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}" data-theme="${esc(o.theme)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(tx('tab.config.title'))}</title>`,
    `<link rel="stylesheet" href="assets/tab.css?v=${esc(o.version)}">`,
    `<script src="assets/teams-js.js?v=${esc(o.version)}" defer></script>`,
    `<script src="assets/config.js?v=${esc(o.version)}" defer></script>`,
    '</head>',
    `<body data-name="${esc(tx('tab.title', { program: o.programName }))}">`,
    `<main id="main"><h1>${esc(tx('tab.config.title'))}</h1><p>${esc(tx('tab.config.intro'))}</p>`,
    `<label class="ks-field"><span>${esc(tx('tab.config.view'))}</span><select id="ks-view">${options}</select></label>`,
    `<p class="ks-subtle">${esc(tx('tab.config.ready'))}</p></main>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** The stylesheet: the page's own rules and the charts'. */
export function tabCss(pageCss: string): string {
  return `${pageCss}\n${CHART_CSS}\n`;
}
