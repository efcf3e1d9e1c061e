/**
 * The check-in service on Azurite with a recording messenger: answers (validation, idempotency,
 * concurrency), posting, reminders and the posting claim.
 */
import { silentLogger } from '../../../bot/logger';
import { CheckInService, POSTING_CLAIM_TTL_MS, type CheckInView } from '../../../domain/checkin';
import { BackgroundTasks } from '../../../domain/delivery/background';
import {
  DeliveryError,
  type ChannelTarget,
  type Messenger,
  type OutgoingMessage,
  type RosterMember,
} from '../../../domain/delivery/delivery';
import { StorageUnavailableError } from '../../../domain/errors';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { Action, ChannelBinding, LogEvent, StatusUpdate } from '../../../domain/types';
import { createRepositories } from '../../../storage';
import { TableStore } from '../../../storage/table-store';
import { startTestStorage, type TestStorage } from '../../support/storage';
import { testAction } from '../../support/fixtures';

const program = loadProgram();
const MONDAY = '2026-11-23T08:00:00.000Z'; // 09:00 in Stockholm, week 48
const WEEK = '2026-W48';

const action = (id: string, extra: Partial<Action> = {}): Action =>
  testAction(id, { owner: { name: `Ägare ${id}`, email: `${id.toLowerCase()}@harnosand.se` }, ...extra });

const binding = (channelId: string, teamKey: string, teamsTeamId = '19:team@thread.tacv2'): ChannelBinding => ({
  programId: 'harnosand',
  channelId,
  teamsTeamId,
  channelName: teamKey,
  role: { kind: 'team', teamKey },
  reference: { serviceUrl: 'http://x', conversation: { id: channelId } },
  boundBy: 'x',
  boundAt: '2026-11-01T00:00:00Z',
});

class RecordingMessenger implements Messenger {
  posts: { target: ChannelTarget; message: OutgoingMessage }[] = [];
  replies: { threadId: string; message: OutgoingMessage }[] = [];
  updates: { messageId: string; message: OutgoingMessage }[] = [];
  roster: RosterMember[] = [];
  failPost?: (target: ChannelTarget) => Error | undefined;
  private n = 1000;

  async post(target: ChannelTarget, message: OutgoingMessage) {
    const err = this.failPost?.(target);
    if (err) throw err;
    this.posts.push({ target, message });
    const messageId = String(++this.n);
    return { messageId, threadId: `${target.channelId};messageid=${messageId}` };
  }
  async reply(_target: ChannelTarget, threadId: string, message: OutgoingMessage) {
    this.replies.push({ threadId, message });
    return { messageId: String(++this.n) };
  }
  async update(_target: ChannelTarget, _threadId: string, messageId: string, message: OutgoingMessage) {
    this.updates.push({ messageId, message });
  }
  async members() {
    return this.roster;
  }
}

let storage: TestStorage;
let repos: Repositories;
let messenger: RecordingMessenger;
let clock: ReturnType<typeof fixedClock>;

const noSleep = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => undefined, random: () => 0.5 };

function service(at?: string): CheckInService {
  return new CheckInService({
    program,
    repos,
    messenger,
    clock: at ? fixedClock(at) : clock,
    logger: silentLogger(),
    render: { card: (view: CheckInView) => ({ view }) },
    policy: noSleep,
    fanOut: { minIntervalMs: 0 },
  });
}

const statusEvents = async (week = WEEK) =>
  (await repos.events.listWeek({ programId: 'harnosand', week })).filter(
    (e): e is LogEvent & StatusUpdate => e.type === 'status',
  );
const anna = { id: 'aad-anna', name: 'Anna Styrgren' };

beforeAll(async () => {
  storage = await startTestStorage();
});
afterAll(async () => {
  await storage.stop();
});
beforeEach(async () => {
  repos = (await storage.fresh()).repositories;
  messenger = new RecordingMessenger();
  clock = fixedClock(MONDAY);
});

