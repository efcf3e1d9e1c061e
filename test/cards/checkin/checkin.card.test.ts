/** The check-in cards validate as Adaptive Cards 1.5 in both languages, also at maximum sizes. */
import { cardBytes, MAX_CARD_BYTES } from '../../../cards/card';
import {
  CHECKIN_ACTIONS_PER_PAGE,
  checkInCard,
  checkInPageCount,
  checkInPointerCard,
} from '../../../cards/checkin/checkin.card';
import { validateCard } from '../../../cards/validate';
import type { CheckInActionView, CheckInView } from '../../../domain/checkin';
import { ACTION_STATUSES, type Locale } from '../../../domain/types';

const locales: Locale[] = ['sv-SE', 'en-US'];

/** Every field as long as it can be, with multi-byte letters (UTF-8 bytes count). */
const longAction = (i: number, extra: Partial<CheckInActionView> = {}): CheckInActionView => ({
  id: `KOMPETENS-${String(i).padStart(30, '0')}`.slice(0, 40),
  title: 'Åtgärd för ökad kompetensförsörjning i Härnösands kommun, särskilt inom vård och omsorg – '.repeat(20),
  owner: 'Åsa-Märta Öberg-Ståhlberg Johansson-Lindqvist '.repeat(5),
  due: '2026-12-31',
  status: ACTION_STATUSES[i % ACTION_STATUSES.length]!,
  progress: 100,
  overdue: true,
  answered: { by: 'Örjan Åkesson-Ängström Lindqvist '.repeat(5), date: '2026-11-24', time: '10:15' },
  ...extra,
});

const view = (n: number, extra: Partial<CheckInView> = {}): CheckInView => {
  const actions = Array.from({ length: n }, (_, i) => longAction(i));
  return {
    teamKey: 'kompetensforsorjning',
    teamName: 'Kompetensförsörjning',
    week: '2026-W48',
    actions,
    answered: n,
    total: n,
    followUps: [],
    ...extra,
  };
};

const followUps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    number: `D-2026-${String(i + 1).padStart(3, '0')}`,
    title: 'Uppföljning av markanvisning för batterifabrikens leverantörer '.repeat(5),
    owner: 'Åsa-Märta Öberg-Ståhlberg '.repeat(5),
    due: '2026-11-20',
    overdue: i % 2 === 0,
  }));

describe.each(locales)('steering follow-ups on the check-in card in %s', (locale) => {
  it('shows open follow-ups with a done button, on the first page, within the size limit at maximum sizes', () => {
    const full = view(40, { followUps: followUps(20) });
    const first = checkInCard(full, locale, { page: 0, notice: { tone: 'attention', text: 'Ö'.repeat(1200) } });
    expect(validateCard(first)).toEqual([]);
    expect(cardBytes(first)).toBeLessThan(MAX_CARD_BYTES);
    const json = JSON.stringify(first);
    expect(json).toContain('"verb":"checkin.followup.done"');
    expect(json.match(/"number":"D-2026-\d{3}"/g)).toHaveLength(4);
    expect(JSON.stringify(checkInCard(full, locale, { page: 1 }))).not.toContain('checkin.followup.done');
    expect(JSON.stringify(checkInCard(view(2), locale))).not.toContain('checkin.followup.done');
  });
});

