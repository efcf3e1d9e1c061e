/**
 * The brief's card: valid Adaptive Card 1.5, a section per kind of item and none for an empty
 * one, one line for an all-clear week, links to the check-in cards and the decisions, user text
 * literal, and under Teams' message limit at its largest.
 */
import { CardFactory } from 'botbuilder';
import { briefCard, MAX_BRIEF_ITEMS } from '../../../cards/brief';
import { type AdaptiveCard, TEAMS_MESSAGE_MAX_BYTES } from '../../../cards/card';
import { validateCard } from '../../../cards/validate';
import type { Brief, BriefAction } from '../../../domain/brief';
import type { Locale } from '../../../domain/types';
import { DEFAULT_CHANNEL, DEFAULT_TENANT_ID } from '../../support/activities';

const HOSTILE = '**fet** [länk](http://evil.example) <at>Någon</at> ${process.env.SECRET} {{user.name}}';
const URL_BOS = `https://teams.microsoft.com/l/message/${encodeURIComponent('19:bostader@thread.tacv2')}/1763283600000?tenantId=${DEFAULT_TENANT_ID}&parentMessageId=1763283600000&createdTime=1763283600000`;

function action(over: Partial<BriefAction> = {}): BriefAction {
  return {
    id: 'BOS-02',
    title: 'Markanvisning Saltvik',
    teamKey: 'bostader',
    teamName: 'Bostäder',
    owner: 'Bo Berg',
    status: 'at_risk',
    flags: ['at_risk', 'overdue'],
    due: '2026-11-20',
    daysLate: 3,
    ...over,
  };
}

function brief(over: Partial<Brief> = {}): Brief {
  return {
    programId: 'harnosand',
    programName: 'Kraftsamling Härnösand',
    date: '2026-11-23',
    period: '2026-W47',
    generatedAt: '2026-11-23T06:30:30.000Z',
    actions: [
      action({ comment: { text: HOSTILE, by: 'Bo Berg', date: '2026-11-17' } }),
      action({
        id: 'IND-02',
        teamKey: 'industrimark',
        teamName: 'Industrimark',
        status: 'off_track',
        flags: ['off_track'],
        daysLate: undefined,
        owner: 'Dan Ek',
      }),
    ],
    followUps: [
      {
        number: 'D-2026-001',
        title: 'Prioritera Saltvik',
        owner: 'Eva Ek',
        due: '2026-11-20',
        daysLate: 3,
        teams: [{ key: 'bostader', name: 'Bostäder' }],
        state: 'active',
      },
    ],
    indicators: [
      {
        id: 'ARB',
        name: 'Arbetslöshet',
        unit: '%',
        latest: { period: '2026', value: 7.8 },
        target: 6,
        targetYear: 2030,
      },
    ],
    silentTeams: [{ key: 'trygghet', name: 'Trygghet', asked: 1 }],
    checkIns: {
      bostader: {
        teamKey: 'bostader',
        week: '2026-W47',
        channelId: '19:bostader@thread.tacv2',
        messageId: '1763283600000',
      },
    },
    allClear: false,
    ...over,
  };
}

type Element = Record<string, unknown> & { type: string };
/** Every element of the card, depth first. */
function elements(c: AdaptiveCard): Element[] {
  const out: Element[] = [];
  const walk = (list: unknown[]) => {
    for (const e of list as Element[]) {
      out.push(e);
      if (Array.isArray(e.items)) walk(e.items);
    }
  };
  walk(c.body);
  return out;
}
/** The card's words, in order: TextBlocks' text and the TextRuns of each RichTextBlock joined. */
function lines(c: AdaptiveCard): string[] {
  return elements(c).flatMap((e) =>
    e.type === 'TextBlock'
      ? [e.text as string]
      : e.type === 'RichTextBlock'
        ? [(e.inlines as { text: string }[]).map((r) => r.text).join('')]
        : [],
  );
}

