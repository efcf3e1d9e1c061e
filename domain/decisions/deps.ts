/** What the decision log works with: the program, its storage, the clock and the logger. */
import type { Logger, Repositories } from '../ports';
import type { Clock } from '../time';
import type { Program } from '../types';

export interface DecisionDeps {
  program: Program;
  repos: Repositories;
  clock: Clock;
  logger: Logger;
}
