/**
 * The log events a plan import writes: one `action` event per created or updated action (with
 * the values its changed fields had before, so a past week's plan can be rebuilt) and a `status`
 * event when its status or progress changed. Their ids come from the file's content, so a re-run
 * of the same file after a crash finds them logged and does not log them twice.
 */
import { createHash } from 'node:crypto';
import type { Action, LogEvent } from '../types';
import type { PlannedChange } from './plan-changes';

/** Deterministic event id: the same file content and action always give the same id. */
export function importEventId(contentHash: string, actionId: string, kind: 'action' | 'status'): string {
  return `imp-${createHash('sha256').update(`${contentHash}\u0000${actionId}\u0000${kind}`).digest('hex').slice(0, 40)}`;
}

function previousValues(before: Action, fields: Record<string, unknown>): Record<string, unknown> {
  const stored = before as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(fields).map((k) => [
      k,
      k === 'owner' ? { name: before.owner.name, email: before.owner.email ?? null } : (stored[k] ?? null),
    ]),
  );
}

/**
 * Built without object spreads: an import makes two of these per action, and spreading a shared
 * part into each cost several times the rest. An absent `previous` is `undefined`, which the
 * stored JSON leaves out, so the entries read back are as before.
 */
export function eventsFor(
  c: PlannedChange,
  ctx: { programId: string; at: string; by: string; contentHash: string },
): LogEvent[] {
  const { programId, at, by } = ctx;
  const { action, before } = c;
  const events: LogEvent[] = [
    {
      programId,
      at,
      by,
      source: 'import',
      type: 'action',
      actionId: action.id,
      teamKey: action.teamKey,
      change: c.change,
      fields: c.fields,
      // What each changed field was before, so the plan as it stood in a past week can be rebuilt.
      previous: before ? previousValues(before, c.fields) : undefined,
      eventId: importEventId(ctx.contentHash, action.id, 'action'),
    },
  ];
  if (c.statusChanged) {
    events.push({
      programId,
      at,
      by,
      source: 'import',
      type: 'status',
      actionId: action.id,
      teamKey: action.teamKey,
      status: action.status,
      previousStatus: before?.status,
      progress: action.progress,
      comment: '',
      blockers: '',
      nextStep: '',
      forComms: '',
      eventId: importEventId(ctx.contentHash, action.id, 'status'),
    });
  }
  return events;
}
