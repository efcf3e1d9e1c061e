/**
 * Teams refuses a bot message over about 40 KB (413 MessageSizeTooBig). Each kind of card the bot
 * sends is built here at its largest — every input at its limit, the most and longest rows a page
 * holds, in the letters that weigh most in UTF-8 — and measured as Teams receives it: the card
 * JSON inside a message activity with its envelope. The sizes are printed.
 */
import { CardFactory } from 'botbuilder';
import { actionEditCard, actionSavedCard } from '../../cards/actions/edit.card';
import { actionListCard, type ActionListItem } from '../../cards/actions/list.card';
import { type AdaptiveCard, TEAMS_MESSAGE_MAX_BYTES } from '../../cards/card';
import { checkInCard, checkInPageCount, checkInPointerCard } from '../../cards/checkin/checkin.card';
import {
  decisionCard,
  DECISIONS_PER_PAGE,
  decisionFormCard,
  decisionLogCard,
  decisionNoticeCard,
  revokeFormCard,
} from '../../cards/decisions';
import { digestCards } from '../../cards/digest/digest.card';
import { helpCard } from '../../cards/help.card';
import { noticeCard } from '../../cards/notice.card';
import { validateCard } from '../../cards/validate';
import { welcomeCard } from '../../cards/welcome.card';
import { ACTION_EDIT_LIMITS } from '../../domain/actions';
import type { CheckInActionView, CheckInView } from '../../domain/checkin';
import { DECISION_LIMITS, decisionView, type DecisionFormValues } from '../../domain/decisions';
import { assembleDigest, deterministicSummary, summarizeWeek } from '../../domain/digest';
import { loadProgram } from '../../domain/program';
import {
  ACTION_STATUSES,
  type Action,
  type Decision,
  type DecisionRevision,
  type Locale,
  type LogEvent,
} from '../../domain/types';
import { DEFAULT_BOT, DEFAULT_CHANNEL, DEFAULT_TEAM, DEFAULT_TENANT_ID, DEFAULT_USER } from '../support/activities';

const program = loadProgram();
const teams = program.teams.map((x) => ({ key: x.key, name: x.name }));

/**
 * `n` UTF-16 units of the heaviest text a person can type: '€' is 3 bytes in UTF-8 for one unit
 * (an emoji is 4 bytes for two), and a quote or line break doubles when JSON escapes it.
 */
const heavy = (n: number) => '€"\n'.repeat(Math.ceil(n / 3)).slice(0, n);

/** The message activity as the bot sends it to the Bot Connector, around the card. */
function activityBytes(card: AdaptiveCard): number {
  const activity = {
    type: 'message',
    serviceUrl: 'https://smba.trafficmanager.net/emea/41a4825c-3ecf-41b9-8e52-b64f57d79511/',
    channelId: 'msteams',
    from: { id: DEFAULT_BOT.id, name: DEFAULT_BOT.name },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      id: `${DEFAULT_CHANNEL.id};messageid=1732350000000`,
      tenantId: DEFAULT_TENANT_ID,
    },
    recipient: { id: DEFAULT_USER.id, name: DEFAULT_USER.name, aadObjectId: DEFAULT_USER.aadObjectId },
    locale: 'sv-SE',
    replyToId: '1732350000000',
    channelData: {
      tenant: { id: DEFAULT_TENANT_ID },
      team: { id: DEFAULT_TEAM.id },
      channel: { id: DEFAULT_CHANNEL.id },
    },
    summary: heavy(120),
    attachments: [CardFactory.adaptiveCard(card)],
  };
  return Buffer.byteLength(JSON.stringify(activity), 'utf8');
}

const sizes: [string, number][] = [];

function measure(name: string, card: AdaptiveCard): void {
  expect([name, validateCard(card)]).toEqual([name, []]);
  const bytes = activityBytes(card);
  sizes.push([name, bytes]);
  expect([name, bytes <= TEAMS_MESSAGE_MAX_BYTES]).toEqual([name, true]);
}

afterAll(() => {
  const width = Math.max(...sizes.map(([n]) => n.length));
  const lines = sizes
    .sort((a, b) => b[1] - a[1])
    .map(([n, b]) => `${n.padEnd(width)}  ${(b / 1024).toFixed(1).padStart(5)} KB`);
  console.log(
    `Largest message activity per kind of card (limit ${TEAMS_MESSAGE_MAX_BYTES / 1024} KB):\n${lines.join('\n')}`,
  );
});

