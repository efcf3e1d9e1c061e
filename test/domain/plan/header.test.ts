/** Mapping a file's header to the columns an importer knows. */
import { formatIssue } from '../../../domain/plan/issues';
import { mapHeader } from '../../../domain/plan/header';
import type { Table } from '../../../domain/plan/table';

describe('mapHeader', () => {
  const table = (header: string[]): Table => ({
    file: 'f.csv',
    format: 'csv',
    headerRow: 1,
    header,
    rows: [],
    warnings: [],
  });
  const specs = [
    { key: 'team', names: ['Team'], required: true },
    { key: 'title', names: ['Insats', 'Åtgärd', 'Action'], required: true },
    { key: 'email', names: ['E-post', 'Email'] },
  ] as const;

  it('matches case-, accent- and punctuation-insensitively and warns about unknown columns', () => {
    const m = mapHeader(table([' TEAM ', 'åtgärd', 'epost', 'Kommentar']), specs);
    expect(m.columns).toEqual({
      team: { index: 0, label: ' TEAM ' },
      title: { index: 1, label: 'åtgärd' },
      email: { index: 2, label: 'epost' },
    });
    expect(m.errors).toEqual([]);
    expect(m.warnings.map((w) => formatIssue(w))).toEqual([
      'f.csv, rad 1, kolumn "Kommentar": okänd kolumn, hoppas över',
    ]);
  });

  it('names a missing required column and a duplicate one', () => {
    const m = mapHeader(table(['Team', 'E-post', 'Email']), specs);
    expect(m.errors.map((e) => formatIssue(e))).toEqual([
      'f.csv, rad 1, kolumn "Email": kolumnen finns två gånger (även kolumn "E-post")',
      'f.csv, rad 1, kolumn "Insats": kolumnen "Insats" saknas (även: Åtgärd, Action)',
    ]);
    expect(formatIssue(m.errors[1]!, 'en-US')).toBe(
      'f.csv, row 1, column "Insats": the column "Insats" is missing (also: Åtgärd, Action)',
    );
  });
});