describe('answers on Azurite', () => {
  beforeEach(async () => {
    await repos.actions.saveAll([action('BOS-01'), action('BOS-02'), action('IND-01', { teamKey: 'industrimark' })]);
    await repos.checkIns.create({
      programId: 'harnosand',
      teamKey: 'bostader',
      week: WEEK,
      channelId: '19:c',
      messageId: '1',
      threadId: '19:c;messageid=1',
      answeredActionIds: [],
    });
  });

  it('logs the answer, updates the action and marks it answered in the check-in', async () => {
    const out = await service().recordAnswer(
      {
        teamKey: 'bostader',
        week: WEEK,
        actionId: 'BOS-01',
        fields: { status: 'off_track', progress: '35', blockers: 'Överklagan' },
      },
      anna,
      'req-1',
    );
    expect(out.kind).toBe('saved');
    const [ev] = await statusEvents();
    expect(ev).toMatchObject({
      eventId: 'status|req-1|BOS-01',
      status: 'off_track',
      previousStatus: 'on_track',
      progress: 35,
      blockers: 'Överklagan',
      by: 'Anna Styrgren',
      checkInWeek: WEEK,
      source: 'card',
    });
    const stored = await repos.actions.get('harnosand', 'BOS-01');
    expect(stored).toMatchObject({
      status: 'off_track',
      progress: 35,
      lastUpdate: { at: MONDAY, by: 'Anna Styrgren', checkInWeek: WEEK },
    });
    expect((await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.answeredActionIds).toEqual(['BOS-01']);
    if (out.kind === 'saved') expect([out.view.answered, out.view.total]).toEqual([1, 2]);
  });

  it('a repeated delivery logs once and changes nothing more', async () => {
    const s = service();
    await s.recordAnswer(
      { teamKey: 'bostader', week: WEEK, actionId: 'BOS-01', fields: { status: 'at_risk' } },
      anna,
      'req-dup',
    );
    const etag = (await repos.actions.get('harnosand', 'BOS-01'))?.etag;
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        s.recordAnswer(
          { teamKey: 'bostader', week: WEEK, actionId: 'BOS-01', fields: { status: 'at_risk' } },
          anna,
          'req-dup',
        ),
      ),
    );
    expect(again.map((o) => o.kind)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await statusEvents()).toHaveLength(1);
    expect((await repos.actions.get('harnosand', 'BOS-01'))?.etag).toBe(etag);
  });

  it('a redelivery after a crash between log and state applies the logged answer', async () => {
    const logged: LogEvent = {
      type: 'status',
      actionId: 'BOS-02',
      teamKey: 'bostader',
      status: 'done',
      progress: 100,
      comment: '',
      blockers: '',
      nextStep: '',
      forComms: '',
      checkInWeek: WEEK,
      programId: 'harnosand',
      at: MONDAY,
      by: 'Bo',
      source: 'card',
      eventId: 'status|req-crash|BOS-02',
    };
    await repos.events.append(logged);
    const out = await service().recordAnswer(
      { teamKey: 'bostader', week: WEEK, actionId: 'BOS-02', fields: { status: 'done', progress: '100' } },
      anna,
      'req-crash',
    );
    expect(out.kind).toBe('duplicate');
    expect(await repos.actions.get('harnosand', 'BOS-02')).toMatchObject({
      status: 'done',
      progress: 100,
      lastUpdate: { by: 'Bo' },
    });
    expect(await statusEvents()).toHaveLength(1);
  });

  it('concurrent answers to one action all land in the log; the latest answer is the state', async () => {
    const times = [
      '2026-11-24T09:00:00.000Z',
      '2026-11-24T09:00:05.000Z',
      '2026-11-24T09:00:01.000Z',
      '2026-11-24T09:00:03.000Z',
      '2026-11-24T09:00:02.000Z',
    ];
    const statuses = ['at_risk', 'off_track', 'paused', 'not_started', 'on_track'] as const;
    const outs = await Promise.all(
      times.map((at, i) =>
        service(at).recordAnswer(
          {
            teamKey: 'bostader',
            week: WEEK,
            actionId: 'BOS-01',
            fields: { status: statuses[i], progress: String(10 * i) },
          },
          { id: `u${i}`, name: `Person ${i}` },
          `req-c${i}`,
        ),
      ),
    );
    expect(outs.map((o) => o.kind)).toEqual(['saved', 'saved', 'saved', 'saved', 'saved']);
    const events = await statusEvents();
    expect(events.map((e) => e.by).sort()).toEqual(['Person 0', 'Person 1', 'Person 2', 'Person 3', 'Person 4']);
    // The latest answer (09:00:05, Person 1) wins, whichever write finished last.
    expect(await repos.actions.get('harnosand', 'BOS-01')).toMatchObject({
      status: 'off_track',
      progress: 10,
      lastUpdate: { at: times[1], by: 'Person 1' },
    });
  });

  it('an answer logged when action writes fail is reported saved and applied in the background once they work; drain does not wait out the delays', async () => {
    let down = true;
    const flaky: Repositories = {
      ...repos,
      actions: Object.assign(Object.create(repos.actions) as Repositories['actions'], {
        update: async (a: Action) => {
          if (down) throw new StorageUnavailableError('update action: storage unavailable');
          return repos.actions.update(a);
        },
      }),
    };
    const background = new BackgroundTasks(silentLogger());
    const s = new CheckInService({
      program,
      repos: flaky,
      messenger,
      clock,
      logger: silentLogger(),
      render: { card: (view: CheckInView) => ({ view }) },
      policy: noSleep,
      background,
    });
    const err = await s
      .recordAnswer(
        { teamKey: 'bostader', week: WEEK, actionId: 'BOS-02', fields: { status: 'done', progress: '100' } },
        anna,
        'req-later',
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect((err as StorageUnavailableError).details).toMatchObject({ saved: true, actionId: 'BOS-02' });
    expect((await statusEvents()).map((e) => e.eventId)).toEqual(['status|req-later|BOS-02']);
    expect((await repos.actions.get('harnosand', 'BOS-02'))?.status).toBe('on_track');
    // Storage is back: the first retry (after its pause) applies the logged answer.
    down = false;
    // The background attempt writes the action, then the CheckIns row: wait for the second.
    const marked = async () =>
      (await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.answeredActionIds.includes('BOS-02');
    for (let i = 0; i < 100 && !(await marked()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await repos.actions.get('harnosand', 'BOS-02')).toMatchObject({
      status: 'done',
      progress: 100,
      lastUpdate: { by: 'Anna Styrgren' },
    });
    expect((await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.answeredActionIds).toEqual(['BOS-02']);
    expect(await statusEvents()).toHaveLength(1);
    await background.drain();

    // Storage that stays away: drain (shutdown) runs the remaining attempts at once instead of
    // waiting half a minute, and the log keeps the answer.
    down = true;
    await s
      .recordAnswer(
        { teamKey: 'bostader', week: WEEK, actionId: 'BOS-01', fields: { status: 'paused' } },
        anna,
        'req-never',
      )
      .catch(() => undefined);
    const started = Date.now();
    await background.drain();
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await repos.actions.get('harnosand', 'BOS-01'))?.status).toBe('on_track');
    expect((await statusEvents()).map((e) => e.eventId)).toContain('status|req-never|BOS-01');
  });

  it('refuses an unknown action, another team’s action and invalid values, writing nothing', async () => {
    const before = await repos.actions.get('harnosand', 'IND-01');
    const s = service();
    expect(
      (
        await s.recordAnswer(
          { teamKey: 'bostader', week: WEEK, actionId: 'BOS-99', fields: { status: 'done' } },
          anna,
          'r1',
        )
      ).kind,
    ).toBe('unknownAction');
    expect(
      (
        await s.recordAnswer(
          { teamKey: 'bostader', week: WEEK, actionId: 'IND-01', fields: { status: 'done' } },
          anna,
          'r2',
        )
      ).kind,
    ).toBe('unknownAction');
    expect(
      (
        await s.recordAnswer(
          { teamKey: 'fotboll', week: WEEK, actionId: 'BOS-01', fields: { status: 'done' } },
          anna,
          'r3',
        )
      ).kind,
    ).toBe('unknownTeam');
    const invalid = await s.recordAnswer(
      { teamKey: 'bostader', week: WEEK, actionId: 'BOS-01', fields: { progress: '150' } },
      anna,
      'r4',
    );
    expect(invalid.kind).toBe('invalid');
    expect(
      (await s.recordAnswer({ teamKey: 'bostader', week: '2026-W60', actionId: 'BOS-01', fields: {} }, anna, 'r5'))
        .kind,
    ).toBe('invalid');
    expect(await statusEvents()).toEqual([]);
    expect(await repos.actions.get('harnosand', 'IND-01')).toEqual(before);
    expect((await repos.actions.get('harnosand', 'BOS-01'))?.status).toBe('on_track');
    expect((await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.answeredActionIds).toEqual([]);
  });
});

describe('posting and reminders', () => {
  beforeEach(async () => {
    await repos.teams.upsert({
      teamsTeamId: '19:team@thread.tacv2',
      name: 'P',
      tenantId: 't',
      active: true,
      reference: {},
      channels: [],
      installedAt: MONDAY,
    });
    await repos.teams.upsert({
      teamsTeamId: '19:gone@thread.tacv2',
      name: 'G',
      tenantId: 't',
      active: false,
      reference: {},
      channels: [],
      installedAt: MONDAY,
    });
    await repos.bindings.put(binding('19:bos', 'bostader'));
    await repos.bindings.put(binding('19:ind', 'industrimark'));
    await repos.bindings.put(binding('19:try', 'trygghet', '19:gone@thread.tacv2'));
    await repos.bindings.put({ ...binding('19:comms', 'x'), role: { kind: 'comms' } });
    await repos.actions.saveAll([
      action('BOS-01', { owner: { name: 'Anna Ström', email: 'Anna.Strom@Harnosand.se' } }),
      action('BOS-02', { owner: { name: 'Bo Ek', email: 'bo.ek@harnosand.se' } }),
      action('BOS-03', { owner: { name: 'Anna Ström', email: 'anna.strom@harnosand.se' } }),
      action('BOS-04', { owner: { name: 'Karin Utan Konto', email: 'karin@extern.se' } }),
      action('BOS-05', { owner: { name: 'Cecilia Svarat', email: 'cecilia@harnosand.se' } }),
      action('IND-01', { teamKey: 'industrimark' }),
    ]);
  });

  it('posts one card per active team channel, records the check-in, and never twice', async () => {
    const s = service();
    const report = await s.postScheduled(WEEK);
    expect(report).toMatchObject({ sent: 2, failed: 0, blocked: 0 });
    expect(messenger.posts.map((p) => p.target.channelId).sort()).toEqual(['19:bos', '19:ind']);
    const rows = await repos.checkIns.listWeek('harnosand', WEEK);
    expect(
      rows
        .map((r) => [r.teamKey, r.channelId, !!r.messageId, r.threadId?.startsWith(`${r.channelId};messageid=`)])
        .sort(),
    ).toEqual([
      ['bostader', '19:bos', true, true],
      ['industrimark', '19:ind', true, true],
    ]);
    const cards = (await repos.events.listWeek({ programId: 'harnosand', week: WEEK })).filter(
      (e) => e.type === 'card',
    );
    expect(cards).toHaveLength(2);
    await s.postScheduled(WEEK);
    await service().postScheduled(WEEK);
    expect(messenger.posts).toHaveLength(2);
  });

  it('completes the check-in row from the delivery record when the process stopped right after posting', async () => {
    await repos.deliveries.save('harnosand', `checkin|${WEEK}`, {
      key: 'bostader|19:bos',
      status: 'sent',
      channelId: '19:bos',
      messageId: '777',
      threadId: '19:bos;messageid=777',
      runs: 1,
      retries: 0,
      updatedAt: MONDAY,
    });
    await service().postScheduled(WEEK);
    expect(messenger.posts.map((p) => p.target.channelId)).toEqual(['19:ind']);
    expect(await repos.checkIns.get('harnosand', WEEK, 'bostader')).toMatchObject({
      messageId: '777',
      threadId: '19:bos;messageid=777',
    });
  });

  it('403 MessageWritesBlocked marks the team inactive; failures that may pass make the run throw so it is retried', async () => {
    messenger.failPost = (target) =>
      target.channelId === '19:ind'
        ? new DeliveryError('blocked', 403, 'MessageWritesBlocked', undefined)
        : new DeliveryError('down', 502, undefined, undefined);
    await expect(service().postScheduled(WEEK)).rejects.toThrow('1 check-in deliveries failed');
    expect((await repos.teams.get('19:team@thread.tacv2'))?.active).toBe(false);
    messenger.failPost = undefined;
    await service().postScheduled(WEEK);
    expect(messenger.posts).toHaveLength(0); // the whole Teams team is inactive now
  });

  it('reminds once per check-in, mentioning exactly the owners without an answer', async () => {
    messenger.roster = [
      { id: '29:anna', name: 'Anna Ström', email: 'anna.strom@harnosand.se' },
      { id: '29:bo', name: 'Bo Ek', userPrincipalName: 'BO.EK@harnosand.se' },
      { id: '29:cecilia', name: 'Cecilia Svarat', email: 'cecilia@harnosand.se' },
    ];
    const s = service();
    await s.postScheduled(WEEK);
    await s.recordAnswer(
      { teamKey: 'bostader', week: WEEK, actionId: 'BOS-05', fields: { status: 'on_track' } },
      anna,
      'r-c',
    );
    clock.set('2026-11-25T08:00:00Z');
    const report = await s.sendReminders(WEEK, new Date('2026-11-25T08:00:00Z'));
    expect(report.sent).toBe(2);
    const bos = messenger.replies.find((r) => r.threadId.startsWith('19:bos;'));
    expect(bos?.message.mentions).toEqual([
      { id: '29:anna', name: 'Anna Ström' },
      { id: '29:bo', name: 'Bo Ek' },
    ]);
    expect(bos?.message.text).toBe(
      'Påminnelse om veckans incheckning (vecka 48): <at>Anna Ström</at>, <at>Bo Ek</at> och Karin Utan Konto – 4 åtgärder väntar på en uppdatering (BOS-01, BOS-02, BOS-03, BOS-04). Tryck på Uppdatera i kortet ovan.',
    );
    expect((await repos.checkIns.get('harnosand', WEEK, 'bostader'))?.reminderSentAt).toBe('2026-11-25T08:00:00.000Z');
    await s.sendReminders(WEEK);
    expect(messenger.replies).toHaveLength(2);
  });

  it('no reminder for a check-in posted after the reminder time (a late catch-up)', async () => {
    clock.set('2026-11-26T08:00:00Z');
    await service().postScheduled(WEEK);
    const report = await service().sendReminders(WEEK, new Date('2026-11-25T08:00:00Z'));
    expect(report).toMatchObject({ sent: 0, skipped: 2 });
  });
});

describe('one card per team and week: the posting claim', () => {
  const bos = binding('19:bos', 'bostader');
  const ask = (requestId: string) =>
    service().postForChannel(bos, WEEK, { anew: false, requestId, by: 'Anna Styrgren' });

  beforeEach(async () => {
    await repos.bindings.put(bos);
  });

  it('a claim left by a run that stopped holds the week off until it runs out, then one run takes it over and posts once', async () => {
    // A run claimed the card a minute ago and stopped before posting.
    await repos.checkIns.create({
      programId: 'harnosand',
      teamKey: 'bostader',
      week: WEEK,
      channelId: '19:bos',
      answeredActionIds: [],
      posting: { id: 'stopped-run', at: '2026-11-23T07:59:00.000Z' },
    });
    expect(await ask('r-1')).toEqual({ kind: 'posting' });
    await expect(service().postScheduled(WEEK)).rejects.toThrow('being posted by another run');
    expect(messenger.posts).toHaveLength(0);

    clock.advance(POSTING_CLAIM_TTL_MS); // the claim is now six minutes old
    const [first, second] = await Promise.all([ask('r-2'), ask('r-3')]);
    expect([first.kind, second.kind].sort()).toEqual(['posted', 'taken']);
    expect(messenger.posts).toHaveLength(1);
    const row = await repos.checkIns.get('harnosand', WEEK, 'bostader');
    expect(row?.messageId).toBeTruthy();
    expect(row).not.toHaveProperty('posting');
    await service().postScheduled(WEEK);
    expect(messenger.posts).toHaveLength(1);
  }, 20_000);

  it('a post that fails gives its claim up: no row is left, and the next request posts', async () => {
    messenger.failPost = () => new DeliveryError('down', 502, undefined, undefined);
    expect((await ask('r-1')).kind).toBe('failed');
    expect(await repos.checkIns.get('harnosand', WEEK, 'bostader')).toBeUndefined();
    messenger.failPost = undefined;
    expect((await ask('r-2')).kind).toBe('posted');
    expect(messenger.posts).toHaveLength(1);
  });

  it('the schedule and a request on two instances at once post one card', async () => {
    // A second instance: its own store and repositories on the same tables (no in-process sharing).
    const fresh = await storage.fresh();
    repos = fresh.repositories;
    await repos.bindings.put(bos);
    const other = new CheckInService({
      program,
      repos: createRepositories(
        new TableStore({ connectionString: storage.connectionString, tablePrefix: fresh.prefix }),
        'Europe/Stockholm',
      ),
      messenger,
      clock,
      logger: silentLogger(),
      render: { card: (view: CheckInView) => ({ view }) },
      policy: noSleep,
      fanOut: { minIntervalMs: 0 },
    });
    const slowPost = messenger.post.bind(messenger);
    messenger.post = async (target, message) => {
      await new Promise((r) => setTimeout(r, 300));
      return slowPost(target, message);
    };
    const [scheduled, asked] = await Promise.allSettled([other.postScheduled(WEEK), ask('r-1')]);
    expect(messenger.posts).toHaveLength(1);
    expect(asked.status === 'fulfilled' && ['posted', 'taken'].includes(asked.value.kind)).toBe(true);
    // The schedule either posted it, or left it to the request and asks to be run again.
    if (scheduled.status === 'rejected') expect(String(scheduled.reason)).toContain('being posted by another run');
  }, 20_000);
});
