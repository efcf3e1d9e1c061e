/**
 * Who may answer a check-in and add or edit actions, through the real HTTP endpoint: a person in a
 * channel bound to the action's team (Teams lets only a channel's members press the cards in it,
 * so the binding is the proof), or a program admin (PROGRAM_ADMINS: an Entra object id, or a UPN
 * looked up in the Teams roster only when the channel check fails). Anyone else gets a refusal in
 * their language naming the missing role, and no stored record changes (full table snapshot).
 */
import { validateCard } from '../../../cards/validate';
import { fixedClock } from '../../../domain/time';
import type { Action } from '../../../domain/types';
import {
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  actionExecuteInvoke,
  actionSubmitMessage,
  channelMessage,
  postActivity,
} from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot';
import { startConnectorDouble, type ConnectorDouble } from '../../support/connector-double';
import { captureLogs, type LogCapture } from '../../trust/helpers';
import { diffSnapshots, rowCount, snapshotTables } from '../../trust/table-snapshot';
import { testAction } from '../../support/fixtures';

const P = 'harnosand';
const WEEK = '2026-W48';
const CH = {
  bos: DEFAULT_CHANNEL.id,
  ind: '19:roles-industrimark@thread.tacv2',
  steering: '19:roles-steering@thread.tacv2',
  unbound: '19:roles-unbound@thread.tacv2',
};
/** A program admin named by Entra object id. */
const ADMIN_BY_ID = { id: '29:admin-id', name: 'Ada Admin', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000ad01' };
/** A program admin named by UPN (the activity carries only the object id: the roster has the UPN). */
const ADMIN_BY_UPN = { id: '29:admin-upn', name: 'Ulla Upn', aadObjectId: 'b2b2b2b2-0000-4000-8000-00000000ad02' };
const ADMIN_UPN = 'ulla.upn@harnosand.se';
const REFUSED_SV = (team: string) =>
  `Det får du inte göra här: det kräver rollen medlem i teamet ${team}s kanal eller programadministratör.`;

const action = (id: string, teamKey: string): Action =>
  testAction(id, { programId: P, teamKey, owner: { name: 'Anna Ström', email: 'anna.strom@harnosand.se' } });

let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;
const clock = fixedClock('2026-11-23T08:00:00.000Z');
const repos = () => bot.storage.repositories;
const snapshot = () => snapshotTables(bot.storage.azurite!.connectionString, bot.deps.config.storage.tablePrefix);
const memberLookups = () => double.callsTo('getConversationMember');

const answer = (actionId: string, teamKey: string, status = 'at_risk') => ({
  teamKey,
  week: WEEK,
  actionId,
  page: 0,
  [`${actionId}.status`]: status,
  [`${actionId}.comment`]: 'Svar',
});

/** The texts of a card (or of any JSON holding cards), joined: short enough to show in a failure. */
function textsOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'title') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return out.join(' | ');
}

