/**
 * The scheduled check-in run on Azurite (domain/checkin/posting.ts with run-reads.ts): what every
 * card needs is read once for the run (each team's actions, the steering group's follow-ups), read
 * again when older than the run's limit, and each card still shows its own team's; the run asks
 * the store a fixed number of times per channel (claim, delivery claim, outcome, card recorded),
 * with no read per channel.
 */
import { silentLogger } from '../../../bot/logger';
import { CheckInService, type CheckInView } from '../../../domain/checkin';
import { CheckInContext } from '../../../domain/checkin/context';
import { RunReads } from '../../../domain/checkin/run-reads';
import type { ChannelTarget, Messenger, OutgoingMessage } from '../../../domain/delivery';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import type { ChannelBinding, Decision } from '../../../domain/types';
import { testAction } from '../../support/fixtures';
import { PostingMessenger } from '../../support/messenger';
import { useFreshTables } from '../../support/storage';

const program = loadProgram();
const MONDAY = '2026-11-23T08:00:00.000Z';
const WEEK = '2026-W48';
const TEAMS = ['bostader', 'industrimark', 'utbildningar', 'affarsstod', 'infrastruktur', 'finansiering'];

class RecordingMessenger extends PostingMessenger {
  posts: { channelId: string; message: OutgoingMessage }[] = [];
  private n = 1000;
  async post(target: ChannelTarget, message: OutgoingMessage) {
    this.posts.push({ channelId: target.channelId, message });
    const messageId = String(++this.n);
    return { messageId, threadId: `${target.channelId};messageid=${messageId}` };
  }
}

