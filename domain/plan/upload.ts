/**
 * A plan file sent to the bot (in Teams) and imported in two steps: the preview runs the import
 * as a dry run and keeps the file's bytes in storage as a pending upload; "Importera" applies
 * those same bytes with the same `importFile` the CLI uses, once; "Avbryt" drops them.
 *
 * What is applied is what was previewed: the card names the upload and its content hash, the
 * stored bytes are checked against that hash, and the dry run is repeated before writing — when
 * the plan in storage changed since the preview (so the import would now do something else), the
 * new preview is shown instead of writing.
 *
 * Once only: the upload row is claimed (state `applying`, with its ETag) before anything is
 * written, so two presses, two instances or a redelivered invoke apply it once. A claim whose
 * holder died is taken over after `UPLOAD_LIMITS.claimMs`; the import itself is idempotent for
 * the same content (the diff is against what is stored, and its log events have ids derived from
 * the content hash), so a takeover completes the import without logging anything twice.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ConcurrencyError } from '../errors';
import type { Repositories } from '../ports';
import type { Clock } from '../time';
import type { Program } from '../types';
import { importFile } from './import';
import type { ImportResult } from './import-result';
import { fileFormat } from './tabular';
import type { PlanUpload, UploadPerson, UploadSummary } from './upload-record';

export const UPLOAD_LIMITS = {
  /** Largest file accepted (a real action plan is well under 1 MB). */
  maxBytes: 5 * 1024 * 1024,
  /** How long a previewed upload may be applied; after that the file must be sent again. */
  pendingMs: 24 * 60 * 60 * 1000,
  /** A claim older than this belongs to an apply that died: another press may take it over. */
  claimMs: 5 * 60 * 1000,
} as const;