describe.each(['sv-SE', 'en-US'] as Locale[])('the brief card in %s', (locale) => {
  it('is a valid 1.5 card with no text key or placeholder left', () => {
    const c = briefCard({ brief: brief(), checkInUrls: { bostader: URL_BOS } }, locale);
    expect(validateCard(c)).toEqual([]);
    expect(JSON.stringify(c)).not.toMatch(/brief\.|status\.|\{\w+\}/);
  });
});

describe('the brief card', () => {
  it('shows each section with its items, owner and latest comment; the rows link to the check-in and the decision', () => {
    const c = briefCard({ brief: brief(), checkInUrls: { bostader: URL_BOS } }, 'sv-SE');
    expect(lines(c)).toEqual([
      'Inför styrgruppens möte – 23 november 2026',
      'Kraftsamling Härnösand · svaren från incheckningen vecka 47 2026',
      'Åtgärder med risk, avvikelse eller försening (2)',
      'BOS-02 Markanvisning Saltvik  Risk · försenad 3 dagar',
      'Ansvarig: Bo Berg · Bostäder · slutdatum 20 november 2026',
      `Senaste kommentar (Bo Berg, 17 november 2026): ${HOSTILE}`,
      'IND-02 Markanvisning Saltvik  Avviker',
      'Ansvarig: Dan Ek · Industrimark · slutdatum 20 november 2026',
      'Ingen kommentar i senaste svaret.',
      'Uppföljningar som förfaller (1)',
      'D-2026-001 Prioritera Saltvik',
      'Ansvarig: Eva Ek · förföll 20 november 2026, 3 dagar sedan',
      'Berör: Bostäder',
      'Indikatorer som inte går mot målet (1)',
      'Arbetslöshet',
      'Senast 7,8 % (2026), mål 6 % till 2030',
      'Team som inte svarat på incheckningen vecka 47 (1)',
      'Trygghet – 1 åtgärd utan svar',
      'Tryck på en rad för att öppna teamets incheckning eller beslutet.',
    ]);
    const links = elements(c)
      .filter((e) => e.selectAction)
      .map((e) => e.selectAction);
    expect(links).toEqual([
      { type: 'Action.OpenUrl', title: 'Öppna incheckningen', url: URL_BOS },
      {
        type: 'Action.Execute',
        title: 'Visa beslutet',
        verb: 'decision.show',
        data: { number: 'D-2026-001', verb: 'decision.show' },
      },
    ]);
  });

  it("puts what people wrote into TextRuns only, as typed: no Markdown, link or mention in the bot's voice", () => {
    const c = briefCard(
      {
        brief: brief({
          actions: [
            action({ title: HOSTILE, owner: HOSTILE, comment: { text: HOSTILE, by: HOSTILE, date: '2026-11-17' } }),
          ],
        }),
        checkInUrls: {},
      },
      'sv-SE',
    );
    const blocks = elements(c)
      .filter((e) => e.type === 'TextBlock')
      .map((e) => e.text as string);
    expect(blocks.some((b) => b.includes('evil.example') || b.includes('**'))).toBe(false);
    const runs = elements(c)
      .filter((e) => e.type === 'RichTextBlock')
      .flatMap((e) => e.inlines as { type: string; text: string }[]);
    expect(runs.every((r) => r.type === 'TextRun')).toBe(true);
    // The title and the comment whole; owner and author cut to their room, still in TextRuns.
    expect(runs.filter((r) => r.text === HOSTILE).length).toBe(2);
    expect(runs.filter((r) => r.text.includes(HOSTILE.slice(0, 60))).length).toBe(4);
  });

  it('leaves empty sections out, and drops the hint when nothing links', () => {
    const c = briefCard({ brief: brief({ actions: [], followUps: [], silentTeams: [] }), checkInUrls: {} }, 'sv-SE');
    expect(lines(c)).toEqual([
      'Inför styrgruppens möte – 23 november 2026',
      'Kraftsamling Härnösand · svaren från incheckningen vecka 47 2026',
      'Indikatorer som inte går mot målet (1)',
      'Arbetslöshet',
      'Senast 7,8 % (2026), mål 6 % till 2030',
    ]);
  });

  it('says an all-clear week in one line', () => {
    const c = briefCard(
      {
        brief: brief({ actions: [], followUps: [], indicators: [], silentTeams: [], checkIns: {}, allClear: true }),
        checkInUrls: {},
      },
      'en-US',
    );
    expect(validateCard(c)).toEqual([]);
    expect(lines(c)).toEqual([
      'Before the steering group meeting – 23 November 2026',
      'Kraftsamling Härnösand · answers from the check-in of week 47 2026',
      'Nothing to bring up at the meeting: no actions at risk, off track or overdue, no follow-ups due, the indicators are moving toward their targets and every team has answered.',
    ]);
  });

  it(`shows the first ${MAX_BRIEF_ITEMS} of a section and counts the rest`, () => {
    const many = Array.from({ length: MAX_BRIEF_ITEMS + 5 }, (_, i) =>
      action({ id: `BOS-${String(i).padStart(2, '0')}` }),
    );
    const c = briefCard({ brief: brief({ actions: many }), checkInUrls: {} }, 'sv-SE');
    expect(lines(c).filter((l) => l.startsWith('BOS-'))).toHaveLength(MAX_BRIEF_ITEMS);
    expect(lines(c)).toContain('… och 5 till');
  });

  it('stays under the Teams message limit at its largest: every section full, every text at its longest, the heaviest letters', () => {
    const heavy = (n: number) => '€"\n'.repeat(Math.ceil(n / 3)).slice(0, n);
    const n = MAX_BRIEF_ITEMS + 50;
    const url = `https://teams.microsoft.com/l/message/${encodeURIComponent(DEFAULT_CHANNEL.id)}/1763283600000?tenantId=${DEFAULT_TENANT_ID}&parentMessageId=1763283600000&createdTime=1763283600000`;
    const big = brief({
      programName: heavy(120),
      actions: Array.from({ length: n }, (_, i) =>
        action({
          id: `KOMPETENS-${String(i).padStart(30, '0')}`.slice(0, 40),
          title: heavy(2000),
          owner: heavy(500),
          teamName: heavy(80),
          timeline: heavy(200),
          teamKey: `team${i}`,
          comment: { text: heavy(5000), by: heavy(500), date: '2026-11-17' },
        }),
      ),
      followUps: Array.from({ length: n }, (_, i) => ({
        number: `D-2026-${String(i).padStart(3, '0')}`,
        title: heavy(2000),
        owner: heavy(1000),
        due: '2026-11-20',
        daysLate: 3,
        teams: Array.from({ length: 9 }, () => ({ key: 'x', name: heavy(80) })),
        state: 'amended' as const,
      })),
      indicators: Array.from({ length: n }, () => ({
        id: 'X',
        name: heavy(500),
        unit: heavy(50),
        latest: { period: heavy(40), value: 123456789.123 },
        target: 987654321.5,
        targetYear: 2030,
      })),
      silentTeams: Array.from({ length: n }, (_, i) => ({ key: `team${i}`, name: heavy(200), asked: 200 })),
    });
    const urls = Object.fromEntries(Array.from({ length: n }, (_, i) => [`team${i}`, url]));
    const c = briefCard({ brief: big, checkInUrls: urls }, 'sv-SE');
    expect(validateCard(c)).toEqual([]);
    // Every section still has a share of the room, and says how many it left out.
    const texts = lines(c);
    expect(texts.filter((l) => l.startsWith('… och '))).toHaveLength(4);
    for (const prefix of ['KOMPETENS-', 'D-2026-'])
      expect(texts.filter((l) => l.startsWith(prefix)).length).toBeGreaterThan(0);
    const activity = {
      type: 'message',
      channelId: 'msteams',
      conversation: { id: `${DEFAULT_CHANNEL.id};messageid=1763283600000`, tenantId: DEFAULT_TENANT_ID },
      summary: heavy(120),
      attachments: [CardFactory.adaptiveCard(c)],
    };
    const bytes = Buffer.byteLength(JSON.stringify(activity), 'utf8');
    console.log(
      `Largest brief message activity: ${(bytes / 1024).toFixed(1)} KB (limit ${TEAMS_MESSAGE_MAX_BYTES / 1024} KB)`,
    );
    expect(bytes).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES);
  });
});
