/** The add/edit action form: its limits, checking what it sends back, and the id a new action gets. */
import { inputText, type Problem } from '../card-input';
import { ValidationError } from '../errors';
import { parseLocalDate } from '../time';

/** Limits of the add/edit action form (the card sets them as `maxLength`; values are checked again). */
export const ACTION_EDIT_LIMITS = { title: 200, ownerName: 100, ownerEmail: 254, description: 2000 } as const;

export interface ActionFormValues {
  title: string;
  ownerName: string;
  ownerEmail: string;
  /** `YYYY-MM-DD`, or what the person typed when it was refused. */
  due: string;
  description: string;
}

export interface ParsedActionForm {
  title: string;
  owner: { name: string; email?: string };
  due?: string;
  description: string;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function parseActionForm(
  values: Partial<ActionFormValues>,
): { ok: true; value: ParsedActionForm } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const title = inputText(values.title).replace(/\s+/g, ' ');
  if (title.length === 0 || title.length > ACTION_EDIT_LIMITS.title)
    problems.push({ key: 'actionEdit.invalid.title', params: { max: ACTION_EDIT_LIMITS.title } });
  const ownerName = inputText(values.ownerName).replace(/\s+/g, ' ');
  if (ownerName.length > ACTION_EDIT_LIMITS.ownerName)
    problems.push({ key: 'actionEdit.invalid.ownerName', params: { max: ACTION_EDIT_LIMITS.ownerName } });
  const ownerEmail = inputText(values.ownerEmail);
  if (ownerEmail && (ownerEmail.length > ACTION_EDIT_LIMITS.ownerEmail || !EMAIL.test(ownerEmail))) {
    problems.push({ key: 'actionEdit.invalid.ownerEmail', params: { value: ownerEmail.slice(0, 80) } });
  }
  const rawDue = inputText(values.due);
  let due: string | undefined;
  if (rawDue) {
    try {
      due = parseLocalDate(rawDue);
    } catch (err) {
      const notADate = err instanceof ValidationError && err.details.expected !== undefined;
      problems.push({
        key: notADate ? 'actionEdit.invalid.dueFormat' : 'actionEdit.invalid.dueMissing',
        params: { value: rawDue.slice(0, 40) },
      });
    }
  }
  const description = inputText(values.description);
  if (description.length > ACTION_EDIT_LIMITS.description)
    problems.push({ key: 'actionEdit.invalid.description', params: { max: ACTION_EDIT_LIMITS.description } });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      title,
      owner: ownerEmail ? { name: ownerName, email: ownerEmail } : { name: ownerName },
      due,
      description,
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The next free id for a team: its prefix and one more than the highest number in use (`BOS-08`). */
export function nextActionId(prefix: string, existingIds: Iterable<string>, skip = 0): string {
  let max = 0;
  const re = new RegExp(`^${prefix}-(\\d+)$`, 'i');
  for (const id of existingIds) {
    const m = re.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}-${pad(max + 1 + skip)}`;
}
