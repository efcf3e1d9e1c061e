/** Every decision card validates as Adaptive Card 1.5 in both languages and stays under Teams' size limit. */
import { cardBytes, MAX_CARD_BYTES, type AdaptiveCard } from '../../../cards/card';
import { decisionCard, revokeFormCard } from '../../../cards/decisions/decision.card';
import { decisionFormCard } from '../../../cards/decisions/form.card';
import { decisionLogCard, DECISIONS_PER_PAGE, describeFilter } from '../../../cards/decisions/log.card';
import { decisionNoticeCard, decisionNoticeMessage } from '../../../cards/decisions/notice.card';
import { validateCard } from '../../../cards/validate';
import { has, lacks, lacksMatch, matches } from '../../support/text-expect';
import {
  decisionView,
  emptyFormValues,
  formValuesOf,
  logItemOf,
  noticeView,
  type DecisionLogItem,
} from '../../../domain/decisions';
import { loadProgram } from '../../../domain/program';
import type { Decision, DecisionRevision, Locale } from '../../../domain/types';

const program = loadProgram();
const locales: Locale[] = ['sv-SE', 'en-US'];
const teams = program.teams.map((x) => ({ key: x.key, name: x.name }));

const decision = (extra: Partial<Decision> = {}): Decision => ({
  programId: 'harnosand',
  number: 'D-2026-004',
  year: 2026,
  sequence: 4,
  title: 'Bostadsbyggandet i Saltvik prioriteras **nu** ${evil}',
  text: 'Styrgruppen beslutar att detaljplanen för Saltvik ges förtur.\n- punkt ett\n1. [länk](http://x)',
  rationale: 'Företagen behöver bostäder åt sina anställda.',
  meeting: { name: 'Styrgruppsmöte *5*', date: '2026-03-10' },
  affectedTeams: ['bostader', 'industrimark'],
  affectedActions: ['BOS-03', 'IND-01'],
  followUp: { owner: 'Karin Ås', due: '2026-03-01', done: false },
  loggedBy: 'Anna Styrgren',
  loggedAt: '2026-03-10T09:15:00.000Z',
  state: 'active',
  history: [],
  etag: 'W/"datetime\'2026-03-10T09%3A15%3A00.0000000Z\'"',
  ...extra,
});

const revision = (i: number, change: DecisionRevision['change'] = 'amended'): DecisionRevision => ({
  at: `2026-03-${String(11 + (i % 15)).padStart(2, '0')}T10:00:00.000Z`,
  by: 'Bertil Ek',
  change,
  reason: `Skäl ${i}: ${'justering '.repeat(20)}`,
  previous: { title: `Rubrik ${i}`, text: `Tidigare text ${i} `.repeat(250), rationale: 'x'.repeat(500) },
});