const maxFormValues = (over = 0): DecisionFormValues => ({
  title: heavy(DECISION_LIMITS.title + over),
  text: heavy(DECISION_LIMITS.text + over),
  rationale: heavy(DECISION_LIMITS.rationale + over),
  meetingName: heavy(DECISION_LIMITS.meetingName + over),
  meetingDate: '2026-03-10',
  teams: teams.map((x) => x.key).join(','),
  actions: heavy(1000 + over),
  followUpOwner: heavy(DECISION_LIMITS.followUpOwner + over),
  followUpDue: '2026-04-15',
  supersedes: 'D-2026-123456',
  reason: heavy(DECISION_LIMITS.reason + over),
});

const longProblem = heavy(2000);

const maxDecision = (): Decision => ({
  programId: 'harnosand',
  number: 'D-2026-999',
  year: 2026,
  sequence: 999,
  title: heavy(DECISION_LIMITS.title),
  text: heavy(DECISION_LIMITS.text),
  rationale: heavy(DECISION_LIMITS.rationale),
  meeting: { name: heavy(DECISION_LIMITS.meetingName), date: '2026-03-10' },
  affectedTeams: teams.map((x) => x.key),
  affectedActions: Array.from({ length: DECISION_LIMITS.actions }, (_, i) => `KOMPETENS-${String(i).padStart(3, '0')}`),
  followUp: {
    owner: heavy(DECISION_LIMITS.followUpOwner),
    due: '2026-04-15',
    done: true,
    doneBy: heavy(120),
    doneAt: '2026-04-01T10:00:00.000Z',
  },
  loggedBy: heavy(120),
  loggedAt: '2026-03-10T09:15:00.000Z',
  state: 'amended',
  history: Array.from({ length: 30 }, (_, i): DecisionRevision => ({
    at: '2026-03-11T10:00:00.000Z',
    by: heavy(120),
    change: 'amended',
    reason: heavy(DECISION_LIMITS.reason),
    previous: {
      title: heavy(DECISION_LIMITS.title),
      text: heavy(DECISION_LIMITS.text),
      rationale: heavy(DECISION_LIMITS.rationale),
      meeting: { name: heavy(120), date: `2026-03-${String(1 + (i % 9)).padStart(2, '0')}` },
    },
  })),
  etag: 'W/"datetime\'2026-03-10T09%3A15%3A00.0000000Z\'"',
});

const maxCheckInAction = (i: number): CheckInActionView => ({
  id: `KOMPETENS-${String(i).padStart(30, '0')}`.slice(0, 40),
  title: heavy(ACTION_EDIT_LIMITS.title),
  owner: heavy(ACTION_EDIT_LIMITS.ownerName),
  due: '2026-12-31',
  status: ACTION_STATUSES[i % ACTION_STATUSES.length]!,
  progress: 100,
  overdue: true,
  answered: { by: heavy(120), date: '2026-11-24', time: '10:15' },
});

const maxCheckIn = (): CheckInView => ({
  teamKey: 'kompetensforsorjning',
  teamName: 'Kompetensförsörjning',
  week: '2026-W48',
  actions: Array.from({ length: 200 }, (_, i) => maxCheckInAction(i)),
  answered: 200,
  total: 200,
  followUps: Array.from({ length: 50 }, (_, i) => ({
    number: `D-2026-${String(i + 1).padStart(3, '0')}`,
    title: heavy(DECISION_LIMITS.title),
    owner: heavy(DECISION_LIMITS.followUpOwner),
    due: '2026-11-20',
    overdue: true,
  })),
});

