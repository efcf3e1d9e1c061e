/**
 * The plan import card on its own: valid Adaptive Card 1.5 in every phase and both languages,
 * everything from the file in TextRuns, and under the card limit with every list at its longest.
 */
import { MAX_CARD_BYTES, cardBytes } from '../../../cards/card';
import { planImportCard, type PlanImportPhase, type PlanImportView } from '../../../cards/plan/import.card';
import { validateCard } from '../../../cards/validate';
import type { Locale } from '../../../domain/types';

const long = (n: number, i: number) =>
  `${'Ärende med ett långt namn [länk](https://evil.example) **fet** '.repeat(20).slice(0, n)} ${i}`;

function view(phase: PlanImportPhase, n: number): PlanImportView {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `BOS-${String(i + 1).padStart(3, '0')}`,
    title: long(200, i),
    row: i + 2,
    fields: ['titel', 'slutdatum', 'ansvarig'],
  }));
  return {
    fileName: '[plan](https://evil.example).xlsx',
    kind: 'plan',
    sheet: 'Handlingsplan',
    rows: n,
    phase,
    by: 'Ada Admin',
    date: '23 november 2026',
    added: items,
    changed: items,
    retired: items,
    unchanged: 3,
    notInFile: 2,
    errors: phase === 'refused' ? items.map((i) => `plan.xlsx, rad ${i.row}, kolumn "Team": ${long(400, i.row)}`) : [],
    warnings: items.map((i) => `plan.xlsx, rad ${i.row}: ${long(300, i.row)}`),
    ...(phase === 'preview' ? { upload: { uploadId: '0'.repeat(32), hash: 'f'.repeat(64) } } : {}),
  };
}

describe.each<Locale>(['sv-SE', 'en-US'])('the plan import card (%s)', (locale) => {
  const phases: PlanImportPhase[] = ['preview', 'refused', 'applied', 'already', 'cancelled', 'changed', 'failed'];

  it.each(phases)('%s: valid, under the limit with 2 000 lines in every list', (phase) => {
    const card = planImportCard(view(phase, 2000), locale);
    expect(validateCard(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).toMatch(locale === 'sv-SE' ? /och \d+ till/ : /and \d+ more/);
  });

  it('shows the file name and titles as typed, in TextRuns only', () => {
    const card = planImportCard(view('preview', 3), locale);
    const json = JSON.stringify(card);
    for (const block of card.body.filter((b) => b.type === 'TextBlock'))
      expect(JSON.stringify(block)).not.toContain('evil.example');
    expect(json).toContain('"type":"TextRun","text":"BOS-001 · Ärende med ett långt namn [länk](https://evil.example)');
    expect(json).toContain('[plan](https://evil.example).xlsx');
  });

  it('offers Importera and Avbryt only with an upload', () => {
    const verbs = (v: PlanImportView) => (planImportCard(v, locale).actions ?? []).map((a) => a.verb);
    expect(verbs(view('preview', 1))).toEqual(['plan.import', 'plan.cancel']);
    expect(verbs(view('refused', 1))).toEqual([]);
    expect(verbs(view('applied', 1))).toEqual([]);
  });
});