function check(c: AdaptiveCard): string {
  expect(validateCard(c)).toEqual([]);
  expect(cardBytes(c)).toBeLessThan(MAX_CARD_BYTES);
  const s = JSON.stringify(c);
  // Every text key was found and every placeholder filled.
  // (Matches, not the whole card, in the failure message; `${evil}` is the fixtures' user text.)
  expect(s.match(/"(?:text|title|label|placeholder|errorMessage|fallbackText)":"[^"]*(?<!\$)\{\w+\}/)).toBeNull();
  expect(s.match(/"(?:text|title|label|placeholder|errorMessage)":"decision\.[a-z]/)).toBeNull();
  return s;
}

describe.each(locales)('decision cards in %s', (locale) => {
  it('the new-decision form: empty, pre-filled, with a problem', () => {
    const empty = check(
      decisionFormCard(
        {
          mode: 'new',
          formId: 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
          values: emptyFormValues('2026-03-10', program),
          teams,
        },
        locale,
      ),
    );
    has(empty, '"type":"Input.Date","id":"meetingDate"');
    has(empty, '"value":"2026-03-10"');
    has(empty, '"isMultiSelect":true');
    lacks(empty, '"id":"reason"');
    const values = {
      ...emptyFormValues('2026-03-10', program),
      title: 'x'.repeat(200),
      text: 'y'.repeat(4000),
      rationale: 'z'.repeat(2000),
      teams: 'bostader,trygghet',
      followUpDue: 'inte ett datum',
    };
    const withProblem = check(
      decisionFormCard(
        {
          mode: 'new',
          formId: 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
          values,
          teams,
          problem: 'Rubrik **får** vara högst 200 tecken.',
        },
        locale,
      ),
    );
    has(withProblem, '"type":"TextRun","text":"Rubrik **får** vara högst 200 tecken."');
    has(withProblem, '"value":"bostader,trygghet"');
    lacks(withProblem, 'inte ett datum'); // Input.Date takes a date or nothing
  });

  it('the amend form asks for a reason and carries number and etag', () => {
    const d = decision();
    const s = check(
      decisionFormCard({ mode: 'amend', number: d.number, etag: d.etag, values: formValuesOf(d), teams }, locale),
    );
    has(s, '"id":"reason"');
    has(s, 'D-2026-004');
    has(s, '"verb":"decision.amend.save"');
    has(s, '"associatedInputs":"none"');
  });

  it('the decision card: active with an overdue follow-up, user text literal, edit buttons only when asked', () => {
    const view = decisionView(decision(), program, '2026-03-20');
    const editable = check(
      decisionCard(view, locale, {
        canEdit: true,
        notice: { text: 'Beslutet är loggat som D-2026-004.', tone: 'good' },
      }),
    );
    has(editable, '"type":"TextRun","text":"Bostadsbyggandet i Saltvik prioriteras **nu** ${evil}"');
    has(editable, 'Styrgruppsmöte \\\\*5\\\\*'); // escaped in the FactSet
    has(editable, locale === 'en-US' ? 'overdue' : 'försenad');
    matches(editable, /"verb":"decision.amend"/);
    matches(editable, /"verb":"decision.revoke"/);
    matches(editable, /"verb":"decision.followup.done"/);
    const readOnly = check(decisionCard(view, locale, { canEdit: false }));
    lacksMatch(readOnly, /"verb":"decision.amend"/);
    matches(readOnly, /"verb":"decision.followup.done"/);
  });

  it('amended and revoked decisions show their history; a long history is cut to fit', () => {
    const amended = check(
      decisionCard(
        decisionView(decision({ state: 'amended', history: [revision(1)] }), program, '2026-03-20'),
        locale,
        { canEdit: true },
      ),
    );
    has(amended, locale === 'en-US' ? 'History (1)' : 'Historik (1)');
    has(amended, 'Rubrik 1');
    const revoked = decision({
      state: 'revoked',
      history: [revision(1), revision(2, 'revoked')],
      followUp: { owner: 'Karin', done: true, doneBy: 'Olle', doneAt: '2026-03-12T08:00:00.000Z' },
    });
    const r = check(decisionCard(decisionView(revoked, program, '2026-03-20'), locale, { canEdit: true }));
    lacksMatch(r, /"verb":"decision.(amend|revoke|followup.done)"/);
    has(r, locale === 'en-US' ? 'Revoked' : 'Upphävt');
    has(r, '"strikethrough":true');

    const long = decision({
      state: 'amended',
      text: 'å'.repeat(4000),
      rationale: 'ä'.repeat(2000),
      history: Array.from({ length: 40 }, (_, i) => revision(i)),
    });
    const cut = check(decisionCard(decisionView(long, program, '2026-03-20'), locale, { canEdit: true }));
    has(cut, locale === 'en-US' ? 'History (40)' : 'Historik (40)');
    matches(cut, locale === 'en-US' ? /and \d+ earlier changes/ : /och \d+ äldre ändringar/);
    has(cut, 'Skäl 39'); // the newest revision is shown
  });

  it('the revoke card asks for a reason', () => {
    const s = check(
      revokeFormCard({ number: 'D-2026-004', title: 'Rubrik', etag: 'W/"x"', problem: 'Skäl måste fyllas i.' }, locale),
    );
    has(s, '"id":"reason"');
    has(s, '"isRequired":true');
    has(s, '"verb":"decision.revoke.save"');
  });

  it('the log: empty, and many long decisions paged under the size limit', () => {
    const filter = { from: '2025-01-01', to: '2026-12-31', period: 'default' as const };
    check(decisionLogCard({ items: [], filterLabel: '2025–2026', filter }, locale));
    const items: DecisionLogItem[] = Array.from({ length: 35 }, (_, i) =>
      logItemOf(
        decision({
          number: `D-2026-${String(35 - i).padStart(3, '0')}`,
          title: 'R'.repeat(200),
          text: 'Ö'.repeat(4000),
          state: i % 3 === 0 ? 'revoked' : 'active',
        }),
        program,
      ),
    );
    const first = check(decisionLogCard({ items, filterLabel: '2025–2026', filter }, locale, 0));
    expect(first.match(/"text":"D-2026-\d{3} · /g)).toHaveLength(DECISIONS_PER_PAGE);
    has(first, '"selectAction":{"type":"Action.Execute"');
    const last = decisionLogCard(
      { items, filterLabel: 'Bostäder · 2026', filter: { ...filter, team: 'bostader' } },
      locale,
      3,
    );
    check(last);
    expect(JSON.stringify(last).match(/"text":"D-2026-\d{3} · /g)).toHaveLength(5);
    expect(last.actions?.map((a) => a.data)).toEqual([
      { ...filter, team: 'bostader', page: 2, verb: 'decision.log.page' },
    ]);
  });

  it('the notice to the teams: logged with a follow-up, amended with a reason, revoked', () => {
    const d = decision({ text: 'Lång text. '.repeat(400) });
    const logged = check(decisionNoticeCard(noticeView(d, program, 'bostader', 'logged'), locale));
    has(logged, 'D-2026-004 · Bostadsbyggandet');
    has(logged, 'Karin Ås');
    has(logged, 'Bostäder');
    const amended = check(
      decisionNoticeCard(
        noticeView({ ...d, state: 'amended', history: [revision(1)] }, program, 'bostader', 'amended'),
        locale,
      ),
    );
    has(amended, 'Skäl 1');
    const revoked = check(
      decisionNoticeCard(
        noticeView({ ...d, state: 'revoked', history: [revision(1, 'revoked')] }, program, 'industrimark', 'revoked'),
        locale,
      ),
    );
    lacks(revoked, 'Karin Ås'); // a revoked decision has no follow-up left
    expect(decisionNoticeMessage(noticeView(d, program, 'bostader', 'logged'), locale).summary).toBe(
      'D-2026-004: Bostadsbyggandet i Saltvik prioriteras **nu** ${evil}',
    );
  });
});

describe('what the log lists, in words', () => {
  it('names the team and the period as it was asked for', () => {
    expect(
      describeFilter({ from: '2025-01-01', to: '2026-12-31', period: { kind: 'default' } }, program, 'sv-SE'),
    ).toBe('2025–2026');
    expect(
      describeFilter(
        { from: '2026-01-01', to: '2026-12-31', teamKey: 'bostader', period: { kind: 'year', year: 2026 } },
        program,
        'sv-SE',
      ),
    ).toBe('Bostäder · 2026');
    expect(
      describeFilter(
        { from: '2026-11-16', to: '2026-11-22', period: { kind: 'week', week: '2026-W47' } },
        program,
        'sv-SE',
      ),
    ).toBe('vecka 47 2026');
    expect(
      describeFilter(
        { from: '2026-11-16', to: '2026-11-22', period: { kind: 'week', week: '2026-W47' } },
        program,
        'en-US',
      ),
    ).toBe('week 47 2026');
    expect(describeFilter({ from: '2026-01-01', to: '2026-06-30', period: { kind: 'range' } }, program, 'sv-SE')).toBe(
      '1 januari 2026 – 30 juni 2026',
    );
    expect(describeFilter({ from: '2026-01-01', to: '2026-06-30' }, program, 'en-US')).toBe(
      '1 January 2026 – 30 June 2026',
    );
  });
});

describe('superseded decisions', () => {
  const replaced = decision({
    state: 'superseded',
    supersededBy: 'D-2026-009',
    history: [
      {
        at: '2026-04-02T08:00:00.000Z',
        by: 'Anna Styrgren',
        change: 'superseded',
        reason: '',
        supersededBy: 'D-2026-009',
        previous: { title: 'x', text: 'y', rationale: '' },
      },
    ],
  });

  it('shows both pointers, the state and the replacement in the history; a replaced decision has no amend, revoke or follow-up buttons', () => {
    const s = check(decisionCard(decisionView(replaced, program, '2026-04-03'), 'sv-SE', { canEdit: true }));
    has(s, '"text":"Ersatt"');
    has(s, '{"title":"Ersatt av","value":"D-2026-009"}');
    has(s, 'Ersatt 2 april 2026 10:00 av D-2026-009 (loggat av Anna Styrgren)');
    lacks(s, '"verb":"decision.amend"');
    lacks(s, '"verb":"decision.revoke"');
    lacks(s, '"verb":"decision.followup.done"');
    const later = check(
      decisionCard(
        decisionView(decision({ number: 'D-2026-009', supersedes: 'D-2026-004' }), program, '2026-04-03'),
        'en-US',
        { canEdit: true },
      ),
    );
    has(later, '{"title":"Replaces","value":"D-2026-004"}');
    has(later, '"verb":"decision.amend"');
  });

  it('says "ersatt av" / "ersätter" in the log and names the replaced decision in the notice', () => {
    const items = [
      logItemOf(decision({ number: 'D-2026-009', supersedes: 'D-2026-004' }), program),
      logItemOf(replaced, program),
    ];
    const s = check(
      decisionLogCard(
        { items, filterLabel: '2026', filter: { from: '2026-01-01', to: '2026-12-31', period: 'year' } },
        'sv-SE',
      ),
    );
    has(s, 'ersätter D-2026-004');
    has(s, 'ersatt av D-2026-009');
    const notice = check(
      decisionNoticeCard(
        noticeView(decision({ number: 'D-2026-009', supersedes: 'D-2026-004' }), program, 'bostader', 'logged'),
        'sv-SE',
      ),
    );
    has(notice, '{"title":"Ersätter","value":"D-2026-004"}');
  });

  it('asks in the new-decision form which decision it replaces, not in the amendment form', () => {
    for (const locale of locales) {
      const form = check(
        decisionFormCard(
          { mode: 'new', formId: 'f-12345678', values: emptyFormValues('2026-03-10', program), teams },
          locale,
        ),
      );
      has(form, '"id":"supersedes"');
      lacks(
        check(
          decisionFormCard({ mode: 'amend', number: 'D-2026-004', values: formValuesOf(decision()), teams }, locale),
        ),
        '"id":"supersedes"',
      );
    }
  });

  it('opened as a dialog, saves with an Action.Submit carrying the form id and shows the extra inputs', () => {
    const extra = [
      {
        type: 'Input.ChoiceSet',
        id: 'postTo',
        label: 'Var',
        isRequired: true,
        errorMessage: 'Välj',
        choices: [{ title: 'Här', value: 'here' }],
      },
    ];
    const c = decisionFormCard(
      {
        mode: 'new',
        formId: 'f-12345678',
        values: emptyFormValues('2026-03-10', program),
        teams,
        dialog: { data: {}, extra },
      },
      'sv-SE',
    );
    const s = check(c);
    expect(c.actions).toEqual([
      { type: 'Action.Submit', title: 'Logga beslutet', data: { formId: 'f-12345678' }, style: 'positive' },
    ]);
    has(s, '"id":"postTo"');
    lacks(s, 'Action.Execute');
  });
});
