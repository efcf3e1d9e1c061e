/**
 * Why a decision, its form, a reason or a filter was refused, as text keys with their parameters:
 * the domain names the problem, the bot and the cards put it into words in the user's language.
 */
import { ValidationError } from '../errors';
import type { Params, TextKey } from '../i18n';

export interface DecisionProblem {
  key: TextKey;
  params?: Params;
  /** A text key whose words fill `{field}` (the form field at fault). */
  fieldKey?: TextKey;
}

/** The error a refused decision throws: `details.problems` lists every problem found, in order. */
export function invalidDecision(problems: DecisionProblem[]): ValidationError {
  return new ValidationError(`invalid decision: ${problems.length} problem(s)`, { problems });
}
