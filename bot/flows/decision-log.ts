/**
 * The decision log in Teams: `beslutslogg [team] [period]` and the paging of its card. Part of
 * the decisions flow (decisions.flow.ts registers both).
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { AdaptiveCard } from '../../cards/card';
import { decisionLogCard, describeFilter } from '../../cards/decisions';
import type { DecisionLogPagePayload, decisionLogPagePayload } from '../../cards/verbs';
import {
  type DecisionFilter,
  listDecisions,
  logItemOf,
  MAX_FILTER_YEARS,
  parseDecisionFilter,
} from '../../domain/decisions';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { t } from '../../domain/i18n';
import { inert } from '../../domain/text';
import { formatIsoWeek, isoWeekOfDate, localDate } from '../../domain/time';
import type { Locale } from '../../domain/types';
import type { CardAnswer } from '../card-actions';
import { argsOf } from '../command-route';
import type { BotDeps } from '../deps';
import { problemText } from '../errors';
import { localeOf } from '../turn';

const today = (deps: BotDeps) => localDate(deps.clock.now(), deps.program.timezone);

function filterPayload(filter: DecisionFilter): Omit<DecisionLogPagePayload, 'verb' | 'page'> {
  return {
    from: filter.from,
    to: filter.to,
    period: filter.period?.kind ?? 'range',
    ...(filter.teamKey ? { team: filter.teamKey } : {}),
  };
}

function filterOf(p: DecisionLogPagePayload): DecisionFilter {
  const base = { from: p.from, to: p.to, ...(p.team ? { teamKey: p.team } : {}) };
  if (p.period === 'year') return { ...base, period: { kind: 'year', year: Number(p.from.slice(0, 4)) } };
  if (p.period === 'week') {
    const w = isoWeekOfDate(Number(p.from.slice(0, 4)), Number(p.from.slice(5, 7)), Number(p.from.slice(8, 10)));
    return { ...base, period: { kind: 'week', week: formatIsoWeek(w.year, w.week) } };
  }
  return { ...base, period: { kind: p.period } };
}

async function logCard(deps: BotDeps, filter: DecisionFilter, locale: Locale, page: number): Promise<AdaptiveCard> {
  const decisions = await listDecisions(deps.repos, deps.program.id, filter);
  return decisionLogCard(
    {
      items: decisions.map((d) => logItemOf(d, deps.program)),
      filterLabel: describeFilter(filter, deps.program, locale),
      filter: filterPayload(filter),
    },
    locale,
    page,
  );
}

/** `beslutslogg [team] [period]`: the first page of the log. */
export async function showDecisionLog(context: TurnContext, deps: BotDeps): Promise<void> {
  const { program } = deps;
  const locale = localeOf(context, program);
  let filter: DecisionFilter;
  try {
    filter = parseDecisionFilter(argsOf(context), program, today(deps));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // The problem repeats what was typed, in a Markdown-rendered message: sent inert.
    await context.sendActivity(inert(problemText(err, locale), Infinity));
    return;
  }
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await logCard(deps, filter, locale, 0))] });
}

/** Another page of the log, with the filter the paging button carries (checked again: it came from a card). */
export async function showLogPage(
  context: TurnContext,
  deps: BotDeps,
  data: z.infer<typeof decisionLogPagePayload>,
): Promise<CardAnswer> {
  const { program } = deps;
  const locale = localeOf(context, program);
  if (data.team && !program.teams.some((x) => x.key === data.team))
    throw new NotFoundError(`team ${data.team}`, { what: data.team });
  if (data.from > data.to || Number(data.to.slice(0, 4)) - Number(data.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
    throw new ValidationError('decision log page: bad period', {
      problem: t(locale, 'decision.filter.invalid', { value: `${data.from}..${data.to}` }),
    });
  }
  return logCard(deps, filterOf(data), locale, data.page);
}
