/**
 * The brief before the steering group's meeting in Teams: `inför mötet` / `brief` in a
 * conversation bound as steering shows it there (anyone in that conversation may ask; elsewhere
 * the bot says where it works), and the scheduled post (program.schedules.brief, by default
 * Monday 07:30 in even ISO weeks) to every steering conversation. The scheduled post goes
 * through fanOut with the batch `brief|<date>`: with the scheduler's once-per-occurrence marker
 * it is posted once per day and conversation, however often the job runs.
 *
 * `register()` is the table of what this flow answers; each entry names its handler below.
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { briefCard, briefTitle } from '../../cards/brief';
import { type Brief, briefWeekHolds, buildBrief } from '../../domain/brief';
import type { CommandName } from '../../domain/commands';
import { broadcastCard, type Occurrence } from '../../domain/delivery';
import { t } from '../../domain/i18n';
import { inert } from '../../domain/text';
import { localDate } from '../../domain/time';
import type { Locale } from '../../domain/types';
import { command } from '../command-route';
import type { BotDeps } from '../deps';
import { bindingOf, localeOf } from '../turn';

type CommandHandler = (context: TurnContext, deps: BotDeps) => Promise<void>;

/** The text commands, routed in this order. */
const COMMANDS: readonly (readonly [CommandName, CommandHandler])[] = [['brief', showBrief]];

/** The scheduled jobs: name, when, and the handler. */
const JOBS: readonly {
  name: string;
  cron: (deps: BotDeps) => string;
  run: (deps: BotDeps, occurrence: Occurrence) => Promise<void>;
}[] = [{ name: 'brief', cron: (deps) => deps.program.schedules.brief, run: postScheduledBrief }];

export function register(app: Application<TurnState>, deps: BotDeps): void {
  for (const job of JOBS)
    deps.scheduler.add({ name: job.name, cron: job.cron(deps), run: (occurrence) => job.run(deps, occurrence) });
  for (const [name, handle] of COMMANDS) app.message(command(name), (context) => handle(context, deps));
}

// ---------------------------------------------------------------------------------------------
// What the handlers share
// ---------------------------------------------------------------------------------------------

function briefNow(deps: BotDeps): Promise<Brief> {
  return buildBrief(deps.repos, deps.program, deps.clock.now());
}

/**
 * Teams deep link to a channel message (message ids are epoch milliseconds). The tenant comes
 * from the team the bot recorded at install; without it there is no link.
 */
function channelMessageLink(channelId: string, messageId: string, tenantId: string): string {
  const q = new URLSearchParams({ tenantId, parentMessageId: messageId, createdTime: messageId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}?${q.toString()}`;
}

/** Links to the check-in cards the brief names, by team: the channel's team gives the tenant. */
async function checkInLinks(deps: BotDeps, brief: Brief): Promise<Partial<Record<string, string>>> {
  const places = Object.values(brief.checkIns);
  if (places.length === 0) return {};
  const [bindings, teams] = await Promise.all([deps.repos.bindings.list(deps.program.id), deps.repos.teams.list()]);
  const teamOfChannel = new Map(bindings.map((b) => [b.channelId, b.teamsTeamId]));
  const tenantOfTeam = new Map(teams.filter((x) => x.tenantId).map((x) => [x.teamsTeamId, x.tenantId]));
  const links: Partial<Record<string, string>> = {};
  for (const place of places) {
    const tenantId = tenantOfTeam.get(teamOfChannel.get(place.channelId) ?? '');
    if (tenantId) links[place.teamKey] = channelMessageLink(place.channelId, place.messageId, tenantId);
  }
  return links;
}

async function briefMessage(deps: BotDeps, brief: Brief, locale: Locale): Promise<{ card: object; summary: string }> {
  return {
    card: briefCard({ brief, checkInUrls: await checkInLinks(deps, brief) }, locale),
    summary: briefTitle(brief, locale),
  };
}

// ---------------------------------------------------------------------------------------------
// The scheduled job
// ---------------------------------------------------------------------------------------------

/**
 * This occurrence's brief posted to every steering conversation, once each. An occurrence in a
 * week the schedule skips (`briefWeeks`) posts nothing. Throws when a delivery failed and may be
 * retried, so the scheduler tries the occurrence again.
 */
async function postScheduledBrief(deps: BotDeps, occurrence: Occurrence): Promise<void> {
  const { program } = deps;
  const date = localDate(occurrence.at, program.timezone);
  const log = deps.logger.child({ job: 'brief', week: occurrence.week, date });
  if (!briefWeekHolds(occurrence.week, program.schedules.briefWeeks)) {
    log.info({ briefWeeks: program.schedules.briefWeeks }, 'no brief this week (the schedule holds in other weeks)');
    return;
  }
  const bindings = await deps.repos.bindings.findByRole(program.id, { kind: 'steering' });
  if (bindings.length === 0) {
    log.warn({}, 'no conversation is linked to steering; the brief was not posted (link one with "koppla styrgrupp")');
    return;
  }
  const report = await broadcastCard(
    { programId: program.id, messenger: deps.messenger, repos: deps.repos, clock: deps.clock, logger: log },
    {
      kind: 'brief',
      batch: `brief|${date}`,
      bindings,
      message: () => briefNow(deps).then((brief) => briefMessage(deps, brief, program.locale)),
    },
  );
  log.info({ ...report }, 'brief delivered');
  if (report.retryable > 0) throw new Error(`${report.retryable} brief deliveries failed; will retry`);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** `inför mötet` / `brief`: the brief now, in a steering conversation; elsewhere, where it is. */
async function showBrief(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  const binding = await bindingOf(context, deps);
  if (binding?.role.kind !== 'steering') {
    const steering = await deps.repos.bindings.findByRole(deps.program.id, { kind: 'steering' });
    // Channel names are what people named them: made inert, as the reply's text is Markdown.
    const names = steering.map((b) => inert(b.channelName || b.channelId, 80)).join(', ');
    await context.sendActivity(
      names ? t(locale, 'brief.elsewhere', { channels: names }) : t(locale, 'brief.noSteering'),
    );
    return;
  }
  const { card, summary } = await briefMessage(deps, await briefNow(deps), locale);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)], summary });
}
