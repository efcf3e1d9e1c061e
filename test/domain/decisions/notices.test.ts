/** Telling the affected teams on Azurite: once per bound channel, and a later run finishes what an outage left. */
import { clock, decisionsOnAzurite, draft, program } from './on-azurite';
import { decisionNoticeMessage } from '../../../cards/decisions';
import type { ChannelTarget, Messenger, OutgoingMessage } from '../../../domain/delivery/delivery';
import { notifyDecision, resumeDecisionNotices } from '../../../domain/decisions/notices';
import { logDecision } from '../../../domain/decisions/record';

describe('notices on Azurite', () => {
  const store = decisionsOnAzurite();
  const { deps } = store;

  it('notices go once per bound channel; a later run finishes what an outage left', async () => {
    const posted: { channelId: string; message: OutgoingMessage }[] = [];
    let failFor: string | undefined = 'ch-housing-2';
    const messenger: Messenger = {
      post: async (target: ChannelTarget, message: OutgoingMessage) => {
        if (target.channelId === failFor) throw new Error('connector down');
        posted.push({ channelId: target.channelId, message });
        return { messageId: `m${posted.length}`, threadId: `${target.channelId};messageid=m${posted.length}` };
      },
      reply: async () => ({ messageId: 'x' }),
      update: async () => undefined,
      members: async () => [],
    };
    const bind = (channelId: string, teamKey: string) =>
      store.repos().bindings.put({
        programId: program.id,
        channelId,
        teamsTeamId: 'team',
        channelName: channelId,
        role: { kind: 'team', teamKey },
        reference: {},
        boundBy: 'x',
        boundAt: '2026-01-01T00:00:00Z',
      });
    await bind('ch-housing-1', 'bostader');
    await bind('ch-housing-2', 'bostader');
    await bind('ch-safety', 'trygghet');
    const { decision } = await logDecision(deps(), { draft, by: 'Anna', requestId: 'form-n' });

    const first = await notifyDecision({ ...deps(), messenger }, decision, decisionNoticeMessage);
    expect(first).toMatchObject({ sent: 1, failed: 1 });
    expect(posted.map((p) => p.channelId)).toEqual(['ch-housing-1']);
    expect(JSON.stringify(posted[0]!.message.card)).toContain('D-2026-001 · Rubrik');

    // Too early for the resume job (the first run may still be posting), then it finishes.
    failFor = undefined;
    expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(0);
    clock.advance(10 * 60 * 1000);
    try {
      expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(1);
      expect(await resumeDecisionNotices({ ...deps(), messenger }, decisionNoticeMessage)).toBe(0);
    } finally {
      clock.set('2026-03-10T10:00:00Z');
    }
    expect(posted.map((p) => p.channelId)).toEqual(['ch-housing-1', 'ch-housing-2']);
    const cards = (await store.repos().events.listWeek({ programId: program.id, week: '2026-W11' })).filter(
      (e) => e.type === 'card',
    );
    expect(cards.map((e) => (e.type === 'card' ? [e.kind, e.channelId, e.teamKey] : [])).sort()).toEqual([
      ['decision', 'ch-housing-1', 'bostader'],
      ['decision', 'ch-housing-2', 'bostader'],
    ]);
  });
});
