/**
 * The program overview tab, as HTML: the page, its views, the configuration page and the
 * stylesheet. Pure rendering over the domain's overview (domain/overview) and protocol; the HTTP
 * routes, sign-in and headers are bot/tab.ts's.
 */
import { formatDate, formatWeek } from '../domain/i18n';
import type { Overview } from '../domain/overview';
import { protocolDocument, protocolHtmlBody, type Protocol } from '../domain/protocol';
import { localStamp } from '../domain/time';
import type { Locale } from '../domain/types';
import { esc, tr } from './html';
import type { TabView } from './page';
import { renderAction } from './views/action';
import { renderDecisions } from './views/decisions';
import { renderEngagement } from './views/engagement';
import { renderIndicators } from './views/indicators';
import { renderPlan } from './views/plan';

export { configPage, isTabView, TAB_VIEWS, tabCss, tabPage, themeOf, type TabView, type Theme } from './page';
export { param } from './html';
export { findAction } from './views/action';

export type Query = Readonly<Record<string, unknown>>;

/** "As of 7 December 2026 at 14:05, week 50", in the program's time zone. */
function stamp(overview: Overview, locale: Locale, timeZone: string): string {
  const at = localStamp(overview.generatedAt, timeZone);
  return `<p class="ks-subtle ks-generated">${esc(
    tr(locale)('tab.generated', {
      date: formatDate(locale, at.date),
      time: at.time,
      week: formatWeek(locale, overview.currentWeek, true),
    }),
  )}</p>`;
}

/** One view of the overview as an HTML fragment for the page's `<main>`. */
export function renderView(
  view: TabView | 'action',
  overview: Overview,
  query: Query,
  o: { locale: Locale; timeZone: string },
): string {
  const body =
    view === 'action'
      ? renderAction(overview, query, o.locale)
      : view === 'plan'
        ? renderPlan(overview, query, o.locale)
        : view === 'indicators'
          ? renderIndicators(overview, query, o.locale)
          : view === 'decisions'
            ? renderDecisions(overview, query, o.locale)
            : renderEngagement(overview, query, o.locale);
  return `<div class="ks-view" data-view="${view}">${body}\n${stamp(overview, o.locale, o.timeZone)}</div>`;
}

/** A meeting's protocol inside the page (the same blocks as the exported protocol). */
export function renderProtocol(protocol: Protocol, locale: Locale): string {
  return `<div class="ks-view ks-protocol" data-view="protocol">${protocolHtmlBody(protocolDocument(protocol, locale), 2).join('\n')}</div>`;
}

/** A message in place of a view (not found, refused, no data). */
export function renderMessage(text: string): string {
  return `<div class="ks-view ks-message" role="alert"><p>${esc(text)}</p></div>`;
}
