/**
 * The reminder: one reply in each check-in's thread that still has unanswered actions,
 * @mentioning their owners, once per check-in.
 */
import { DeliveryError, targetOf, withRetry, type ChannelTarget, type Mention, type RosterMember } from '../delivery';
import { formatWeek, t } from '../i18n';
import { cleanText } from '../text';
import type { Action } from '../types';
import type { CheckInContext, CheckInServiceDeps } from './context';
import { actionsOnCard, answeredIn } from './view';

export interface ReminderReport {
  sent: number;
  skipped: number;
  failed: number;
}

export class CheckInReminders {
  constructor(private readonly ctx: CheckInContext) {}

  private get deps(): CheckInServiceDeps {
    return this.ctx.deps;
  }

  private get programId(): string {
    return this.ctx.programId;
  }

  /**
   * One reply per check-in of the week that still has unanswered actions, @mentioning their
   * owners (resolved by e-mail/UPN against the team roster; named in plain text otherwise).
   * Once per check-in: the delivery record and `reminderSentAt` guard against a second one.
   * A check-in posted after `dueAt` (a late catch-up) gets no reminder right behind it.
   */
  async sendReminders(week: string, dueAt?: Date): Promise<ReminderReport> {
    const report: ReminderReport = { sent: 0, skipped: 0, failed: 0 };
    const [rows, teams] = await Promise.all([
      this.deps.repos.checkIns.listWeek(this.programId, week),
      this.deps.repos.teams.list(),
    ]);
    const inactive = new Set(teams.filter((x) => !x.active).map((x) => x.teamsTeamId));
    const batch = `reminder|${week}`;
    for (const row of rows) {
      if (
        !row.messageId ||
        !row.threadId ||
        row.reminderSentAt ||
        (dueAt && row.postedAt && new Date(row.postedAt) > dueAt)
      ) {
        report.skipped++;
        continue;
      }
      const binding = await this.deps.repos.bindings.get(this.programId, row.channelId);
      if (!binding || inactive.has(binding.teamsTeamId)) {
        report.skipped++;
        continue;
      }
      const previous = await this.deps.repos.deliveries.get(this.programId, batch, row.teamKey);
      // `uncertain`: an earlier reply may be in the thread already; it is not sent again.
      if (previous?.status === 'sent' || previous?.status === 'blocked' || previous?.status === 'uncertain') {
        if (previous.status === 'sent') await this.markReminded(row.teamKey, week);
        report.skipped++;
        continue;
      }
      const actions = await this.deps.repos.actions.listByTeam(this.programId, row.teamKey);
      const pending = actionsOnCard(actions, week, this.deps.program.timezone, row).filter(
        (a) => a.status !== 'done' && !answeredIn(a, week, row),
      );
      if (pending.length === 0) {
        report.skipped++;
        continue;
      }
      const target = targetOf(binding);
      const runs = (previous?.runs ?? 0) + 1;
      const base = { key: row.teamKey, channelId: row.channelId, runs, retries: previous?.retries ?? 0 };
      await this.deps.repos.deliveries.save(this.programId, batch, {
        ...base,
        status: 'pending',
        updatedAt: this.deps.clock.now().toISOString(),
      });
      try {
        const message = await this.reminderMessage(target, week, pending);
        const { value } = await withRetry(
          () => this.deps.messenger.reply(target, row.threadId!, message),
          this.deps.policy,
        );
        await this.deps.repos.deliveries.save(this.programId, batch, {
          ...base,
          status: 'sent',
          messageId: value.messageId,
          threadId: row.threadId,
          updatedAt: this.deps.clock.now().toISOString(),
        });
        await this.markReminded(row.teamKey, week);
        await this.deps.repos.events.append({
          type: 'card',
          kind: 'reminder',
          channelId: row.channelId,
          messageId: value.messageId,
          teamKey: row.teamKey,
          programId: this.programId,
          at: this.deps.clock.now().toISOString(),
          by: 'system',
          source: 'system',
          eventId: `card|reminder|${week}|${row.teamKey}`,
        });
        report.sent++;
      } catch (err) {
        const blocked = err instanceof DeliveryError && err.writesBlocked;
        await this.deps.repos.deliveries.save(this.programId, batch, {
          ...base,
          status: blocked
            ? 'blocked'
            : err instanceof DeliveryError && err.mayHaveBeenDelivered
              ? 'uncertain'
              : 'failed',
          error:
            err instanceof DeliveryError
              ? `${err.status ?? 'network'} ${err.code ?? ''}`.trim()
              : (err as Error).message,
          updatedAt: this.deps.clock.now().toISOString(),
        });
        if (blocked) await this.deps.repos.teams.markInactive(binding.teamsTeamId, this.deps.clock.now().toISOString());
        this.deps.logger.warn(
          { err: { message: (err as Error).message }, teamKey: row.teamKey, week },
          'reminder not delivered',
        );
        report.failed++;
      }
    }
    this.deps.logger.info({ week, ...report }, 'reminders done');
    return report;
  }

  private async reminderMessage(
    target: ChannelTarget,
    week: string,
    pending: Action[],
  ): Promise<{ text: string; mentions: Mention[] }> {
    const locale = this.deps.program.locale;
    let roster: RosterMember[] = [];
    try {
      roster = (await withRetry(() => this.deps.messenger.members(target), this.deps.policy)).value;
    } catch (err) {
      this.deps.logger.warn(
        { err: { message: (err as Error).message }, channelId: target.channelId },
        'could not read the team roster; naming owners in plain text',
      );
    }
    const seen = new Set<string>();
    const mentions: Mention[] = [];
    const names: string[] = [];
    for (const action of pending) {
      const owner = action.owner;
      const email = owner.email?.trim().toLowerCase();
      const member = roster.find(
        (m) =>
          (!!email && [m.email, m.userPrincipalName].some((x) => x?.trim().toLowerCase() === email)) ||
          (!!owner.aadObjectId && m.aadObjectId === owner.aadObjectId),
      );
      const key = member ? `m:${member.id}` : `n:${email || owner.name.trim().toLowerCase()}`;
      if (seen.has(key) || (!member && !owner.name.trim() && !email)) continue;
      seen.add(key);
      if (member) {
        // The mention entity's text must appear verbatim in the message text.
        const name = member.name.replace(/[<>]/g, '');
        mentions.push({ id: member.id, name });
        names.push(`<at>${name}</at>`);
      } else {
        names.push(cleanText(owner.name || owner.email || '').replace(/[<>]/g, ''));
      }
    }
    const and = t(locale, 'checkin.and');
    const joined =
      names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
    const text = t(locale, 'checkin.reminder', {
      week: formatWeek(locale, week),
      names: joined,
      count: pending.length,
      actions: pending.map((a) => a.id).join(', '),
    });
    return { text, mentions };
  }

  private async markReminded(teamKey: string, week: string): Promise<void> {
    await this.ctx.checkInWrites.apply(`${week}|${teamKey}`, (row) =>
      row.reminderSentAt ? undefined : { ...row, reminderSentAt: this.deps.clock.now().toISOString() },
    );
  }
}
