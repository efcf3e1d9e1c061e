/**
 * The connector double, driven by the real Bot Framework client: botbuilder's CloudAdapter with
 * anonymous auth (no app id), proactive turns, `TurnContext` sends and `TeamsInfo`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationParameters,
  type ConversationReference,
  MessageFactory,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';

import {
  DEFAULT_CHANNEL,
  DEFAULT_TEAM,
  DEFAULT_USER,
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessage,
  installationUpdateAdd,
  localTimestamp,
  personalMessage,
  postActivity,
  toBotActivity,
} from './activities';
import { type ConnectorDouble, type RecordedCall, faults, startConnectorDouble } from './connector-double';

const TEAM_ID = DEFAULT_TEAM.id;
const CHANNEL_ID = DEFAULT_CHANNEL.id;

/** The part of botframework-connector's ConnectorClient these tests call. */
interface ConversationsClient {
  conversations: {
    sendToConversation(conversationId: string, activity: Activity): Promise<{ id: string }>;
    replyToActivity(conversationId: string, activityId: string, activity: Activity): Promise<{ id: string }>;
  };
}

/** Anonymous CloudAdapter (no app id, no password): auth disabled, as in local tests. */
function anonymousAdapter(): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
}

function referenceTo(double: ConnectorDouble, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: double.url,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: '28:kraftsamla-bot', name: 'Kraftsamla' },
  };
}

/** Runs `logic` in a proactive turn against the double and returns what it returns. */
async function proactive<T>(
  double: ConnectorDouble,
  conversationId: string,
  logic: (context: TurnContext) => Promise<T>,
): Promise<T> {
  let result: { value: T } | undefined;
  await anonymousAdapter().continueConversationAsync('', referenceTo(double, conversationId), async (context) => {
    result = { value: await logic(context) };
  });
  if (result === undefined) throw new Error('logic did not run');
  return result.value;
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; response?: { status?: number } };
  return e.statusCode ?? e.response?.status;
}