/** The repositories with every call counted as `<repository>.<method>`. */
function counting(inner: Repositories): { repos: Repositories; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = `${name}.${String(prop)}`;
          calls.set(key, (calls.get(key) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const repos = Object.fromEntries(
    Object.entries(inner).map(([name, repo]) => [name, wrap(name, repo as object)]),
  ) as unknown as Repositories;
  return { repos, calls };
}

const binding = (teamKey: string): ChannelBinding => ({
  programId: 'harnosand',
  channelId: `19:${teamKey}`,
  teamsTeamId: '19:team@thread.tacv2',
  channelName: teamKey,
  role: { kind: 'team', teamKey },
  reference: { serviceUrl: 'http://x', conversation: { id: `19:${teamKey}` } },
  boundBy: 'x',
  boundAt: '2026-11-01T00:00:00Z',
});

const decision = (teamKey: string, title: string): Omit<Decision, 'number' | 'sequence' | 'etag'> => ({
  programId: 'harnosand',
  year: 2026,
  title,
  text: title,
  rationale: '',
  meeting: { name: 'Styrgruppsmöte', date: '2026-11-10' },
  affectedTeams: [teamKey],
  affectedActions: [],
  followUp: { owner: 'Karin Ås', due: '2026-12-15', done: false },
  loggedBy: 'Anna Styrgren',
  loggedAt: '2026-11-10T09:15:00.000Z',
  state: 'active',
  history: [],
});

let stored: Repositories;
useFreshTables((t) => {
  stored = t.repositories;
});

beforeEach(async () => {
  for (const teamKey of TEAMS) await stored.bindings.put(binding(teamKey));
  await stored.actions.saveAll(
    TEAMS.flatMap((teamKey) => [
      testAction(`${teamKey.slice(0, 3).toUpperCase()}-01`, { teamKey }),
      testAction(`${teamKey.slice(0, 3).toUpperCase()}-02`, { teamKey }),
    ]),
  );
  await stored.decisions.createNumbered(decision('bostader', 'Förtur för Saltvik'));
  await stored.decisions.createNumbered(decision('industrimark', 'Mark vid hamnen'));
});

function service(repos: Repositories, messenger: Messenger): CheckInService {
  return new CheckInService({
    program,
    repos,
    messenger,
    clock: fixedClock(MONDAY),
    logger: silentLogger(),
    render: { card: (view: CheckInView) => ({ view }) },
  });
}

const viewOf = (m: OutgoingMessage) => (m.card as { view: CheckInView }).view;

describe('the scheduled run reads once for all its cards', () => {
  it('posts every team its own card from one read of the actions and the follow-ups, with no read per channel', async () => {
    const { repos, calls } = counting(stored);
    const messenger = new RecordingMessenger();
    const report = await service(repos, messenger).postScheduled(WEEK);
    expect(report).toMatchObject({ sent: TEAMS.length, failed: 0 });

    for (const post of messenger.posts) {
      const view = viewOf(post.message);
      expect(`19:${view.teamKey}`).toBe(post.channelId);
      const prefix = view.teamKey.slice(0, 3).toUpperCase();
      expect(view.actions.map((a) => a.id)).toEqual([`${prefix}-01`, `${prefix}-02`]);
    }
    const follow = (teamKey: string) =>
      viewOf(messenger.posts.find((p) => p.channelId === `19:${teamKey}`)!.message).followUps.map((f) => f.title);
    expect(follow('bostader')).toEqual(['Förtur för Saltvik']);
    expect(follow('industrimark')).toEqual(['Mark vid hamnen']);
    expect(follow('utbildningar')).toEqual([]);

    // Once per run: the actions, each decision year the cards show, the batch's records; none per channel.
    expect(calls.get('actions.list')).toBe(1);
    expect(calls.get('actions.listByTeam')).toBeUndefined();
    expect(calls.get('decisions.listOpenFollowUps')).toBe(1);
    expect(calls.get('decisions.listYear')).toBeUndefined();
    expect(calls.get('deliveries.list')).toBe(1);
    expect(calls.get('deliveries.get')).toBeUndefined();
    expect(calls.get('checkIns.get')).toBeUndefined();
    // Per channel: its row claimed, then pointed at the card (the claim given up in that write).
    expect(calls.get('checkIns.create')).toBe(TEAMS.length);
    expect(calls.get('checkIns.update')).toBe(TEAMS.length);
    expect(calls.get('deliveries.put')).toBe(2 * TEAMS.length);

    const rows = await stored.checkIns.listWeek('harnosand', WEEK);
    expect(rows).toHaveLength(TEAMS.length);
    for (const row of rows) {
      expect(row.messageId).toBeTruthy();
      expect(row).not.toHaveProperty('posting');
    }
    // And never twice.
    await service(stored, messenger).postScheduled(WEEK);
    expect(messenger.posts).toHaveLength(TEAMS.length);
  });
});

describe('RunReads', () => {
  const ctx = (repos: Repositories) =>
    new CheckInContext({
      program,
      repos,
      messenger: new RecordingMessenger(),
      clock: fixedClock(MONDAY),
      logger: silentLogger(),
      render: { card: () => ({}) },
    });

  it('serves the cards built within its limit from one read, and reads again after it', async () => {
    const { repos, calls } = counting(stored);
    let now = 0;
    const reads = new RunReads(ctx(repos), WEEK, 5_000, () => now);
    await reads.view('bostader', undefined);
    now = 4_999;
    await reads.view('industrimark', undefined);
    expect(calls.get('actions.list')).toBe(1);

    await stored.actions.saveAll([testAction('BOS-03', { teamKey: 'bostader', title: 'Ny åtgärd' })]);
    expect((await reads.view('bostader', undefined)).actions.map((a) => a.id)).toEqual(['BOS-01', 'BOS-02']);
    now = 5_000;
    expect((await reads.view('bostader', undefined)).actions.map((a) => a.id)).toEqual(['BOS-01', 'BOS-02', 'BOS-03']);
    expect(calls.get('actions.list')).toBe(2);
  });

  it('does not keep a failed read: the next card reads again', async () => {
    let fail = true;
    const flaky: Repositories = {
      ...stored,
      actions: {
        ...stored.actions,
        list: async (programId: string) => {
          if (fail) throw new Error('store down');
          return stored.actions.list(programId);
        },
      },
    };
    const reads = new RunReads(ctx(flaky), WEEK);
    await expect(reads.view('bostader', undefined)).rejects.toThrow('store down');
    fail = false;
    expect((await reads.view('bostader', undefined)).actions).toHaveLength(2);
  });
});
