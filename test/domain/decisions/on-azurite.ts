/**
 * The setup the decision service tests share: Azurite for the whole file, fresh tables for each
 * test, the program, a fixed clock (Tuesday 10 March 2026) and a plain draft.
 */
import type { DecisionDraft } from '../../../domain/decisions/form';
import type { Repositories } from '../../../domain/ports';
import { loadProgram } from '../../../domain/program';
import { fixedClock } from '../../../domain/time';
import { silentLogger } from '../../../bot/logger';
import { startTestStorage, type TestStorage } from '../../support/storage';

export const program = loadProgram();
export const clock = fixedClock('2026-03-10T10:00:00Z');

export const draft: DecisionDraft = {
  title: 'Rubrik',
  text: 'Text',
  rationale: '',
  meeting: { name: 'Styrgruppsmöte', date: '2026-03-10' },
  affectedTeams: ['bostader'],
  affectedActions: [],
};

/** Starts Azurite for the file (call at the top of a describe); `repos()` is fresh in each test. */
export function decisionsOnAzurite() {
  let storage: TestStorage;
  let repos: Repositories;
  beforeAll(async () => {
    storage = await startTestStorage();
  });
  afterAll(async () => {
    await storage?.stop();
  });
  beforeEach(async () => {
    repos = (await storage.fresh()).repositories;
  });
  return {
    repos: () => repos,
    deps: () => ({ program, repos, clock, logger: silentLogger() }),
  };
}
