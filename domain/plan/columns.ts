/**
 * The columns a plan may have, by the names municipalities use (Swedish and English), the
 * status words, the import's limits and its flags, and an id as the program spells it.
 */
import { foldName } from '../program';
import { type ColumnSpec } from './header';
import { ACTION_STATUSES, type ActionStatus, type Program } from '../types';

export const PLAN_SHEETS = ['Handlingsplan', 'Actions'] as const;

export type PlanColumn =
  | 'id'
  | 'planNumber'
  | 'team'
  | 'goal'
  | 'subGoal'
  | 'title'
  | 'description'
  | 'owner'
  | 'email'
  | 'responsibleBody'
  | 'start'
  | 'due'
  | 'timeline'
  | 'financing'
  | 'status'
  | 'progress'
  | 'indicators'
  | 'target'
  | 'targetYear'
  | 'kolada'
  | 'retired';

/** Swedish name first (used in messages about a missing column and in the plan export), then aliases. */
export const PLAN_COLUMNS: readonly ColumnSpec<PlanColumn>[] = [
  { key: 'id', names: ['Id', 'Insats-id', 'Åtgärds-id', 'Action id'] },
  { key: 'planNumber', names: ['Nr', 'Nummer', 'Löpnummer', 'No', 'Number'] },
  {
    key: 'team',
    names: ['Insatsområde', 'Team', 'Område', 'Fokusområde', 'Arbetsgrupp', 'Area', 'Focus area'],
    required: true,
  },
  { key: 'goal', names: ['Mål', 'Effektmål', 'Övergripande mål', 'Goal'] },
  { key: 'subGoal', names: ['Delmål', 'Sub-goal', 'Subgoal'] },
  { key: 'title', names: ['Åtgärd', 'Insats', 'Aktivitet', 'Action', 'Titel', 'Title', 'Activity'], required: true },
  { key: 'description', names: ['Beskrivning', 'Description'] },
  { key: 'owner', names: ['Ansvarig', 'Ansvarig person', 'Kontaktperson', 'Owner'] },
  { key: 'email', names: ['E-post', 'Email', 'E-mail', 'Mejl'] },
  {
    key: 'responsibleBody',
    names: ['Ansvarig förvaltning', 'Ansvarig nämnd', 'Förvaltning', 'Nämnd', 'Responsible body'],
  },
  { key: 'start', names: ['Start', 'Startdatum', 'Start date'] },
  { key: 'timeline', names: ['Tidplan', 'Tidsplan', 'När', 'Tidpunkt', 'Timeline', 'When'] },
  { key: 'due', names: ['Slutdatum', 'Due', 'Due date', 'Klart senast', 'Deadline'] },
  { key: 'financing', names: ['Finansiering', 'Financing', 'Funding'] },
  { key: 'status', names: ['Status'] },
  { key: 'progress', names: ['Framdrift', 'Progress'] },
  { key: 'indicators', names: ['Indikator', 'Indikatorer', 'Nyckeltal', 'Mått', 'Indicator', 'Indicators'] },
  {
    key: 'target',
    names: ['Målvärde', 'Target', 'Target value'],
    patterns: [/^mal(19|20)\d\d$/, /^target(19|20)\d\d$/],
  },
  { key: 'targetYear', names: ['Målår', 'Target year'] },
  { key: 'kolada', names: ['Kolada', 'Kolada-id', 'Kolada KPI'] },
  { key: 'retired', names: ['Utgått', 'Retired'] },
];

/** The flags named in messages (the CLI's; the Teams upload asks the same questions). */
export const CREATE_TEAMS_FLAG = '--create-teams';
export const RETIRE_MISSING_FLAG = '--retire-missing';

export const LIMITS = { title: 200, description: 2000, other: 200 } as const;

const STATUS_WORDS: Record<string, ActionStatus> = (() => {
  const m: Record<string, ActionStatus> = {};
  const add = (status: ActionStatus, ...words: string[]) => words.forEach((w) => (m[foldStatus(w)] = status));
  for (const s of ACTION_STATUSES) add(s, s, s.replace('_', ' '));
  add(
    'not_started',
    'Ej påbörjad',
    'Ej påbörjat',
    'Inte påbörjad',
    'Ej startad',
    'Inte startad',
    'Planerad',
    'Ej startat',
    'Not started',
    'Planned',
  );
  add(
    'on_track',
    'Enligt plan',
    'Pågår',
    'Pågående',
    'Påbörjad',
    'Påbörjat',
    'Startad',
    'I gång',
    'Igång',
    'On track',
    'In progress',
    'Ongoing',
  );
  add('at_risk', 'Risk', 'I riskzonen', 'Risk för försening', 'At risk');
  add('off_track', 'Avviker', 'Försenad', 'Försenat', 'Fördröjd', 'Off track', 'Delayed', 'Behind');
  add(
    'done',
    'Klar',
    'Klart',
    'Avslutad',
    'Avslutat',
    'Genomförd',
    'Genomfört',
    'Slutförd',
    'Slutfört',
    'Färdig',
    'Done',
    'Completed',
    'Finished',
  );
  add('paused', 'Pausad', 'Pausat', 'Vilande', 'Uppskjuten', 'Uppskjutet', 'Paused', 'On hold', 'Postponed');
  return m;
})();

function foldStatus(s: string): string {
  return foldName(s).replace(/[\s_-]+/g, ' ');
}

export function parseStatus(text: string): ActionStatus | undefined {
  return STATUS_WORDS[foldStatus(text)];
}

/** The word the plan export writes for each status (one that `parseStatus` reads back). */
export const STATUS_WORD: Record<ActionStatus, string> = {
  not_started: 'Ej påbörjad',
  on_track: 'Enligt plan',
  at_risk: 'Risk',
  off_track: 'Försenad',
  done: 'Klar',
  paused: 'Pausad',
};

/** `bos-3`, `BOS-003` → `BOS-03`: the form generated ids have, for the program's team prefixes. */
export function canonicalId(program: Program, id: string): string {
  const m = /^([A-Z]+)-0*(\d+)$/.exec(id.toUpperCase());
  if (!m || !program.teams.some((t) => t.actionPrefix === m[1])) return id;
  return `${m[1]}-${m[2]!.padStart(2, '0')}`;
}
