import { decisionLogPagePayload } from '../../cards/verbs';

describe('card payloads', () => {
  it('the decision log page accepts real dates only', () => {
    const base = { from: '2026-01-01', to: '2026-06-30', period: 'range', page: 1 };
    expect(decisionLogPagePayload.safeParse(base).success).toBe(true);
    expect(decisionLogPagePayload.safeParse({ ...base, to: '2026-04-31' }).success).toBe(false);
    expect(decisionLogPagePayload.safeParse({ ...base, from: '2026-02-30' }).success).toBe(false);
    expect(decisionLogPagePayload.safeParse({ ...base, from: '2028-02-29' }).success).toBe(true);
  });
});
