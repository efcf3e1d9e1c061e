/**
 * What an import is given and what it reports, plan and indicator files alike: the CLI prints the
 * report, the bot's card shows it, and the Teams upload compares two of them.
 */
import type { Repositories } from '../ports';
import type { Clock } from '../time';
import type { Program } from '../types';
import type { ImportIssue } from './issues';

export interface ImportChange {
  id: string;
  /** The row of the file it came from. */
  row: number;
  change: 'created' | 'updated';
  /** Names of the fields that changed (all set fields for a created record). */
  fields: string[];
  /** True when the id was generated (the file's Id cell was empty). */
  generatedId?: boolean;
  /** The action's title (the indicator's name) after the import. */
  title?: string;
  /** Plan imports: the action's team. */
  teamKey?: string;
}

/** A stored action the import names by id and title (retired, or missing from the file). */
export interface ImportedActionRef {
  id: string;
  title: string;
  teamKey: string;
}

/** A program team made from an area of the file (`--create-teams`). */
export interface CreatedTeam {
  key: string;
  name: string;
  actionPrefix: string;
}

/** An indicator the plan's cells named that is created, or whose target the plan changes. */
export interface IndicatorFromPlan {
  id: string;
  name: string;
  change: 'created' | 'updated';
  /** The first row that named it. */
  row: number;
  /** `name`, `unit`, `target`, `koladaKpi`: what the plan set. */
  fields: string[];
}

export interface ImportProgress {
  phase: 'write';
  done: number;
  total: number;
  /** Data rows in the file (the CLI shows progress for large files). */
  rows: number;
}

export interface ImportResult {
  kind: 'plan' | 'indicators';
  file: string;
  sheet?: string;
  /** Data rows read (header and blank rows not counted). */
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Stored records of this kind that the file does not mention (left alone). */
  notInFile: number;
  warnings: ImportIssue[];
  /** Non-empty means nothing was written (except a conflict part-way, which says what was). */
  errors: ImportIssue[];
  /** Each added or updated record; in a dry run, what would change. */
  changes: ImportChange[];
  /** Log events appended. */
  events: number;
  /** Indicator files: measured values added or changed. */
  values?: { added: number; updated: number };
  dryRun: boolean;
  /** The Excel row of the header (after title, blank and note rows). */
  headerRow?: number;
  /** Headers the importer does not know, as written, each once (their columns are skipped). */
  unknownColumns: string[];
  /** Areas of the file that are no team of the program (an error unless `createTeams`). */
  unknownAreas: string[];
  /** Teams made from the file's areas (`createTeams`); in a dry run, those that would be. */
  createdTeams: CreatedTeam[];
  /** Actions retired because the file no longer has them (`retireMissing`); in a dry run, would be. */
  retired: ImportedActionRef[];
  /** Stored actions of the teams the file covers that it no longer has, left as they are. */
  missing: ImportedActionRef[];
  /** Indicators the plan's cells named that are created or whose target changes. */
  indicators: IndicatorFromPlan[];
}

export function emptyResult(kind: ImportResult['kind'], file: string, dryRun: boolean): ImportResult {
  return {
    kind,
    file,
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    notInFile: 0,
    warnings: [],
    errors: [],
    changes: [],
    events: 0,
    dryRun,
    unknownColumns: [],
    unknownAreas: [],
    createdTeams: [],
    retired: [],
    missing: [],
    indicators: [],
  };
}

/** What an import is given: the file, the program, the stores it reads and writes, and the choices made. */
export interface ImportInput {
  fileName: string;
  content: Buffer;
  /** The program as configured; teams stored by earlier imports are added to it. */
  program: Program;
  repositories: Pick<Repositories, 'actions' | 'events' | 'indicators' | 'programTeams'>;
  clock: Clock;
  /** Who is logged as the author; `import:<file name>` by default. */
  by?: string;
  /** Validate and report what would change, write nothing. */
  dryRun?: boolean;
  /** Workbook sheet to read (default: "Handlingsplan"/"Actions", else the first). */
  sheet?: string;
  /** Areas of the file that are no team become teams (stored); without it they are errors. */
  createTeams?: boolean;
  /** Actions of the file's teams that the file no longer has are retired; without it they are listed. */
  retireMissing?: boolean;
  onProgress?: (p: ImportProgress) => void;
}
