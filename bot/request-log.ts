/**
 * What the `request` log line and span say about an incoming activity: its type, the invoke's
 * name, the card verb or the command. Only words from fixed lists leave here (a verb the cards
 * do not know is `unknown`, text that is no command has none): never what anyone typed or chose
 * on a card.
 *
 * A turn can add what only the flows learn (the program team of a bound channel) to its notes,
 * which the line reads when the turn is over.
 */
import type { TurnContext } from 'botbuilder';
import { VERBS } from '../cards/verbs';
import { parseCommand, type CommandName } from '../domain/commands';

export interface ActivityDescription {
  type: string;
  /** The invoke's name (`adaptiveCard/action`, `fileConsent/invoke`, …). */
  name?: string;
  /** The card action's verb (Action.Execute or Action.Submit); `unknown` when no card has it. */
  verb?: string;
  /** The command recognised in a message (its name, whichever synonym was typed). */
  command?: CommandName;
}

const KNOWN_VERBS: ReadonlySet<string> = new Set(Object.values(VERBS));

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A protocol word (type, invoke name) as sent, or `other` when it looks like anything else. */
function word(v: unknown, pattern: RegExp): string | undefined {
  if (typeof v !== 'string') return undefined;
  return pattern.test(v) ? v : 'other';
}

function verbOf(v: unknown, knownVerbs: ReadonlySet<string>): string | undefined {
  if (typeof v !== 'string') return undefined;
  return knownVerbs.has(v) ? v : 'unknown';
}

/** Describes an activity as received (any JSON). Pure. */
export function describeActivity(
  activity: unknown,
  knownVerbs: ReadonlySet<string> = KNOWN_VERBS,
): ActivityDescription {
  if (!isObject(activity)) return { type: 'other' };
  const type = word(activity.type, /^[A-Za-z]{1,32}$/) ?? 'other';
  const out: ActivityDescription = { type };
  if (type === 'invoke') {
    out.name = word(activity.name, /^[A-Za-z0-9/._-]{1,64}$/);
    const action = isObject(activity.value) ? activity.value.action : undefined;
    if (out.name === 'adaptiveCard/action' && isObject(action)) out.verb = verbOf(action.verb, knownVerbs);
  } else if (type === 'message') {
    // Action.Submit: a message whose value carries the verb (the cards put it there).
    if (isObject(activity.value) && activity.value.verb !== undefined)
      out.verb = verbOf(activity.value.verb, knownVerbs);
    else if (typeof activity.text === 'string') {
      const command = parseCommand(activity.text)?.name;
      if (command) out.command = command;
    }
  }
  return out;
}

/** What the flows add while a turn runs. */
export interface TurnNotes {
  /** The program team the turn is about: the bound channel's, or the card's. */
  teamKey?: string;
}

const NOTES = Symbol('kraftsamla.turnNotes');

/** Gives the turn its notes (the server does, before the app runs). */
export function attachNotes(context: TurnContext, notes: TurnNotes): void {
  context.turnState.set(NOTES, notes);
}

/** Notes the turn's program team (first one wins: the channel's binding is read before anything else). */
export function noteTeam(context: TurnContext, teamKey: string | undefined): void {
  const notes = context.turnState.get(NOTES) as TurnNotes | undefined;
  if (notes && teamKey && notes.teamKey === undefined) notes.teamKey = teamKey;
}