describe('connector double with botbuilder CloudAdapter (anonymous)', () => {
  let double: ConnectorDouble;

  beforeEach(async () => {
    double = await startConnectorDouble({
      members: [
        { ...DEFAULT_USER, email: 'anna.styrgren@harnosand.se', userPrincipalName: 'anna.styrgren@harnosand.se' },
        { id: '29:other', name: 'Bo Ek', aadObjectId: 'b0-aad', email: 'bo.ek@harnosand.se' },
      ],
      channels: {
        [TEAM_ID]: [
          { id: TEAM_ID, name: null },
          { id: CHANNEL_ID, name: 'Bostäder' },
        ],
      },
    });
  });

  afterEach(async () => {
    await double.close();
  });

  it('binds to 127.0.0.1 on a random port', () => {
    expect(double.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(double.port).toBeGreaterThan(0);
    expect(double.url).toBe(`http://127.0.0.1:${double.port}/`);
  });

  it('records sends, replies and updates with decoded conversation ids', async () => {
    const thread = `${CHANNEL_ID};messageid=1795685797797`;
    const ids = await proactive(double, thread, async (context) => {
      // The connector client botbuilder made for this turn, as TeamsInfo uses it.
      const client = context.turnState.get<ConversationsClient>(context.adapter.ConnectorClientKey);
      const sent = await client.conversations.sendToConversation(thread, {
        type: 'message',
        text: 'Veckans avstämning',
      } as Activity);
      const replied = await client.conversations.replyToActivity(thread, sent.id, {
        type: 'message',
        text: 'svar',
        replyToId: sent.id,
      } as Activity);
      await context.updateActivity({
        type: 'message',
        id: sent.id,
        text: 'Veckans avstämning (uppdaterad)',
        conversation: { id: thread, isGroup: true, conversationType: 'channel', name: '' },
      });
      // A proactive sendActivity is a *reply* to the continuation activity's random id.
      const proactiveSend = await context.sendActivity(MessageFactory.text('proaktivt'));
      return { first: sent.id, reply: replied.id, proactive: proactiveSend?.id, continuation: context.activity.id };
    });

    expect(ids.first).toMatch(/^\d{13}$/);
    expect(ids.reply).toMatch(/^\d{13}$/);
    expect(new Set([ids.first, ids.reply, ids.proactive]).size).toBe(3);

    expect(double.calls.map((c) => [c.method, c.route])).toEqual([
      ['POST', 'sendToConversation'],
      ['POST', 'replyToActivity'],
      ['PUT', 'updateActivity'],
      ['POST', 'replyToActivity'],
    ]);
    const [send, reply, , proactiveReply] = double.calls;
    expect(send?.params.conversationId).toBe(thread);
    expect(send?.path).toBe(`/v3/conversations/${thread}/activities`);
    expect(send?.rawUrl).toContain('19%3A4bb2ccdd9c226dee39fc148ceb387557%40thread.tacv2');
    expect(send?.hasAuthorization).toBe(false);
    expect(send?.status).toBe(201);
    expect(reply?.params.activityId).toBe(ids.first);
    expect(proactiveReply?.params.activityId).toBe(ids.continuation);

    expect(double.sent().map((s) => [s.kind, s.activity.text])).toEqual([
      ['send', 'Veckans avstämning'],
      ['reply', 'svar'],
      ['reply', 'proaktivt'],
    ]);
    expect(double.sent()[1]?.replyToId).toBe(ids.first);
    expect(double.sentTo(thread)).toHaveLength(3);
    expect(double.sentTo(CHANNEL_ID)).toHaveLength(3);
    expect(double.sentTo(`${CHANNEL_ID};messageid=1`)).toHaveLength(0);

    const updates = double.updates();
    expect(updates).toHaveLength(1);
    expect(updates[0]?.activityId).toBe(ids.first);
    expect(updates[0]?.conversationId).toBe(thread);
    expect(updates[0]?.activity.text).toBe('Veckans avstämning (uppdaterad)');
    expect(double.message(ids.first)?.text).toBe('Veckans avstämning (uppdaterad)');
  });

  it('records deletions', async () => {
    await proactive(double, CHANNEL_ID, async (context) => {
      const r = await context.sendActivity('bort');
      await context.deleteActivity(r?.id ?? '');
    });
    const id = double.sent()[0]?.id ?? '';
    expect(double.deletions().map((d) => [d.conversationId, d.activityId])).toEqual([[CHANNEL_ID, id]]);
    expect(double.message(id)).toBeUndefined();
  });

  it('creates a channel thread the way Teams does (id = channel;messageid=activityId)', async () => {
    const adapter = anonymousAdapter();
    const params = {
      isGroup: true,
      channelData: { channel: { id: CHANNEL_ID }, tenant: { id: 'tenant-1' } },
      activity: MessageFactory.text('Ny tråd') as Activity,
      bot: { id: '28:kraftsamla-bot', name: 'Kraftsamla' },
    } as ConversationParameters;
    let created: ConversationReference | undefined;
    await adapter.createConversationAsync('', 'msteams', double.url, '', params, async (context) => {
      created = TurnContext.getConversationReference(context.activity) as ConversationReference;
      await context.sendActivity('i tråden');
    });

    const create = double.callsTo('createConversation');
    expect(create).toHaveLength(1);
    expect(create[0]?.method).toBe('POST');
    expect(create[0]?.path).toBe('/v3/conversations');
    expect(create[0]?.status).toBe(201);
    const body = create[0]?.body as { isGroup: boolean; channelData: { channel: { id: string } } };
    expect(body.isGroup).toBe(true);
    expect(body.channelData.channel.id).toBe(CHANNEL_ID);
    const answer = create[0]?.responseBody as { id: string; activityId: string };
    expect(answer.id).toBe(`${CHANNEL_ID};messageid=${answer.activityId}`);
    expect(created?.conversation.id).toBe(answer.id);

    // The root message (from createConversation) and the follow-up both land in the new thread.
    // botbuilder's follow-up is a reply whose replyToId is the new *conversation* id.
    expect(double.sentTo(answer.id).map((s) => [s.kind, s.activity.text, s.replyToId])).toEqual([
      ['create', 'Ny tråd', undefined],
      ['reply', 'i tråden', answer.id],
    ]);
    expect(double.sentTo(CHANNEL_ID)).toHaveLength(2);
  });

  it('serves channels, team details and the roster to TeamsInfo', async () => {
    const result = await proactive(double, TEAM_ID, async (context) => {
      const channels = await TeamsInfo.getTeamChannels(context, TEAM_ID);
      const details = await TeamsInfo.getTeamDetails(context, TEAM_ID);
      const page = await TeamsInfo.getPagedTeamMembers(context, TEAM_ID, 1);
      const member = await TeamsInfo.getTeamMember(context, TEAM_ID, '29:other');
      return { channels, details, page, member };
    });
    expect(result.channels).toEqual([
      { id: TEAM_ID, name: null },
      { id: CHANNEL_ID, name: 'Bostäder' },
    ]);
    expect(result.details).toMatchObject({ id: TEAM_ID, name: 'Programkontoret', aadGroupId: DEFAULT_TEAM.aadGroupId });
    expect(result.page.members.map((m) => m.name)).toEqual(['Anna Styrgren']);
    expect(result.page.continuationToken).toBe('1');
    expect(result.member).toMatchObject({ id: '29:other', name: 'Bo Ek', email: 'bo.ek@harnosand.se' });

    const routes = double.calls.map((c) => c.route);
    expect(routes).toEqual([
      'fetchChannelList',
      'fetchTeamDetails',
      'getConversationPagedMembers',
      'getConversationMember',
    ]);
    expect(double.calls[0]?.path).toBe(`/v3/teams/${TEAM_ID}/conversations`);
    expect(double.calls[2]?.query).toEqual({ pageSize: '1' });
  });

  it('answers unknown routes with 404 JSON and records them', async () => {
    const res = await fetch(`${double.url}v3/nothing/here`, { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
    expect(double.calls).toHaveLength(1);
    expect(double.calls[0]).toMatchObject({ route: 'unknown', method: 'POST', body: { a: 1 }, status: 404 });
  });

  it('records the Authorization header as present without checking it', async () => {
    const res = await fetch(`${double.url}v3/conversations/x/activities`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hej' }),
    });
    expect(res.status).toBe(201);
    expect(double.calls[0]?.hasAuthorization).toBe(true);
    expect(double.calls[0]?.headers.authorization).toBe('Bearer test-token');
  });

  it('accepts a service URL path prefix such as /amer/', async () => {
    const prefixed = await startConnectorDouble({ basePath: 'amer' });
    try {
      expect(prefixed.url).toMatch(/\/amer\/$/);
      await proactive(prefixed, CHANNEL_ID, (context) => context.sendActivity('hej'));
      expect(prefixed.calls[0]?.path).toMatch(new RegExp(`^/amer/v3/conversations/${CHANNEL_ID}/activities/`));
      expect(prefixed.sent()).toHaveLength(1);
    } finally {
      await prefixed.close();
    }
  });
});

describe('fault injection', () => {
  let double: ConnectorDouble;

  beforeEach(async () => {
    double = await startConnectorDouble();
  });

  afterEach(async () => {
    await double.close();
  });

  it('429 with Retry-After: the connector client honours it and retries by itself', async () => {
    double.failNext(1, faults.tooManyRequests(1));
    const started = Date.now();
    await proactive(double, CHANNEL_ID, (context) => context.sendActivity('hej'));
    const elapsed = Date.now() - started;

    expect(double.calls.map((c) => c.status)).toEqual([429, 201]);
    expect(double.calls[0]?.fault).toBe('injected');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(double.sent()).toHaveLength(1);
  });

  it('429 surfaces to the caller, with Retry-After, once the client stops retrying', async () => {
    double.failNext(10, faults.tooManyRequestsNoRetryAfter());
    let caught: unknown;
    try {
      await proactive(double, CHANNEL_ID, (context) => context.sendActivity('hej'));
    } catch (err) {
      caught = err;
    }
    expect(statusOf(caught)).toBe(429);
    expect(double.calls).toHaveLength(1);
    expect(double.sent()).toHaveLength(0);

    // The raw answer carries Retry-After (the matcher limits this fault to channel listings).
    double.reset();
    double.failNext(1, { status: 429, headers: { 'Retry-After': '7' } }, (c) => c.route === 'fetchChannelList');
    const sendRes = await fetch(`${double.url}v3/conversations/c1/activities`, {
      method: 'POST',
      body: JSON.stringify({ type: 'message' }),
    });
    expect(sendRes.status).toBe(201);
    const res = await fetch(`${double.url}v3/teams/${encodeURIComponent(TEAM_ID)}/conversations`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  it('faultFor: 403 MessageWritesBlocked for one conversation only', async () => {
    const remove = double.faultFor((c) =>
      c.params.conversationId === 'blocked' ? faults.messageWritesBlocked() : undefined,
    );
    let caught: unknown;
    try {
      await proactive(double, 'blocked', (context) => context.sendActivity('hej'));
    } catch (err) {
      caught = err;
    }
    expect(statusOf(caught)).toBe(403);
    await proactive(double, 'open', (context) => context.sendActivity('hej'));
    expect(double.sent().map((s) => s.conversationId)).toEqual(['open']);
    expect(double.calls[0]?.responseBody).toMatchObject({ error: { subCode: 'MessageWritesBlocked' } });

    remove();
    await proactive(double, 'blocked', (context) => context.sendActivity('hej'));
    expect(double.sentTo('blocked')).toHaveLength(1);
  });

  it('timeout: holds the request until the client aborts', async () => {
    double.failNext(1, faults.timeout());
    const controller = new AbortController();
    const pending = fetch(`${double.url}v3/conversations/c1/activities`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await waitFor(() => double.calls.length > 0, 10_000);
    expect(double.calls).toHaveLength(1);
    expect(double.calls[0]?.status).toBeUndefined();
    expect(double.calls[0]?.fault).toBe('timeout');
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(double.sent()).toHaveLength(0);
  });

  it('timeout: close() drops held requests instead of waiting for them', async () => {
    const held = await startConnectorDouble();
    held.failNext(1, faults.timeout());
    const pending = rawRequest(`${held.url}v3/conversations/c1/activities`, 'POST', '{}');
    await waitFor(() => held.calls.length === 1);
    const started = Date.now();
    await held.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });

  it('delayMs without status answers normally, late', async () => {
    double.failNext(1, faults.slow(300));
    const started = Date.now();
    const res = await fetch(`${double.url}v3/conversations/c1/activities`, { method: 'POST', body: '{"text":"x"}' });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(double.calls[0]?.fault).toBeUndefined();
  });

  it('a 502 is retried by the connector client, and the retry is recorded', async () => {
    double.failNext(1, faults.serverError(502));
    await proactive(double, CHANNEL_ID, (context) => context.sendActivity('hej'));
    expect(double.calls.map((c) => c.status)).toEqual([502, 201]);
    expect(double.sent()).toHaveLength(1);
  });
});

describe('Teams rate limits (enforceTeamsLimits)', () => {
  it('allows 7 sends per thread in 1 s, then answers 429 with Retry-After', async () => {
    let clock = 1_000_000;
    const double = await startConnectorDouble({ enforceTeamsLimits: true, now: () => clock });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push(await postRaw(double, `${CHANNEL_ID};messageid=${i}`));
      // All threads of a channel count against the channel.
      expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
      const limited = double.calls[7] as RecordedCall;
      expect(limited.fault).toBe('rateLimited');
      expect(limited.status).toBe(429);
      expect(limited.responseBody).toMatchObject({ error: { code: 'TooManyRequests' } });

      const res = await fetch(`${double.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`, {
        method: 'POST',
        body: '{"type":"message"}',
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBe(1);

      // Another channel has its own window.
      expect(await postRaw(double, 'other-channel')).toBe(201);

      // After 1 s the 1 s window is clear, but 8 per 2 s still holds: one more, then 429.
      clock += 1_000;
      expect(await postRaw(double, CHANNEL_ID)).toBe(201);
      expect(await postRaw(double, CHANNEL_ID)).toBe(429);
      // That 429 asks to wait until the oldest call leaves the 2 s window: 1 s.
      expect(double.calls.at(-1)?.responseHeaders).toEqual({ 'Retry-After': '1' });

      clock += 1_000;
      expect(await postRaw(double, CHANNEL_ID)).toBe(201);
      expect(double.sentTo(CHANNEL_ID)).toHaveLength(9);
    } finally {
      await double.close();
    }
  });

  it('caps a thread at 60 sends per 30 s', async () => {
    let clock = 0;
    const double = await startConnectorDouble({ enforceTeamsLimits: true, now: () => clock });
    try {
      let accepted = 0;
      // 4 sends every 1.1 s stays inside 7/1 s and 8/2 s (8 per 2.2 s).
      for (let i = 0; i < 80; i += 1) {
        if (i % 4 === 0 && i > 0) clock += 1_100;
        if ((await postRaw(double, CHANNEL_ID)) === 201) accepted += 1;
      }
      expect(clock).toBeLessThan(30_000);
      expect(accepted).toBe(60);
      const last = double.calls.at(-1) as RecordedCall;
      expect(last.status).toBe(429);
    } finally {
      await double.close();
    }
  });

  it('does not limit when not enabled', async () => {
    const double = await startConnectorDouble();
    try {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => postRaw(double, CHANNEL_ID)));
      expect(statuses.every((s) => s === 201)).toBe(true);
    } finally {
      await double.close();
    }
  });

  it('the connector client waits out Retry-After and gets through', async () => {
    const double = await startConnectorDouble({ enforceTeamsLimits: true });
    try {
      const ids = await proactive(double, CHANNEL_ID, async (context) => {
        const out: string[] = [];
        for (let i = 0; i < 9; i += 1) out.push((await context.sendActivity(`m${i}`))?.id ?? '');
        return out;
      });
      expect(ids.filter((id) => id.length > 0)).toHaveLength(9);
      expect(double.calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(1);
      expect(double.sent()).toHaveLength(9);
    } finally {
      await double.close();
    }
  });
});

describe('activity builders', () => {
  it('builds a channel message with the bot mention, shaped like the Teams payload', () => {
    const now = new Date('2026-11-26T09:36:37.797Z');
    const a = channelMessage({ text: 'hjälp', serviceUrl: 'http://127.0.0.1:1/', now });
    expect(a.type).toBe('message');
    expect(a.text).toBe('<at>Kraftsamla</at> hjälp');
    expect(a.entities[0]).toEqual({
      type: 'mention',
      text: '<at>Kraftsamla</at>',
      mentioned: { id: '28:ae2aca41-65ca-4491-a076-89a294540026', name: 'Kraftsamla' },
    });
    expect(a.conversation.id).toBe(`${CHANNEL_ID};messageid=${a.id}`);
    expect(a.channelData).toMatchObject({
      tenant: { id: '41a4825c-3ecf-41b9-8e52-b64f57d79511' },
      team: { id: TEAM_ID, name: 'Programkontoret' },
      channel: { id: CHANNEL_ID, name: 'Bostäder' },
    });
    expect(a.timestamp).toBe('2026-11-26T09:36:37.797Z');
    expect(a.localTimestamp).toBe('2026-11-26T10:36:37.797+01:00');
    expect(a.serviceUrl).toBe('http://127.0.0.1:1/');
    expect(a.channelId).toBe('msteams');

    const inThread = channelMessage({ text: 'x', mention: false, threadRootId: '42', botAppId: 'app' });
    expect(inThread.text).toBe('x');
    expect(inThread.conversation.id).toBe(`${CHANNEL_ID};messageid=42`);
    expect(inThread.replyToId).toBe('42');
    expect(inThread.recipient.id).toBe('28:app');
    expect(inThread.entities.some((e) => e.type === 'mention')).toBe(false);
  });

  it('uses summer time for localTimestamp', () => {
    expect(localTimestamp(new Date('2026-06-01T12:00:00.000Z'))).toBe('2026-06-01T14:00:00.000+02:00');
  });

  it('builds install, add and remove events for a team', () => {
    const install = installationUpdateAdd({ teamId: 'T1' });
    expect(install).toMatchObject({
      type: 'installationUpdate',
      action: 'add',
      conversation: { id: 'T1', conversationType: 'channel' },
      channelData: { team: { id: 'T1' }, settings: { selectedChannel: { id: 'T1' } } },
    });
    expect(install.id).toMatch(/^f:[0-9a-f]{16}$/);
    expect(botAddedToTeam().membersAdded).toEqual([{ id: '28:ae2aca41-65ca-4491-a076-89a294540026' }]);
    expect(botAddedToTeam().channelData.eventType).toBe('teamMemberAdded');
    const removed = botRemovedFromTeam({ teamId: 'T2' });
    expect(removed.membersRemoved).toHaveLength(1);
    expect(removed.channelData).toMatchObject({ eventType: 'teamMemberRemoved', team: { id: 'T2' } });
  });

  it('builds card actions (Execute and Submit) in Teams and playground shapes', () => {
    const exec = actionExecuteInvoke({ verb: 'checkin.submit', data: { actionId: 'BOS-03' }, cardActivityId: '99' });
    expect(exec).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: '99',
      conversation: { id: `${CHANNEL_ID};messageid=99` },
      value: {
        action: { type: 'Action.Execute', verb: 'checkin.submit', data: { actionId: 'BOS-03' } },
        trigger: 'manual',
      },
    });
    const play = actionExecuteInvoke({ verb: 'v', playgroundShape: true });
    expect(play.conversation.id).toBeUndefined();
    expect(play.channelData.channel?.id).toBe('undefined');

    const submit = actionSubmitMessage({ data: { status: 'on_track' }, verb: 'checkin.submit' });
    expect(submit.type).toBe('message');
    expect(submit.text).toBeUndefined();
    expect(submit.value).toEqual({ status: 'on_track', verb: 'checkin.submit' });
  });

  it('builds a personal message', () => {
    const p = personalMessage({ text: 'hej', from: { name: 'Bo' } });
    expect(p.conversation).toMatchObject({ conversationType: 'personal' });
    expect(p.conversation.id).toMatch(/^a:/);
    expect(p.from).toMatchObject({ id: DEFAULT_USER.id, name: 'Bo' });
  });

  it('converts to the botbuilder in-memory shape (Date timestamps)', () => {
    const wire = channelMessage({ text: 'x', now: new Date('2026-01-05T08:00:00.000Z') });
    const asActivity: Partial<Activity> = toBotActivity(wire);
    expect(asActivity.timestamp).toEqual(new Date('2026-01-05T08:00:00.000Z'));
    expect(asActivity).toMatchObject({
      rawTimestamp: '2026-01-05T08:00:00.000Z',
      rawLocalTimestamp: '2026-01-05T09:00:00.000+01:00',
    });
    expect(asActivity.conversation?.id).toBe(wire.conversation.id);
    expect(wire.timestamp).toBe('2026-01-05T08:00:00.000Z');
  });
});

describe('postActivity', () => {
  it('POSTs JSON to /api/messages with an optional bearer token and parses the answer', async () => {
    const seen: { url?: string; auth?: string; body?: string } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.url = req.url;
        seen.auth = req.headers.authorization;
        seen.body = body;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const activity = personalMessage({ text: 'hej' });
      const result = await postActivity(base, activity, { token: 't0k' });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(seen.url).toBe('/api/messages');
      expect(seen.auth).toBe('Bearer t0k');
      expect(JSON.parse(seen.body ?? '{}')).toMatchObject({ text: 'hej', type: 'message' });

      await postActivity(`${base}/api/messages`, activity);
      expect(seen.url).toBe('/api/messages');
      expect(seen.auth).toBeUndefined();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

// ---------------------------------------------------------------------------------------------

async function postRaw(double: ConnectorDouble, conversationId: string): Promise<number> {
  const res = await fetch(`${double.url}v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'x' }),
  });
  await res.arrayBuffer();
  return res.status;
}

function rawRequest(url: string, method: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