function hugeDigest() {
  const actions: Action[] = [];
  const events: LogEvent[] = [];
  program.teams.forEach((team) => {
    for (let i = 1; i <= 60; i++) {
      const id = `${team.actionPrefix}-${String(i).padStart(2, '0')}`;
      actions.push({
        programId: 'harnosand',
        id,
        teamKey: team.key,
        title: heavy(200),
        description: '',
        owner: { name: heavy(100) },
        responsibleBody: '',
        due: '2026-11-20',
        financing: '',
        status: 'at_risk',
        progress: i,
        indicatorIds: [],
      });
      events.push({
        type: 'status',
        actionId: id,
        teamKey: team.key,
        status: 'at_risk',
        previousStatus: 'on_track',
        progress: i,
        comment: heavy(1000),
        blockers: heavy(1000),
        nextStep: heavy(1000),
        forComms: heavy(300),
        programId: 'harnosand',
        at: '2026-11-24T10:00:00.000Z',
        by: heavy(120),
        source: 'card',
        eventId: `e-${id}`,
      } as LogEvent);
    }
  });
  const decisions = Array.from({ length: 40 }, (_, i) => ({
    ...maxDecision(),
    number: `D-2026-${String(i + 1).padStart(3, '0')}`,
    sequence: i + 1,
    loggedAt: '2026-11-24T12:00:00.000Z',
    history: [],
  }));
  const d = assembleDigest({
    program,
    week: '2026-W48',
    now: new Date('2026-11-27T12:00:30.000Z'),
    actions,
    events,
    previousWeek: summarizeWeek([], ''),
    decisions,
    // Every team checked in, so the answer rate chart (with its fallback) is on a page too.
    checkIns: program.teams.map((team) => ({
      programId: 'harnosand',
      teamKey: team.key,
      week: '2026-W48',
      channelId: '19:x@thread.tacv2',
      answeredActionIds: actions.filter((a) => a.teamKey === team.key).map((a) => a.id),
    })),
    previousCheckIns: [],
    indicators: [],
  });
  return { ...d, summary: { text: deterministicSummary(d, 'sv-SE'), source: 'rules' as const } };
}

