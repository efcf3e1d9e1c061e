/**
 * Adding and editing an action from a card. Every change is logged as an ActionChanged event
 * whose id comes from the request, so a redelivered request neither logs nor creates twice.
 */
import type { Actor, Problem } from '../card-input';
import { ConcurrencyError } from '../errors';
import type { Repositories } from '../ports';
import { isoWeek, type Clock } from '../time';
import type { Action, ActionChanged, Program } from '../types';
import { nextActionId, parseActionForm, type ActionFormValues } from './form';

export type SaveActionOutcome =
  | { kind: 'created' | 'duplicate'; action: Action }
  | { kind: 'updated'; action: Action; fields: string[] }
  | { kind: 'unchanged'; action: Action }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'conflict'; action: Action }
  | { kind: 'unknownAction' }
  | { kind: 'unknownTeam' };

export interface ActionServiceDeps {
  program: Program;
  repos: Repositories;
  clock: Clock;
}

/** Ids tried for a new action when others take the next number at the same moment. */
const MAX_ATTEMPTS = 8;

export class ActionService {
  constructor(private readonly deps: ActionServiceDeps) {}

  private get programId(): string {
    return this.deps.program.id;
  }

  hasTeam(teamKey: string): boolean {
    return this.deps.program.teams.some((x) => x.key === teamKey);
  }

  /**
   * Adds (no `actionId`) or edits an action from the form. An edit made from a form opened
   * before someone else's change (`etag` differs) is refused as a conflict rather than
   * overwriting it.
   */
  async saveAction(
    input: { teamKey: string; actionId?: string; etag?: string; values: Partial<ActionFormValues> },
    actor: Actor,
    requestId: string,
  ): Promise<SaveActionOutcome> {
    const team = this.deps.program.teams.find((x) => x.key === input.teamKey);
    if (!team) return { kind: 'unknownTeam' };
    const now = this.deps.clock.now();
    const logWeek = isoWeek(now, this.deps.program.timezone);
    const eventId = `action|${requestId}|${input.actionId ?? 'new'}`;
    const logged = await this.deps.repos.events.get(this.programId, logWeek, eventId);
    const loggedAction =
      logged?.type === 'action' ? await this.deps.repos.actions.get(this.programId, logged.actionId) : undefined;
    if (loggedAction) return { kind: 'duplicate', action: loggedAction };
    let existing: Action | undefined;
    if (input.actionId) {
      existing = await this.deps.repos.actions.get(this.programId, input.actionId);
      if (!existing || existing.teamKey !== input.teamKey) return { kind: 'unknownAction' };
      if (input.etag && existing.etag !== input.etag) return { kind: 'conflict', action: existing };
    }
    const parsed = parseActionForm(input.values);
    if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
    const form = parsed.value;
    const at = now.toISOString();
    const log = async (
      action: Action,
      change: ActionChanged['change'],
      fields: Record<string, unknown>,
      previous?: Record<string, unknown>,
    ) =>
      this.deps.repos.events.append({
        type: 'action',
        actionId: action.id,
        teamKey: action.teamKey,
        change,
        fields,
        ...(previous ? { previous } : {}),
        programId: this.programId,
        at,
        by: actor.name,
        source: 'card',
        eventId,
      });

    if (!existing) {
      const ids = (await this.deps.repos.actions.list(this.programId)).map((a) => a.id);
      for (let skip = 0; ; skip++) {
        const draft: Action = {
          programId: this.programId,
          id: nextActionId(team.actionPrefix, ids, skip),
          teamKey: team.key,
          title: form.title,
          description: form.description,
          owner: form.owner,
          responsibleBody: '',
          due: form.due,
          financing: '',
          status: 'not_started',
          progress: 0,
          indicatorIds: [],
        };
        try {
          const created = await this.deps.repos.actions.create(draft);
          await log(created, 'created', {
            title: form.title,
            owner: form.owner,
            due: form.due ?? null,
            description: form.description,
          });
          return { kind: 'created', action: created };
        } catch (err) {
          // Someone took the id meanwhile: the next number.
          if (!(err instanceof ConcurrencyError) || skip >= MAX_ATTEMPTS) throw err;
        }
      }
    }

    const fields: Record<string, unknown> = {};
    if (form.title !== existing.title) fields.title = form.title;
    if (form.owner.name !== existing.owner.name || (form.owner.email ?? '') !== (existing.owner.email ?? ''))
      fields.owner = form.owner;
    if ((form.due ?? '') !== (existing.due ?? '')) fields.due = form.due ?? null;
    if (form.description !== existing.description) fields.description = form.description;
    if (Object.keys(fields).length === 0) return { kind: 'unchanged', action: existing };
    // A changed e-mail means another person: the Teams ids seen for the old owner no longer apply.
    const owner =
      'owner' in fields && (form.owner.email ?? '').toLowerCase() !== (existing.owner.email ?? '').toLowerCase()
        ? form.owner
        : { ...existing.owner, ...form.owner };
    let updated: Action;
    try {
      updated = await this.deps.repos.actions.update({
        ...existing,
        title: form.title,
        description: form.description,
        owner,
        due: form.due,
      });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      const latest = await this.deps.repos.actions.get(this.programId, existing.id);
      if (!latest) return { kind: 'unknownAction' };
      return { kind: 'conflict', action: latest };
    }
    // The values before, so a past week's plan can be rebuilt from today's (domain/plan/history.ts).
    const before = existing as unknown as Record<string, unknown>;
    await log(updated, 'updated', fields, Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null])));
    return { kind: 'updated', action: updated, fields: Object.keys(fields) };
  }
}
