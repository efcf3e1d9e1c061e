/**
 * Telling the affected teams: a short notice in every channel bound to a team a decision's change
 * affects, once per channel, and a resume that finishes what a crash or an outage left unposted.
 * The bot supplies the card (`NoticeRenderer`) and the messenger.
 */
import { type Messenger, type OutgoingMessage, targetOf } from '../delivery';
import { fanOut, type FanOutReport } from '../delivery';
import { localParts } from '../time';
import type { Decision, Locale } from '../types';
import type { DecisionDeps } from './deps';
import { type DecisionNoticeView, noticeView } from './views';

export type NoticeRenderer = (view: DecisionNoticeView, locale: Locale) => OutgoingMessage;

export interface NotifyDeps extends DecisionDeps {
  messenger: Messenger;
}

export function latestChange(d: Decision): 'logged' | 'amended' | 'revoked' | 'superseded' {
  return d.history[d.history.length - 1]?.change ?? 'logged';
}

/** The fan-out batch of a decision's change: `decision|D-2026-004` for the first notice. */
export function noticeBatch(d: Decision, change = latestChange(d)): string {
  if (change === 'logged') return `decision|${d.number}`;
  return `decision|${d.number}|${change}|${d.history.length}`;
}

const NOTHING_POSTED: FanOutReport = {
  sent: 0,
  alreadySent: 0,
  failed: 0,
  blocked: 0,
  uncertain: 0,
  retries: 0,
  retryable: 0,
  skippedInactive: 0,
};

/**
 * Posts the short notice to every channel bound to an affected team (a delivery record per
 * channel, so a second run posts only what the first did not). Amendments reach the teams
 * affected before and after; a revocation the teams it affected. A decision that was superseded
 * gets no notice of its own: the decision that replaced it tells the teams, naming it.
 */
export async function notifyDecision(
  deps: NotifyDeps,
  d: Decision,
  render: NoticeRenderer,
  change = latestChange(d),
): Promise<FanOutReport> {
  if (change === 'superseded') return { ...NOTHING_POSTED };
  const { program, repos } = deps;
  const previous = change === 'amended' ? (d.history[d.history.length - 1]?.previous.affectedTeams ?? []) : [];
  const teamKeys = [...new Set([...d.affectedTeams, ...previous])];
  const items = (
    await Promise.all(
      teamKeys.map(async (teamKey) =>
        (await repos.bindings.findByRole(program.id, { kind: 'team', teamKey })).map((b) => ({
          key: `${teamKey}|${b.channelId}`,
          teamKey,
          target: targetOf(b),
          message: () => render(noticeView(d, program, teamKey, change), program.locale),
        })),
      ),
    )
  ).flat();
  if (items.length === 0) return { ...NOTHING_POSTED };
  const report = await fanOut({
    programId: program.id,
    batch: noticeBatch(d, change),
    items,
    messenger: deps.messenger,
    deliveries: repos.deliveries,
    teams: repos.teams,
    clock: deps.clock,
    logger: deps.logger,
    onPosted: async (item, posted) => {
      const teamKey = items.find((i) => i.key === item.key)?.teamKey;
      await repos.events.append({
        type: 'card',
        kind: 'decision',
        channelId: item.target.channelId,
        messageId: posted.messageId,
        ...(teamKey ? { teamKey } : {}),
        programId: program.id,
        at: deps.clock.now().toISOString(),
        by: 'system',
        source: 'system',
        eventId: `card|${noticeBatch(d, change)}|${item.key}`,
      });
    },
  });
  deps.logger.info({ number: d.number, change, ...report }, 'decision notices posted');
  return report;
}

/** Notices younger than this are left to the run that is posting them. */
export const RESUME_MIN_AGE_MS = 5 * 60 * 1000;
/** Notices older than this are not retried any more. */
export const RESUME_MAX_AGE_MS = 2 * 24 * 60 * 60 * 1000;

/** When the decision last changed: its latest revision, or when it was logged. */
export function changedAt(d: Decision): string {
  return d.history[d.history.length - 1]?.at ?? d.loggedAt;
}

/**
 * Finishes notices that a crash or a long Teams outage left unposted: re-runs the latest change's
 * fan-out of every decision changed in the last two days (sent deliveries are skipped).
 */
export async function resumeDecisionNotices(deps: NotifyDeps, render: NoticeRenderer): Promise<number> {
  const now = deps.clock.now().getTime();
  const year = localParts(deps.clock.now(), deps.program.timezone).year;
  const recent = (await Promise.all([year, year - 1].map((y) => deps.repos.decisions.listYear(deps.program.id, y))))
    .flat()
    .filter((d) => {
      const age = now - new Date(changedAt(d)).getTime();
      return age >= RESUME_MIN_AGE_MS && age <= RESUME_MAX_AGE_MS;
    });
  let resumed = 0;
  for (const d of recent) {
    const report = await notifyDecision(deps, d, render);
    resumed += report.sent;
  }
  return resumed;
}
