/** Problems worded in the reader's language, with their place in the file. */
import { formatIssue, issue } from '../../../domain/plan/issues';

describe('formatIssue', () => {
  it('formats issues without row or column', () => {
    expect(formatIssue(issue('a.csv', 'file.noRows'), 'en-US')).toBe('a.csv: the file has no rows below the header');
  });
});
