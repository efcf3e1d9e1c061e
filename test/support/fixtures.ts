/** Builders for domain objects the tests share: defaults for everything, overrides for what a test cares about. */
import type { Repositories } from '../../domain/ports';
import type { Action, CheckIn, Decision, Indicator, LogEvent } from '../../domain/types';

/**
 * An action of the program `harnosand`, team `bostader`, on track at 20 %. Every field in `over`
 * replaces the default (keys keep the defaults' order; a key set to `undefined` stays, as undefined).
 */
export function testAction(id: string, over: Partial<Action> = {}): Action {
  return {
    programId: 'harnosand',
    id,
    teamKey: 'bostader',
    title: `Titel ${id}`,
    description: '',
    owner: { name: 'Anna Ström' },
    responsibleBody: 'KS',
    due: '2026-12-31',
    financing: '',
    status: 'on_track',
    progress: 20,
    indicatorIds: [],
    ...over,
  };
}

/** A status answer for BOS-01 (on track, 10 %) by Anna from a card, with the id and time given. */
export function testStatusEvent(eventId: string, at: string, over: Partial<LogEvent> = {}): LogEvent {
  return {
    type: 'status',
    actionId: 'BOS-01',
    teamKey: 'bostader',
    status: 'on_track',
    progress: 10,
    comment: 'c',
    blockers: '',
    nextStep: '',
    forComms: '',
    programId: 'harnosand',
    at,
    by: 'Anna',
    source: 'card',
    eventId,
    ...over,
  } as LogEvent;
}

/** A scenario's rows, written through the repositories in the order a program builds them up. */
export async function writeScenario(
  repos: Repositories,
  s: {
    actions: Action[];
    events: LogEvent[];
    checkIns: CheckIn[];
    decisions: Omit<Decision, 'number' | 'sequence' | 'etag'>[];
    indicators: Indicator[];
  },
): Promise<void> {
  await repos.actions.saveAll(s.actions);
  await repos.events.appendAll(s.events);
  for (const c of s.checkIns) await repos.checkIns.create(c);
  for (const d of s.decisions) await repos.decisions.createNumbered(d);
  for (const i of s.indicators) await repos.indicators.save(i);
}