describe.each<Locale>(['sv-SE', 'en-US'])(
  'every card the bot sends stays under Teams’ message limit (%s)',
  (locale) => {
    const m = (name: string, card: AdaptiveCard) => measure(`${name} (${locale})`, card);

    it('the decision form: new and amend, every field at its limit, with a problem', () => {
      m(
        'decision form, new',
        decisionFormCard(
          {
            mode: 'new',
            formId: 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
            values: maxFormValues(),
            teams,
            problem: longProblem,
          },
          locale,
        ),
      );
      m(
        'decision form, amend',
        decisionFormCard(
          {
            mode: 'amend',
            number: 'D-2026-999',
            etag: maxDecision().etag,
            values: maxFormValues(),
            teams,
            problem: longProblem,
          },
          locale,
        ),
      );
    });

    it('the decision form sent back with more than its limits typed (a client that ignores maxLength)', () => {
      const form = decisionFormCard(
        {
          mode: 'amend',
          number: 'D-2026-999',
          etag: maxDecision().etag,
          values: maxFormValues(20_000),
          teams,
          problem: longProblem,
        },
        locale,
      );
      m('decision form, over the limits', form);
      // Cut to each input's maxLength, and the form says which fields were cut.
      expect(JSON.stringify(form)).toContain(
        locale === 'sv-SE'
          ? 'Det som skrevs i Rubrik, Beslut, Motivering, Möte, Berörda åtgärder, Uppföljning, ansvarig, Skäl var längre än fältet rymmer'
          : 'was longer than the field holds',
      );
      const value = (id: string) => (form.body.find((e) => e.id === id) as { value: string } | undefined)?.value;
      expect([value('title')?.length, value('reason')?.length]).toEqual([
        DECISION_LIMITS.title,
        DECISION_LIMITS.reason,
      ]);
    });

    it('the revoke form and the decision card with its longest history', () => {
      m(
        'revoke form',
        revokeFormCard(
          {
            number: 'D-2026-999',
            title: heavy(DECISION_LIMITS.title),
            etag: 'W/"x"',
            reason: heavy(DECISION_LIMITS.reason + 20_000),
            problem: longProblem,
          },
          locale,
        ),
      );
      m(
        'decision card',
        decisionCard(decisionView(maxDecision(), program, '2026-11-24'), locale, {
          canEdit: true,
          notice: { text: longProblem, tone: 'attention' },
        }),
      );
    });

    it('the decision notice to a team', () => {
      const d = maxDecision();
      m(
        'decision notice',
        decisionNoticeCard(
          {
            number: d.number,
            change: 'amended',
            title: d.title,
            text: d.text,
            meetingName: d.meeting.name,
            meetingDate: d.meeting.date,
            teamName: 'Kompetensförsörjning',
            reason: heavy(DECISION_LIMITS.reason),
            followUp: { owner: heavy(120), due: '2026-04-15' },
          },
          locale,
        ),
      );
    });

    it('a page of the decision log', () => {
      const items = Array.from({ length: DECISIONS_PER_PAGE * 3 }, (_, i) => ({
        number: `D-2026-${String(i + 1).padStart(3, '0')}`,
        title: heavy(DECISION_LIMITS.title),
        text: heavy(DECISION_LIMITS.text),
        meetingName: heavy(120),
        meetingDate: '2026-03-10',
        state: 'active' as const,
        teams: teams.map((x) => x.name),
      }));
      m(
        'decision log page',
        decisionLogCard(
          { items, filterLabel: heavy(200), filter: { from: '2025-01-01', to: '2026-12-31', period: 'range' } },
          locale,
          1,
        ),
      );
    });

    it('the check-in card: the most actions and longest texts a team can have, every page, with a notice', () => {
      const v = maxCheckIn();
      const pages = Array.from({ length: checkInPageCount(v) }, (_, page) =>
        checkInCard(v, locale, { page, notice: { tone: 'attention', text: longProblem } }),
      );
      pages.forEach((c) => expect(activityBytes(c)).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES));
      const largest = pages.reduce((a, b) => (activityBytes(b) > activityBytes(a) ? b : a));
      m(`check-in card (largest of ${pages.length} pages)`, largest);
      m(
        'check-in pointer',
        checkInPointerCard(
          {
            teamKey: 'kompetensforsorjning',
            teamName: 'Kompetensförsörjning',
            week: '2026-W48',
            channelId: DEFAULT_CHANNEL.id,
            postedDate: '2026-11-23',
            postedTime: '09:00',
            answered: 200,
            total: 200,
            url: `https://teams.microsoft.com/l/message/${'x'.repeat(300)}`,
            otherChannel: heavy(100),
          },
          locale,
        ),
      );
    });

    it('the action list and the action form at their limits', () => {
      const items: ActionListItem[] = Array.from({ length: 200 }, (_, i) => ({
        id: `KOMPETENS-${String(i).padStart(3, '0')}`,
        title: heavy(ACTION_EDIT_LIMITS.title),
        owner: heavy(ACTION_EDIT_LIMITS.ownerName),
        due: '2026-12-31',
        status: 'at_risk',
        progress: 40,
        overdue: true,
      }));
      m(
        'action list page',
        actionListCard(
          { teamKey: 'kompetensforsorjning', teamName: 'Kompetensförsörjning', actions: items },
          locale,
          1,
        ),
      );
      const values = {
        title: heavy(ACTION_EDIT_LIMITS.title),
        ownerName: heavy(ACTION_EDIT_LIMITS.ownerName),
        ownerEmail: heavy(ACTION_EDIT_LIMITS.ownerEmail),
        due: '2026-12-31',
        description: heavy(ACTION_EDIT_LIMITS.description),
      };
      m(
        'action edit form',
        actionEditCard(
          {
            teamKey: 'kompetensforsorjning',
            teamName: 'Kompetensförsörjning',
            actionId: 'KOMPETENS-001',
            etag: 'W/"x"',
            values,
            notice: { tone: 'attention', text: longProblem },
          },
          locale,
        ),
      );
      m(
        'action saved',
        actionSavedCard(
          {
            teamKey: 'kompetensforsorjning',
            teamName: 'Kompetensförsörjning',
            actionId: 'KOMPETENS-001',
            message: longProblem,
            title: heavy(ACTION_EDIT_LIMITS.title),
            owner: heavy(ACTION_EDIT_LIMITS.ownerName),
            due: '2026-12-31',
          },
          locale,
        ),
      );
    });

    it('every page of the largest digest', () => {
      const cards = digestCards(hugeDigest(), locale);
      expect(cards.length).toBeGreaterThan(3);
      expect(JSON.stringify(cards).match(/"Chart\.VerticalBar"/g)).toHaveLength(1);
      const largest = cards.reduce((a, b) => (activityBytes(b) > activityBytes(a) ? b : a));
      cards.forEach((c) => expect(activityBytes(c)).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES));
      m(`digest page (largest of ${cards.length})`, largest);
    });

    it('help, welcome and notices', () => {
      m(
        'help',
        helpCard(
          {
            boundTo: heavy(200),
            teams: program.teams.map((x) => x.name),
            admins: Array.from({ length: 20 }, () => heavy(120)).join(', '),
          },
          locale,
          heavy(400),
        ),
      );
      m('welcome', welcomeCard({ channels: Array.from({ length: 200 }, () => heavy(50)) }, locale));
      m('notice', noticeCard(heavy(4000), locale, 'attention'));
    });
  },
);