describe.each(locales)('check-in card in %s', (locale) => {
  it('validates empty, with one action, and at maximum sizes on every page, under the size limit', () => {
    expect(validateCard(checkInCard(view(0), locale))).toEqual([]);
    const many = view(40);
    const pages = checkInPageCount(many);
    expect(pages).toBe(Math.ceil(40 / CHECKIN_ACTIONS_PER_PAGE));
    const notice = { tone: 'attention' as const, text: 'Ö'.repeat(1200) };
    for (let page = 0; page < pages; page++) {
      const c = checkInCard(many, locale, { page, notice });
      expect(validateCard(c)).toEqual([]);
      expect(cardBytes(c)).toBeLessThan(MAX_CARD_BYTES);
    }
  });

  it('shows team, week, state and one form per action with unique input ids carrying the verb data', () => {
    const v = view(2, {
      teamName: 'Bostäder',
      teamKey: 'bostader',
      actions: [
        {
          id: 'BOS-01',
          title: 'Saltvik',
          owner: 'Anna',
          due: '2026-11-01',
          status: 'at_risk',
          progress: 30,
          overdue: true,
        },
        {
          id: 'BOS-02',
          title: 'Kattastrand',
          owner: 'Bo',
          status: 'on_track',
          progress: 60,
          overdue: false,
          answered: { by: 'Bo Ek', date: '2026-11-24', time: '10:15' },
        },
      ],
      answered: 1,
      total: 2,
    });
    const c = checkInCard(v, locale);
    const json = JSON.stringify(c);
    expect(json).toContain(locale === 'sv-SE' ? 'Incheckning – Bostäder' : 'Check-in – Bostäder');
    expect(json).toContain(
      locale === 'sv-SE'
        ? 'vecka 48 2026 · 1 av 2 åtgärder uppdaterade denna vecka'
        : 'week 48 2026 · 1 of 2 actions updated this week',
    );
    expect(json).toContain(
      locale === 'sv-SE'
        ? 'Uppdaterad av Bo Ek, 24 november 2026 kl. 10:15'
        : 'Updated by Bo Ek, 24 November 2026 at 10:15',
    );
    expect(json).toContain('"color":"Warning"'); // at risk
    expect(json).toContain(locale === 'sv-SE' ? 'försenad' : 'overdue');
    const ids = [...json.matchAll(/"id":"([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'BOS-01.status',
      'BOS-01.progress',
      'BOS-01.comment',
      'BOS-01.blockers',
      'BOS-01.next',
      'BOS-01.highlight',
      'BOS-01.comms',
      'BOS-02.status',
      'BOS-02.progress',
      'BOS-02.comment',
      'BOS-02.blockers',
      'BOS-02.next',
      'BOS-02.highlight',
      'BOS-02.comms',
    ]);
    expect(json).toContain(
      '"verb":"checkin.answer","data":{"teamKey":"bostader","week":"2026-W48","actionId":"BOS-02","page":0,"verb":"checkin.answer"}',
    );
    expect(json).toContain('"maxLength":1000');
    expect(json).toContain('"isMultiline":true');
    expect(c.actions).toBeUndefined(); // one page: no paging buttons
  });

  it('pages with checkin.page buttons', () => {
    const c = checkInCard(view(CHECKIN_ACTIONS_PER_PAGE + 1), locale, { page: 1 });
    expect(c.actions?.map((a) => a.data)).toEqual([
      { teamKey: 'kompetensforsorjning', week: '2026-W48', page: 0, verb: 'checkin.page' },
    ]);
    expect(JSON.stringify(c).match(/"type":"Action.ShowCard"/g)).toHaveLength(1);
  });

  it('shows user text literally', () => {
    const c = checkInCard(
      view(1, { actions: [longAction(1, { title: '**fet** ${evil} [x](y)', owner: '_kursiv_' })] }),
      locale,
    );
    const json = JSON.stringify(c);
    expect(json).toMatch(/"type":"TextRun","text":"KOMPETENS-0+1 · \*\*fet\*\* \$\{evil\} \[x\]\(y\)"/);
    expect(json).toMatch(/"type":"TextRun","text":"[^"]*_kursiv_/);
  });

  it('pointer card validates', () => {
    const pointer = checkInPointerCard(
      {
        teamKey: 'bostader',
        teamName: 'Bostäder',
        week: '2026-W48',
        channelId: '19:x@thread.tacv2',
        postedDate: '2026-11-23',
        postedTime: '09:00',
        answered: 1,
        total: 3,
        url: 'https://teams.microsoft.com/l/message/x/1',
        otherChannel: 'Allmänt',
      },
      locale,
    );
    expect(validateCard(pointer)).toEqual([]);
    expect(JSON.stringify(pointer)).toContain('"verb":"checkin.repost"');
  });
});
