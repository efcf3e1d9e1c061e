/**
 * The weekly digest in Teams: `sammanfattning` / `digest` [week] in any channel or chat, paging on
 * the card, and the scheduled post to the comms channel(s) (program.schedules.digest, by default
 * Friday 13:00). The scheduled post goes through fanOut with the batch `digest|<week>`: together
 * with the scheduler's once-per-occurrence marker it is posted once per week and channel, across
 * restarts and instances.
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import { digestCard } from '../../cards/digest/digest.card';
import { digestPagePayload, VERBS } from '../../cards/verbs';
import {
  buildDigest,
  type Digest,
  type DigestGrouping,
  digestTitle,
  parseDigestArgs,
  parseWeekRequest,
  type SummaryWriter,
  weekProblem,
} from '../../domain/digest';
import { broadcastCard, type FanOutReport, type Occurrence } from '../../domain/delivery';
import { formatWeek, t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { createSummaryWriter } from '../ai-summary';
import { type CardAnswer, onCardAction, refuse } from '../card-actions';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { localeOf } from '../turn';

function digestFor(
  deps: BotDeps,
  week: string,
  locale: Locale,
  writer: SummaryWriter | undefined,
  groupBy?: DigestGrouping,
): Promise<Digest> {
  return buildDigest(deps.repos, deps.program, {
    week,
    now: deps.clock.now(),
    locale,
    writer,
    logger: deps.logger.child({ digest: week }),
    groupBy,
  });
}

/**
 * Posts the digest of `week` to every comms channel, once per channel and week. Throws when a
 * delivery failed and may be retried, so the scheduler tries the occurrence again.
 */
async function postWeeklyDigest(
  deps: BotDeps,
  week: string,
  writer: SummaryWriter | undefined,
): Promise<FanOutReport | undefined> {
  const { program } = deps;
  const log = deps.logger.child({ job: 'digest', week });
  const bindings = await deps.repos.bindings.findByRole(program.id, { kind: 'comms' });
  if (bindings.length === 0) {
    log.warn({}, 'no channel is linked to comms; the digest was not posted (link one with "koppla kommunikation")');
    return undefined;
  }
  const locale = program.locale;
  const report = await broadcastCard(
    { programId: program.id, messenger: deps.messenger, repos: deps.repos, clock: deps.clock, logger: log },
    {
      kind: 'digest',
      batch: `digest|${week}`,
      bindings,
      message: async () => {
        const d = await digestFor(deps, week, locale, writer);
        return { card: digestCard(d, locale, 0), summary: digestTitle(d, locale) };
      },
    },
  );
  log.info({ ...report }, 'weekly digest delivered');
  if (report.retryable > 0) throw new Error(`${report.retryable} digest deliveries failed; will retry`);
  return report;
}

/** `sammanfattning [vecka] [per mål]`: the digest of the week asked for, as a card in the conversation. */
async function showDigest(context: TurnContext, deps: BotDeps, writer: SummaryWriter | undefined): Promise<void> {
  const locale = localeOf(context, deps.program);
  // `sammanfattning [vecka] per mål` groups the actions by the plan's goals.
  const { week: weekArgs, groupBy } = parseDigestArgs(argsOf(context));
  const request = parseWeekRequest(weekArgs, deps.clock.now(), deps.program.timezone);
  if (!request.ok) {
    // What they typed is made inert where it is put into the text (weekProblem).
    await context.sendActivity(weekProblem(request, locale));
    return;
  }
  // Reading the week and (maybe) asking a model takes a moment: say so at once.
  await context.sendActivity(t(locale, 'digest.working', { week: formatWeek(locale, request.week, true) }));
  const digest = await digestFor(deps, request.week, locale, writer, groupBy);
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(digestCard(digest, locale, 0))],
    summary: digestTitle(digest, locale),
  });
}

/** "Nästa sida" / "Föregående sida" on a digest card: the same week's card at another page. */
async function turnDigestPage(
  context: TurnContext,
  data: z.infer<typeof digestPagePayload>,
  deps: BotDeps,
  writer: SummaryWriter | undefined,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  const request = parseWeekRequest(data.week, deps.clock.now(), deps.program.timezone);
  if (!request.ok) return refuse(weekProblem(request, locale), locale);
  // Only page 1 shows "Veckan i korthet": other pages need no model call.
  const digest = await digestFor(deps, request.week, locale, data.page === 0 ? writer : undefined, data.group);
  return digestCard(digest, locale, data.page);
}

/** The scheduled job: this occurrence's week posted to the comms channel(s). */
async function postScheduledDigest(
  deps: BotDeps,
  occurrence: Occurrence,
  writer: SummaryWriter | undefined,
): Promise<void> {
  await postWeeklyDigest(deps, occurrence.week, writer);
}

/** The digest's routes: its command, its card verb and its weekly job, each to one handler. */
export function register(app: Application<TurnState>, deps: BotDeps): void {
  const writer = createSummaryWriter(deps.config.ai);
  app.message(command('digest'), (context) => showDigest(context, deps, writer));
  onCardAction(app, deps, VERBS.digestPage, digestPagePayload, (context, data) =>
    turnDigestPage(context, data, deps, writer),
  );
  deps.scheduler.add({
    name: 'digest',
    cron: deps.program.schedules.digest,
    run: (occurrence) => postScheduledDigest(deps, occurrence, writer),
  });
}
