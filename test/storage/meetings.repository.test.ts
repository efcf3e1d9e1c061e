/** Contract tests: the meeting repository against a real Azurite table service. */
import type { Meeting } from '../../domain/meetings';
import type { Repositories } from '../../domain/ports';
import { useFreshTables } from '../support/storage';

let repos: Repositories;

useFreshTables((t) => {
  repos = t.repositories;
});

const CHAT = '19:meeting_MDAwMDAwMDAtMTExMS00MjIyLTgzMzMtNDQ0NDQ0NDQ0NDQ0@thread.v2';
const OTHER_CHAT = '19:abcdef0123456789@thread.v2';

const meeting = (id: string, extra: Partial<Meeting> = {}): Meeting => ({
  programId: 'harnosand',
  id,
  conversationId: CHAT,
  title: 'Styrgruppsmöte – Åtgärder för ökad sysselsättning',
  startedAt: '2026-03-10T09:00:00.000Z',
  date: '2026-03-10',
  ...extra,
});

describe('meetings', () => {
  it('saves, reads back (Swedish characters, ids with / + =) and replaces', async () => {
    const id = 'MCMxOTptZWV0aW5nX01EQXdNREF3/TURBdE1URXhNUzAw+TWpJeUxUZ3pNek10TkRRME5EUTBORFEwTkRRMEB0aHJlYWQudjIjMA==';
    const saved = await repos.meetings.save(meeting(id));
    expect(saved.etag).toBeTruthy();
    expect(await repos.meetings.get('harnosand', id)).toMatchObject({ ...meeting(id), etag: saved.etag });
    await repos.meetings.save({
      ...saved,
      endedAt: '2026-03-10T10:30:00.000Z',
      participants: [{ name: 'Örjan Åberg', aadObjectId: 'a1' }],
      participantsSource: 'chat',
    });
    const ended = await repos.meetings.get('harnosand', id);
    expect(ended).toMatchObject({
      endedAt: '2026-03-10T10:30:00.000Z',
      participants: [{ name: 'Örjan Åberg', aadObjectId: 'a1' }],
      participantsSource: 'chat',
    });
    expect(await repos.meetings.get('harnosand', 'nope')).toBeUndefined();
    expect(await repos.meetings.get('other-program', id)).toBeUndefined();
  });

  it('lists a day earliest first and a conversation latest first, and nothing of another program', async () => {
    await repos.meetings.save(meeting('late', { startedAt: '2026-03-10T13:00:00.000Z' }));
    await repos.meetings.save(meeting('early', { startedAt: '2026-03-10T07:00:00.000Z', conversationId: OTHER_CHAT }));
    await repos.meetings.save(meeting('next-week', { startedAt: '2026-03-17T09:00:00.000Z', date: '2026-03-17' }));
    await repos.meetings.save({ ...meeting('elsewhere'), programId: 'sundsvall' });

    expect((await repos.meetings.listDate('harnosand', '2026-03-10')).map((m) => m.id)).toEqual(['early', 'late']);
    expect((await repos.meetings.listDate('harnosand', '2026-03-11')).map((m) => m.id)).toEqual([]);
    expect((await repos.meetings.listConversation('harnosand', CHAT)).map((m) => m.id)).toEqual(['next-week', 'late']);
    expect((await repos.meetings.listConversation('harnosand', OTHER_CHAT)).map((m) => m.id)).toEqual(['early']);
  });
});
