/**
 * `npm run seed [-- --lang sv|en]`
 *
 * Loads the demo program (cli/demo-data.ts) into the store the bot uses: the action plan of the
 * program's teams, four weeks of check-in answers and a few steering group decisions, so the
 * action lists and the digest have something to show. Idempotent: what exists is left alone, so
 * running it twice changes nothing.
 *
 * Storage: the configured connection string; otherwise the running bot's embedded Azurite (it
 * announces itself in `DATA_DIR/azurite.json`), else an embedded Azurite of our own on the same
 * data folder, stopped when we are done. `npm run seed` runs the build dist/ holds (it does not
 * build), so it also works beside `npm run dev`, whose tsc --watch keeps that build fresh.
 */
import type { Config } from '../config/config';
import { t } from '../domain/i18n';
import type { Repositories } from '../domain/ports';
import { type Clock, systemClock } from '../domain/time';
import type { DecisionLogged, LogEvent, Locale, Program } from '../domain/types';
import type { OpenedStorage } from '../storage';
import { type CliSpec, HELP_OPTION, LANG_OPTION, readArgs } from './args';
import { openCliStore, readySetup, reasonOf, runMain, startCli, storeProblem } from './common';
import { demoData } from './demo-data';
import { createProgress, type OutStream, type Progress } from './progress';

export interface SeedSummary {
  actionsCreated: number;
  actionsExisting: number;
  eventsAppended: number;
  eventsExisting: number;
  decisionsCreated: number;
  decisionsExisting: number;
  /** Check-ins and indicators written (those already there are left as they are). */
  checkInsCreated: number;
  indicatorsCreated: number;
  /** The weeks with answers, oldest first. */
  weeks: string[];
}

/** Writes what is missing of the demo program; returns what it did. `onProgress` counts the log events. */
export async function seedDemo(
  repositories: Repositories,
  program: Program,
  clock: Clock,
  onProgress?: (done: number, total: number) => void,
): Promise<SeedSummary> {
  const data = demoData(program, clock);
  const summary: SeedSummary = {
    actionsCreated: 0,
    actionsExisting: 0,
    eventsAppended: 0,
    eventsExisting: 0,
    decisionsCreated: 0,
    decisionsExisting: 0,
    checkInsCreated: 0,
    indicatorsCreated: 0,
    weeks: data.weeks,
  };

  const existing = new Set((await repositories.actions.list(program.id)).map((x) => x.id));
  const missing = data.actions.filter((x) => !existing.has(x.id));
  summary.actionsExisting = data.actions.length - missing.length;
  if (missing.length > 0) await repositories.actions.saveAll(missing);
  summary.actionsCreated = missing.length;

  const events: LogEvent[] = [...data.events];
  for (const draft of data.decisions) {
    const logged = (await repositories.decisions.listYear(program.id, draft.year)).find((d) => d.title === draft.title);
    const decision = logged ?? (await repositories.decisions.createNumbered(draft));
    if (logged) summary.decisionsExisting++;
    else summary.decisionsCreated++;
    const event: DecisionLogged = {
      type: 'decision',
      number: decision.number,
      change: 'logged',
      affectedTeams: decision.affectedTeams,
    };
    events.push({
      ...event,
      programId: program.id,
      at: decision.loggedAt,
      by: decision.loggedBy,
      source: 'chat',
      eventId: `demo-decision-${decision.number}`,
    });
  }
  for (const checkIn of data.checkIns) {
    if (await repositories.checkIns.get(program.id, checkIn.week, checkIn.teamKey)) continue;
    await repositories.checkIns.create(checkIn);
    summary.checkInsCreated++;
  }
  const indicators = new Set((await repositories.indicators.list(program.id)).map((i) => i.id));
  for (const indicator of data.indicators.filter((i) => !indicators.has(i.id))) {
    await repositories.indicators.save(indicator);
    summary.indicatorsCreated++;
  }

  // One at a time: append() tells a new event from one already there (idempotent by eventId).
  for (const [i, event] of events.entries()) {
    if (await repositories.events.append(event)) summary.eventsAppended++;
    else summary.eventsExisting++;
    onProgress?.(i + 1, events.length);
  }
  return summary;
}

/** The configured store; else the running bot's Azurite; else our own on the same data folder. */
export function openSharedStore(
  config: Config,
  timeZone: string,
  note: (line: string) => void,
  locale: Locale,
): Promise<OpenedStorage> {
  return openCliStore(config, timeZone, locale, note, { inMemoryWarning: 'cli.store.inMemory.seed' });
}

export interface SeedCliDeps {
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  clock?: Clock;
  cwd?: string;
}

/** `--lang` only; `--help` answers at once, whatever follows it. */
const SEED_ARGS = { options: { help: HELP_OPTION, lang: LANG_OPTION }, stopAt: 'help' } as const satisfies CliSpec;

/** Runs the seed; returns the exit code (0 done, 1 store trouble, 2 usage or configuration). */
export async function main(argv: readonly string[], deps: SeedCliDeps = {}): Promise<number> {
  const start = startCli(
    argv,
    deps,
    (l) => t(l, 'cli.seed.usage'),
    (a, l) => {
      const read = readArgs(SEED_ARGS, a, l);
      return 'error' in read ? read : { ...read, help: read.values.help === true };
    },
  );
  if ('exit' in start) return start.exit;
  const { stderr, out, err, locale } = start;
  const ready = readySetup(start);
  if ('exit' in ready) return ready.exit;
  const { config, program } = ready;

  let storage: OpenedStorage;
  try {
    storage = await openSharedStore(config, program.timezone, err, locale);
  } catch (e) {
    err(storeProblem(e, locale));
    return 1;
  }
  // About a hundred and fifty writes, one at a time: a terminal sees them counted.
  let progress: Progress | undefined;
  try {
    const s = await seedDemo(storage.repositories, program, deps.clock ?? systemClock, (done, total) => {
      if (!stderr.isTTY) return;
      progress ??= createProgress({ stream: stderr, label: t(locale, 'cli.seed.progress') });
      progress.update(done, total);
    });
    progress?.finish();
    out(t(locale, 'cli.seed.actions', { created: s.actionsCreated, existing: s.actionsExisting }));
    out(
      t(locale, 'cli.seed.events', {
        weeks: s.weeks.join(', '),
        appended: s.eventsAppended,
        existing: s.eventsExisting,
      }),
    );
    out(t(locale, 'cli.seed.decisions', { created: s.decisionsCreated, existing: s.decisionsExisting }));
    out(t(locale, 'cli.seed.done'));
    return 0;
  } catch (e) {
    progress?.finish();
    err(t(locale, 'cli.store.unavailable', { reason: reasonOf(e) }));
    return 1;
  } finally {
    await storage.close();
  }
}

if (require.main === module) runMain(main);
