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
 * data folder, stopped when we are done. While `npm run dev` runs, use `node dist/cli/seed.js`
 * (or `npm run dev -- --seed`): `npm run seed` rebuilds dist/ under the running bot.
 */
import { type Config, ConfigError, loadConfig, readEnvironment } from '../config/config';
import type { Repositories } from '../domain/ports';
import { loadProgram } from '../domain/program';
import { type Clock, systemClock } from '../domain/time';
import type { DecisionLogged, LogEvent, Locale, Program } from '../domain/types';
import { type OpenedStorage, openStorage } from '../storage';
import { azuriteConnectionString } from '../storage/azurite';
import { demoData } from './demo-data';
import { findRunningAzurite } from './import';
import type { OutStream } from './progress';

export interface SeedSummary {
  actionsCreated: number;
  actionsExisting: number;
  eventsAppended: number;
  eventsExisting: number;
  decisionsCreated: number;
  decisionsExisting: number;
  /** The weeks with answers, oldest first. */
  weeks: string[];
}

/** Writes what is missing of the demo program; returns what it did. */
export async function seedDemo(repositories: Repositories, program: Program, clock: Clock): Promise<SeedSummary> {
  const data = demoData(program, clock);
  const summary: SeedSummary = { actionsCreated: 0, actionsExisting: 0, eventsAppended: 0, eventsExisting: 0, decisionsCreated: 0, decisionsExisting: 0, weeks: data.weeks };

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
    const event: DecisionLogged = { type: 'decision', number: decision.number, change: 'logged', affectedTeams: decision.affectedTeams };
    events.push({ ...event, programId: program.id, at: decision.loggedAt, by: decision.loggedBy, source: 'chat', eventId: `demo-decision-${decision.number}` });
  }
  // One at a time: append() tells a new event from one already there (idempotent by eventId).
  for (const event of events) {
    if (await repositories.events.append(event)) summary.eventsAppended++;
    else summary.eventsExisting++;
  }
  return summary;
}

const TEXTS = {
  sv: {
    usage: 'Användning: npm run seed [-- --lang sv|en]\n\n  Läser in ett demoprogram (handlingsplan, fyra veckors incheckningar och några beslut)\n  i botens lagring. Det som redan finns lämnas orört.',
    shared: 'Använder botens lagring (Azurite på port {port}).',
    botUnreachable: 'Boten verkar köra (process {pid}) men dess lagring på port {port} svarar inte. Stoppa boten och försök igen.',
    inMemory: 'Varning: AZURITE_IN_MEMORY är på; demodata försvinner när kommandot är klart.',
    unavailable: 'Lagringen svarar inte ({reason}).',
    actions: 'Åtgärder: {created} nya, {existing} fanns redan.',
    events: 'Händelser (veckorna {weeks}): {appended} nya, {existing} fanns redan.',
    decisions: 'Beslut: {created} nya, {existing} fanns redan.',
    done: 'Klart. Skriv @Kraftsamla åtgärder i en kopplad kanal (npm run dev startar boten i Agents Playground).',
  },
  en: {
    usage: 'Usage: npm run seed [-- --lang sv|en]\n\n  Loads a demo program (action plan, four weeks of check-ins and a few decisions)\n  into the bot\'s store. What is already there is left alone.',
    shared: "Using the bot's store (Azurite on port {port}).",
    botUnreachable: 'The bot seems to be running (process {pid}) but its store on port {port} does not answer. Stop the bot and try again.',
    inMemory: 'Warning: AZURITE_IN_MEMORY is on; the demo data is gone when this command ends.',
    unavailable: 'The store does not answer ({reason}).',
    actions: 'Actions: {created} new, {existing} already there.',
    events: 'Events (weeks {weeks}): {appended} new, {existing} already there.',
    decisions: 'Decisions: {created} new, {existing} already there.',
    done: 'Done. Type @Kraftsamla actions in a linked channel (npm run dev starts the bot in the Agents Playground).',
  },
} as const;

type TextName = keyof (typeof TEXTS)['sv'];

function say(locale: Locale, key: TextName, params: Record<string, string | number> = {}): string {
  return TEXTS[locale === 'en-US' ? 'en' : 'sv'][key].replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m));
}

class StoreError extends Error {}

/** The configured store; else the running bot's Azurite; else our own on the same data folder. */
export async function openSharedStore(config: Config, timeZone: string, note: (line: string) => void, locale: Locale): Promise<OpenedStorage> {
  const settings = config.storage;
  if (settings.connectionString) return openStorage(settings, timeZone);
  if (settings.azuriteInMemory) {
    note(say(locale, 'inMemory'));
    return openStorage(settings, timeZone);
  }
  // Two Azurite processes on one data folder would overwrite each other's files: use the bot's.
  const running = await findRunningAzurite(settings.dataDir);
  if (running) {
    if (!running.reachable) throw new StoreError(say(locale, 'botUnreachable', { pid: running.pid, port: running.port }));
    note(say(locale, 'shared', { port: running.port }));
    return openStorage({ ...settings, connectionString: azuriteConnectionString(running.port) }, timeZone);
  }
  return openStorage(settings, timeZone);
}

export interface SeedCliDeps {
  env?: Record<string, string | undefined>;
  stdout?: OutStream;
  stderr?: OutStream;
  clock?: Clock;
  cwd?: string;
}

/** Runs the seed; returns the exit code (0 done, 1 store trouble, 2 usage or configuration). */
export async function main(argv: readonly string[], deps: SeedCliDeps = {}): Promise<number> {
  const out = (line: string) => (deps.stdout ?? process.stdout).write(`${line}\n`);
  const err = (line: string) => (deps.stderr ?? process.stderr).write(`${line}\n`);
  let lang: Locale | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith('--lang=') ? arg.slice(7) : arg === '--lang' ? argv[++i] : undefined;
    if (arg === '--help' || arg === '-h') {
      out(say(lang ?? 'sv-SE', 'usage'));
      return 0;
    } else if (value !== undefined && (value === 'sv' || value === 'en')) lang = value === 'en' ? 'en-US' : 'sv-SE';
    else {
      err(say(lang ?? 'sv-SE', 'usage'));
      return 2;
    }
  }

  let config: Config;
  let program: Program;
  try {
    config = loadConfig(deps.env ?? readEnvironment(deps.cwd));
    program = loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins });
  } catch (e) {
    err(e instanceof ConfigError ? e.message : (e as Error).message);
    return 2;
  }
  const locale = lang ?? program.locale;

  let storage: OpenedStorage;
  try {
    storage = await openSharedStore(config, program.timezone, err, locale);
  } catch (e) {
    err(e instanceof StoreError ? e.message : say(locale, 'unavailable', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  }
  try {
    const s = await seedDemo(storage.repositories, program, deps.clock ?? systemClock);
    out(say(locale, 'actions', { created: s.actionsCreated, existing: s.actionsExisting }));
    out(say(locale, 'events', { weeks: s.weeks.join(', '), appended: s.eventsAppended, existing: s.eventsExisting }));
    out(say(locale, 'decisions', { created: s.decisionsCreated, existing: s.decisionsExisting }));
    out(say(locale, 'done'));
    return 0;
  } catch (e) {
    err(say(locale, 'unavailable', { reason: (e as Error).message.split('\n')[0] ?? '' }));
    return 1;
  } finally {
    await storage.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