/** Presses a card button (Action.Execute) and returns the texts of the card that comes back. */
async function execute(
  verb: string,
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await postActivity(
    bot.url,
    actionExecuteInvoke({ verb, data, channelId: CH.bos, serviceUrl: double.url, ...extra }),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(validateCard(body.value)).toEqual([]);
  return textsOf(body.value).slice(0, 600);
}

/** Runs `act`, expects the refusal text, and that no table changed. */
async function expectRefused(act: () => Promise<string>, expected: string): Promise<void> {
  const before = await snapshot();
  // The snapshot really holds the setup (3 bindings, the team they recorded, 3 actions): an empty or unreadable one would compare equal to anything.
  expect(rowCount(before)).toBeGreaterThanOrEqual(7);
  expect(await act()).toContain(expected);
  await bot.deps.background.drain();
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}

beforeAll(async () => {
  double = await startConnectorDouble({
    members: [
      { ...DEFAULT_USER, userPrincipalName: 'anna.styrgren@harnosand.se', email: 'anna.styrgren@harnosand.se' },
      { ...ADMIN_BY_ID, userPrincipalName: 'ada.admin@harnosand.se' },
      { ...ADMIN_BY_UPN, userPrincipalName: ADMIN_UPN.toUpperCase(), email: 'ulla@example.org' },
    ],
  });
  logs = captureLogs('info');
  bot = await startTestBot(
    { PROGRAM_ADMINS: `${ADMIN_BY_ID.aadObjectId.toUpperCase()}, ${ADMIN_UPN}` },
    { clock, logger: logs.logger },
  );
  for (const [channelId, text] of [
    [CH.bos, 'koppla bostäder'],
    [CH.ind, 'koppla industrimark'],
    [CH.steering, 'koppla styrgrupp'],
  ] as const) {
    expect(
      (await postActivity(bot.url, channelMessage({ text, channelId, serviceUrl: double.url, from: ADMIN_BY_ID })))
        .status,
    ).toBe(200);
  }
  await repos().actions.saveAll([
    action('BOS-01', 'bostader'),
    action('BOS-02', 'bostader'),
    action('IND-01', 'industrimark'),
  ]);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

beforeEach(() => double.reset());

describe('answering a check-in', () => {
  it('a member answers in the team’s own channel, with no roster lookup on the way', async () => {
    expect(await execute('checkin.answer', answer('BOS-01', 'bostader'))).toContain(
      'Tack Anna Styrgren! BOS-01 är uppdaterad.',
    );
    expect(await repos().actions.get(P, 'BOS-01')).toMatchObject({
      status: 'at_risk',
      lastUpdate: { by: 'Anna Styrgren' },
    });
    expect(memberLookups()).toEqual([]);
  });

  it('another team’s action answered from this team’s channel: refused naming the role, in Swedish and English, nothing stored', async () => {
    await expectRefused(() => execute('checkin.answer', answer('IND-01', 'industrimark')), REFUSED_SV('Industrimark'));
    await expectRefused(
      () => execute('checkin.answer', answer('IND-01', 'industrimark'), { locale: 'en-US' }),
      "You cannot do that here: it needs the member of the Industrimark team's channel or program admin role.",
    );
    // Action.Submit: the card is left as it is; the refusal is a new message in its thread.
    await expectRefused(async () => {
      await postActivity(
        bot.url,
        actionSubmitMessage({
          verb: 'checkin.answer',
          data: answer('IND-01', 'industrimark'),
          cardActivityId: '1700000000301',
          channelId: CH.bos,
          serviceUrl: double.url,
        }),
      );
      expect(double.updates()).toEqual([]);
      return textsOf(double.sent().map((u) => u.activity)).slice(0, 600);
    }, REFUSED_SV('Industrimark'));
    // The same person could answer it in the Industrimark channel.
    expect(
      await execute('checkin.answer', answer('IND-01', 'industrimark', 'off_track'), { channelId: CH.ind }),
    ).toContain('IND-01 är uppdaterad');
  });

  it('from the steering channel, an unbound channel, or a personal chat: refused; the refusal is logged', async () => {
    const logStart = logs.lines.length;
    await expectRefused(
      () => execute('checkin.answer', answer('BOS-02', 'bostader'), { channelId: CH.steering }),
      REFUSED_SV('Bostäder'),
    );
    await expectRefused(
      () => execute('checkin.answer', answer('BOS-02', 'bostader'), { channelId: CH.unbound }),
      REFUSED_SV('Bostäder'),
    );
    await expectRefused(
      () => execute('checkin.answer', answer('BOS-02', 'bostader'), { scope: 'personal' }),
      REFUSED_SV('Bostäder'),
    );
    const refusals = logs
      .records()
      .slice(logStart)
      .filter((r) => r.code === 'KS_FORBIDDEN');
    expect(refusals.map((r) => r.verb)).toEqual(['checkin.answer', 'checkin.answer', 'checkin.answer']);
    // An admin is named by UPN, so each refusal asked the roster once (only after the channel check failed).
    expect(memberLookups()).toHaveLength(3);
  });

  it('a card forged to claim the team of the channel it is pressed in cannot reach another team’s action', async () => {
    await expectRefused(
      () => execute('checkin.answer', answer('IND-01', 'bostader')),
      'Åtgärden IND-01 finns inte bland teamet Bostäders åtgärder',
    );
  });

  it('a program admin named by object id answers from anywhere, without a roster lookup', async () => {
    const out = await execute('checkin.answer', answer('BOS-02', 'bostader', 'paused'), {
      scope: 'personal',
      from: ADMIN_BY_ID,
    });
    expect(out).toContain('Tack Ada Admin! BOS-02 är uppdaterad.');
    expect(await repos().actions.get(P, 'BOS-02')).toMatchObject({ status: 'paused', lastUpdate: { by: 'Ada Admin' } });
    expect(memberLookups()).toEqual([]);
  });

  it('a program admin named by UPN answers from another team’s channel: one roster lookup, UPN compared without case', async () => {
    const out = await execute('checkin.answer', answer('IND-01', 'industrimark', 'done'), { from: ADMIN_BY_UPN });
    expect(out).toContain('Tack Ulla Upn! IND-01 är uppdaterad.');
    expect(await repos().actions.get(P, 'IND-01')).toMatchObject({ status: 'done', lastUpdate: { by: 'Ulla Upn' } });
    expect(memberLookups().map((c) => [c.params.memberId, c.status])).toEqual([[ADMIN_BY_UPN.id, 200]]);
  });

  it('when the roster cannot be read, the admin check refuses rather than allows, and says why in the log', async () => {
    double.failNext(
      1,
      { status: 403, body: { error: { code: 'Forbidden', message: 'no access to the roster' } } },
      (c) => c.route === 'getConversationMember',
    );
    const logStart = logs.lines.length;
    await expectRefused(
      () => execute('checkin.answer', answer('BOS-01', 'bostader'), { channelId: CH.ind, from: ADMIN_BY_UPN }),
      REFUSED_SV('Bostäder'),
    );
    expect(
      logs
        .records()
        .slice(logStart)
        .some((r) => r.msg === 'could not look up the member for a role check'),
    ).toBe(true);
  });
});

describe('adding and editing actions', () => {
  const fields = {
    'actionEdit.title': 'Ny åtgärd',
    'actionEdit.ownerName': 'Anna Ström',
    'actionEdit.ownerEmail': 'anna.strom@harnosand.se',
    'actionEdit.due': '2027-03-31',
    'actionEdit.description': '',
  };

  it('another team’s form is refused before it is filled in, and its save is refused too; nothing stored', async () => {
    await expectRefused(() => execute('actionEdit.open', { teamKey: 'industrimark' }), REFUSED_SV('Industrimark'));
    await expectRefused(
      () => execute('actionEdit.open', { teamKey: 'industrimark', actionId: 'IND-01' }),
      REFUSED_SV('Industrimark'),
    );
    await expectRefused(
      () => execute('actionEdit.save', { teamKey: 'industrimark', ...fields }),
      REFUSED_SV('Industrimark'),
    );
    await expectRefused(
      () => execute('actionEdit.save', { teamKey: 'industrimark', actionId: 'IND-01', ...fields }, { locale: 'en-GB' }),
      "member of the Industrimark team's channel or program admin",
    );
    expect((await repos().actions.listByTeam(P, 'industrimark')).map((a) => a.id)).toEqual(['IND-01']);
  });

  it('the team’s own channel adds; an admin edits from a personal chat', async () => {
    expect(await execute('actionEdit.open', { teamKey: 'bostader' })).toContain('Ny åtgärd – Bostäder');
    expect(await execute('actionEdit.save', { teamKey: 'bostader', ...fields })).toContain(
      'Åtgärden BOS-03 är skapad: Ny åtgärd.',
    );
    const edited = await execute(
      'actionEdit.save',
      { teamKey: 'industrimark', actionId: 'IND-01', ...fields, 'actionEdit.title': 'Ändrad av admin' },
      { scope: 'personal', from: ADMIN_BY_ID },
    );
    expect(edited).toContain('Åtgärden IND-01 är uppdaterad');
    expect(await repos().actions.get(P, 'IND-01')).toMatchObject({ title: 'Ändrad av admin' });
  });
});

describe('posting a check-in anew', () => {
  it('a pointer card pressed outside the channel it posts to needs the role; nothing is posted', async () => {
    await expectRefused(
      () => execute('checkin.repost', { teamKey: 'industrimark', week: WEEK, channelId: CH.ind }),
      REFUSED_SV('Industrimark'),
    );
    expect(double.callsTo('createConversation')).toEqual([]);
  });
});
