/**
 * The request and send log lines of a scripted conversation through the real HTTP endpoint (the
 * Bot Connector double answers, storage is the embedded Azurite): one `request` line per
 * activity with its kind, team, status and time, one `send` line per post or update with its
 * attempts and 429s, and nothing anyone typed anywhere in the log.
 */
import { fixedClock } from '../../domain/time';
import {
  actionExecuteInvoke,
  channelMessage,
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  postActivity,
} from '../support/activities';
import { startTestBot, type TestBot } from '../support/bot';
import { faults, startConnectorDouble, type ConnectorDouble } from '../support/connector-double';
import { testAction } from '../support/fixtures';
import { captureLogs, type LogCapture } from '../trust/helpers';

const MONDAY = '2026-11-23T08:00:00.000Z';
const WEEK = '2026-W48';
const SECRET_COMMENT = 'Hemlig kommentar om budgeten';
const SECRET_NEXT = 'Ring kommunstyrelsen i smyg';

let double: ConnectorDouble;
let bot: TestBot;
let logs: LogCapture;

type LogRecord = Record<string, unknown> & { msg?: string; level: number };
const lines = (msg: string, from = 0): LogRecord[] =>
  logs
    .records()
    .slice(from)
    .filter((r) => r.msg === msg);

/** The request line is written when the answer has gone out: wait for it. */
async function requestLines(count: number, from: number): Promise<LogRecord[]> {
  for (let i = 0; i < 100 && lines('request', from).length < count; i++) await new Promise((r) => setTimeout(r, 20));
  return lines('request', from);
}

async function post(activity: Record<string, unknown>) {
  const res = await postActivity(bot.url, activity);
  expect(res.status).toBe(200);
  return res;
}

beforeAll(async () => {
  double = await startConnectorDouble({
    channels: {
      [DEFAULT_TEAM.id]: [
        { id: DEFAULT_TEAM.id, name: null },
        { id: DEFAULT_CHANNEL.id, name: 'Bostäder' },
      ],
    },
  });
  logs = captureLogs('info');
  bot = await startTestBot({}, { clock: fixedClock(MONDAY), logger: logs.logger });
  await bot.storage.repositories.actions.saveAll([
    testAction('BOS-01', { teamKey: 'bostader' }),
    testAction('BOS-02', { teamKey: 'bostader' }),
  ]);
});

afterAll(async () => {
  await bot?.stop();
  await double?.close();
});

describe('the request and send lines', () => {
  it('describe a scripted conversation, and the log holds nothing anyone typed', async () => {
    const start = logs.lines.length;
    const activities = [
      channelMessage({ text: 'hjälp', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url }),
      channelMessage({
        text: '<at>Kraftsamla</at> koppla bostäder',
        channelId: DEFAULT_CHANNEL.id,
        serviceUrl: double.url,
      }),
      channelMessage({ text: 'incheckning', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url }),
    ];
    for (const a of activities) await post(a as unknown as Record<string, unknown>);
    const card = await bot.storage.repositories.checkIns.get('harnosand', WEEK, 'bostader');
    expect(card?.messageId).toBeDefined();
    const answer = actionExecuteInvoke({
      verb: 'checkin.answer',
      data: {
        teamKey: 'bostader',
        week: WEEK,
        actionId: 'BOS-01',
        page: 0,
        'BOS-01.status': 'at_risk',
        'BOS-01.progress': '40',
        'BOS-01.comment': SECRET_COMMENT,
        'BOS-01.next': SECRET_NEXT,
      },
      channelId: DEFAULT_CHANNEL.id,
      serviceUrl: double.url,
      cardActivityId: card!.messageId,
    });
    const res = await post(answer as unknown as Record<string, unknown>);
    expect(JSON.stringify(res.body)).toContain('BOS-01 är uppdaterad');
    // The posted card is replaced for everyone after the answer.
    await bot.deps.background.drain();

    const requests = await requestLines(4, start);
    expect(requests.map((r) => [r.type, r.name, r.verb, r.command, r.team, r.status])).toEqual([
      ['message', undefined, undefined, 'help', undefined, 200],
      ['message', undefined, undefined, 'link', 'bostader', 200],
      ['message', undefined, undefined, 'checkin', 'bostader', 200],
      ['invoke', 'adaptiveCard/action', 'checkin.answer', undefined, 'bostader', 200],
    ]);
    const sent = [...activities, answer] as unknown as { id: string; conversation: { id: string } }[];
    requests.forEach((r, i) => {
      expect(r.level).toBe(30);
      expect(typeof r.ms).toBe('number');
      expect(r.ms as number).toBeGreaterThanOrEqual(0);
      expect(r.activityId).toBe(sent[i]!.id);
      expect(r.conversationId).toBe(sent[i]!.conversation.id);
    });

    const sends = lines('send', start);
    // Replies to the three messages, the check-in card posted as a new thread, its update after the answer.
    expect(sends.filter((s) => s.operation === 'send').length).toBeGreaterThanOrEqual(4);
    expect(sends.filter((s) => s.operation === 'update')).toHaveLength(1);
    for (const s of sends) {
      expect(s).toMatchObject({ attempts: 1, retries: 0, throttled: 0 });
      expect(s.status).toEqual(expect.any(Number));
      expect(s.status as number).toBeLessThan(300);
      expect(typeof s.ms).toBe('number');
      expect(String(s.conversationId)).toContain(DEFAULT_CHANNEL.id);
    }
    expect(sends.some((s) => s.conversationId === DEFAULT_CHANNEL.id)).toBe(true); // the new thread

    const text = logs.lines.slice(start).join('\n');
    for (const typed of [SECRET_COMMENT, SECRET_NEXT, 'koppla bostäder', 'incheckning', 'hjälp', '<at>'])
      expect(text).not.toContain(typed);
  });

  it('counts the attempts and the 429s of a reply Teams throttled', async () => {
    const start = logs.lines.length;
    double.failNext(
      1,
      faults.tooManyRequestsNoRetryAfter(),
      (call) => call.route === 'replyToActivity' || call.route === 'sendToConversation',
    );
    await post(
      channelMessage({ text: 'hjälp', channelId: DEFAULT_CHANNEL.id, serviceUrl: double.url }) as unknown as Record<
        string,
        unknown
      >,
    );
    const [request] = await requestLines(1, start);
    expect(request).toMatchObject({ type: 'message', command: 'help', status: 200 });
    const sends = lines('send', start);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ operation: 'send', attempts: 2, retries: 1, throttled: 1, level: 30 });
    expect(sends[0]!.status as number).toBeLessThan(300);
  });

  it('logs a refused activity with its status, and a forged verb as unknown', async () => {
    const start = logs.lines.length;
    const forged = actionExecuteInvoke({
      verb: 'Hemligt verb med text',
      data: {},
      channelId: DEFAULT_CHANNEL.id,
      serviceUrl: double.url,
    });
    await post(forged as unknown as Record<string, unknown>);
    const res = await postActivity(bot.url, { type: 'message', text: 'hjälp' });
    expect(res.status).toBe(400);
    const requests = await requestLines(2, start);
    expect(requests.map((r) => [r.type, r.verb, r.status])).toEqual([
      ['invoke', 'unknown', 200],
      ['message', undefined, 400],
    ]);
    expect(logs.lines.slice(start).join('\n')).not.toContain('Hemligt verb');
  });
});