export interface UploadDeps {
  program: Program;
  repos: Pick<Repositories, 'actions' | 'events' | 'indicators' | 'uploads' | 'programTeams'>;
  clock: Clock;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The upload id of a message: the same message delivered twice gives the same id. */
export function uploadIdFor(conversationId: string, messageId: string): string {
  return sha256(`${conversationId}\u0000${messageId}`).slice(0, 32);
}

/** Why a file is refused before it is downloaded or read: its type, or its announced size. */
export function fileRefusal(fileName: string, size?: number): 'type' | 'size' | undefined {
  if (!fileFormat(fileName) || path.extname(fileName).toLowerCase() === '.txt') return 'type';
  if (size !== undefined && size > UPLOAD_LIMITS.maxBytes) return 'size';
  return undefined;
}

/**
 * A fingerprint of what an import would do: every list the result holds (changes, errors, and
 * whatever lists a richer result adds, such as retired actions), warnings aside. The same file
 * against the same stored plan gives the same fingerprint.
 */
export function previewFingerprint(result: ImportResult): string {
  const lists = Object.entries(result)
    .filter(([key, value]) => Array.isArray(value) && key !== 'warnings')
    .sort(([a], [b]) => a.localeCompare(b));
  return sha256(JSON.stringify(lists)).slice(0, 32);
}

function dryRun(deps: UploadDeps, fileName: string, content: Buffer, dry: boolean): Promise<ImportResult> {
  // From Teams the admin has no flags to give: the preview shows everything the file implies (new
  // teams for areas that are none yet, the covered teams' actions it no longer has retired), and
  // "Importera" applies exactly what was shown.
  return importFile({
    fileName,
    content,
    program: deps.program,
    repositories: deps.repos,
    clock: deps.clock,
    dryRun: dry,
    createTeams: true,
    retireMissing: true,
  });
}

export interface Preview {
  result: ImportResult;
  /** Stored when the file can be imported (no errors); undefined otherwise (nothing kept). */
  upload?: PlanUpload;
}

/**
 * Step 1: the dry run, and when it finds no error the bytes kept as a pending upload. A message
 * delivered again gets the upload it made the first time.
 */
export async function previewUpload(
  deps: UploadDeps,
  input: { id: string; fileName: string; content: Buffer; by: UploadPerson },
): Promise<Preview> {
  const result = await dryRun(deps, input.fileName, input.content, true);
  if (result.errors.length > 0) return { result };
  const upload: PlanUpload = {
    programId: deps.program.id,
    id: input.id,
    fileName: path.basename(input.fileName),
    size: input.content.length,
    contentHash: sha256(input.content),
    previewFingerprint: previewFingerprint(result),
    state: 'pending',
    uploadedBy: input.by,
    uploadedAt: deps.clock.now().toISOString(),
  };
  try {
    return { result, upload: await deps.repos.uploads.create(upload, input.content) };
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    const existing = await deps.repos.uploads.get(deps.program.id, input.id);
    if (!existing) throw err;
    return { result, upload: existing };
  }
}

/**
 * Drops the bytes of uploads nobody applied or cancelled in time (a plan names people: it is not
 * kept longer than needed). Returns how many were dropped.
 */
export async function dropExpiredUploads(deps: UploadDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  let dropped = 0;
  for (const u of await deps.repos.uploads.list(deps.program.id)) {
    if (u.state !== 'pending' || now - Date.parse(u.uploadedAt) <= UPLOAD_LIMITS.pendingMs) continue;
    try {
      await deps.repos.uploads.update({ ...u, state: 'cancelled', finishedAt: new Date(now).toISOString() });
      await deps.repos.uploads.dropContent(u);
      dropped++;
    } catch (err) {
      // Someone pressed it meanwhile: theirs to finish.
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  return dropped;
}

export type ApplyOutcome =
  | { kind: 'applied'; upload: PlanUpload; result: ImportResult }
  /** Applied before (another press, instance or a redelivery): nothing written now. */
  | { kind: 'already'; upload: PlanUpload }
  /** Another press is applying it right now. */
  | { kind: 'busy'; upload: PlanUpload }
  | { kind: 'cancelled'; upload: PlanUpload }
  /** Not applied in time; the file must be sent again. */
  | { kind: 'expired'; upload: PlanUpload }
  /** No such upload, the card names other content, or the stored bytes are gone or damaged. */
  | { kind: 'missing' }
  /** The stored plan changed since the preview: nothing written, here is what it would do now. */
  | { kind: 'changed'; upload: PlanUpload; result: ImportResult }
  /** The import refused or stopped while writing; the claim is released so it can be tried again. */
  | { kind: 'failed'; upload: PlanUpload; result: ImportResult };

type Claim = { claimed: PlanUpload; takeover: boolean } | { outcome: ApplyOutcome };

function stateOutcome(u: PlanUpload, now: number): ApplyOutcome | undefined {
  if (u.state === 'applied') return { kind: 'already', upload: u };
  if (u.state === 'cancelled') return { kind: 'cancelled', upload: u };
  if (u.state === 'pending' && now - Date.parse(u.uploadedAt) > UPLOAD_LIMITS.pendingMs)
    return { kind: 'expired', upload: u };
  if (u.state === 'applying' && now - Date.parse(u.claimedAt ?? u.uploadedAt) <= UPLOAD_LIMITS.claimMs)
    return { kind: 'busy', upload: u };
  return undefined;
}

async function claim(deps: UploadDeps, id: string, hash: string, by: UploadPerson): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const u = await deps.repos.uploads.get(deps.program.id, id);
    if (!u || u.contentHash !== hash) return { outcome: { kind: 'missing' } };
    const now = deps.clock.now();
    const settled = stateOutcome(u, now.getTime());
    if (settled) return { outcome: settled };
    try {
      const claimed = await deps.repos.uploads.update({
        ...u,
        state: 'applying',
        claimedAt: now.toISOString(),
        claimedBy: by.id,
      });
      return { claimed, takeover: u.state === 'applying' };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      // Someone else changed the row first: read it again and answer by what they did.
    }
  }
  const u = await deps.repos.uploads.get(deps.program.id, id);
  return {
    outcome: u ? (stateOutcome(u, deps.clock.now().getTime()) ?? { kind: 'busy', upload: u }) : { kind: 'missing' },
  };
}

/** Puts a claimed upload back to pending (the apply did not happen); a lost race is fine. */
async function release(deps: UploadDeps, u: PlanUpload, changes: Partial<PlanUpload> = {}): Promise<PlanUpload> {
  const { claimedAt: _at, claimedBy: _by, ...rest } = u;
  try {
    return await deps.repos.uploads.update({ ...rest, ...changes, state: 'pending' });
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    return u;
  }
}

/** Step 2, "Importera": applies the stored bytes once, exactly as the CLI would. */
export async function applyUpload(
  deps: UploadDeps,
  input: { id: string; hash: string; by: UploadPerson },
): Promise<ApplyOutcome> {
  const c = await claim(deps, input.id, input.hash, input.by);
  if ('outcome' in c) return c.outcome;
  let upload = c.claimed;
  const content = await deps.repos.uploads.content(upload);
  if (!content || sha256(content) !== upload.contentHash) {
    await deps.repos.uploads
      .update({ ...upload, state: 'cancelled', finishedAt: deps.clock.now().toISOString() })
      .catch(() => undefined);
    return { kind: 'missing' };
  }
  // A takeover continues an apply that was approved and may have written part of the plan
  // already, so its preview no longer matches: only a fresh claim compares.
  if (!c.takeover) {
    const now = await dryRun(deps, upload.fileName, content, true);
    const fingerprint = previewFingerprint(now);
    if (fingerprint !== upload.previewFingerprint || now.errors.length > 0) {
      upload = await release(deps, upload, { previewFingerprint: fingerprint });
      return { kind: 'changed', upload, result: now };
    }
  }
  const result = await dryRun(deps, upload.fileName, content, false);
  if (result.errors.length > 0) return { kind: 'failed', upload: await release(deps, upload), result };
  const finishedAt = deps.clock.now().toISOString();
  const summary: UploadSummary = {
    added: result.added,
    updated: result.updated,
    unchanged: result.unchanged,
    events: result.events,
  };
  upload = await deps.repos.uploads.update({ ...upload, state: 'applied', finishedAt, finishedBy: input.by, summary });
  await deps.repos.uploads.dropContent(upload);
  return { kind: 'applied', upload, result };
}

export type CancelOutcome =
  | { kind: 'cancelled'; upload: PlanUpload; now: boolean }
  | Exclude<ApplyOutcome, { kind: 'applied' | 'changed' | 'failed' | 'cancelled' }>;

/** "Avbryt": drops a pending upload; nothing of the plan is written. */
export async function cancelUpload(
  deps: UploadDeps,
  input: { id: string; hash: string; by: UploadPerson },
): Promise<CancelOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const u = await deps.repos.uploads.get(deps.program.id, input.id);
    if (!u || u.contentHash !== input.hash) return { kind: 'missing' };
    if (u.state === 'cancelled') return { kind: 'cancelled', upload: u, now: false };
    if (u.state === 'applied') return { kind: 'already', upload: u };
    const now = deps.clock.now();
    if (u.state === 'applying' && now.getTime() - Date.parse(u.claimedAt ?? u.uploadedAt) <= UPLOAD_LIMITS.claimMs)
      return { kind: 'busy', upload: u };
    try {
      const cancelled = await deps.repos.uploads.update({
        ...u,
        state: 'cancelled',
        finishedAt: now.toISOString(),
        finishedBy: input.by,
      });
      await deps.repos.uploads.dropContent(cancelled);
      return { kind: 'cancelled', upload: cancelled, now: true };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  const u = await deps.repos.uploads.get(deps.program.id, input.id);
  return u ? { kind: 'busy', upload: u } : { kind: 'missing' };
}
