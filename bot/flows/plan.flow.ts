/**
 * A program admin sends the action plan (.xlsx or .csv) to the bot in personal chat. Teams puts
 * the file in the sender's OneDrive and delivers a `file.download.info` attachment whose
 * `downloadUrl` is pre-authorised and short-lived: the bot fetches it at once (plain GET, no
 * Authorization header), runs the import as a dry run and answers with the preview card.
 * "Importera" applies the stored bytes with the same import the CLI runs; "Avbryt" drops them.
 *
 * Who and where first: anyone who is not a program admin is refused before anything is fetched,
 * and a file in a channel or group chat (where bots get no file, only its HTML) gets a pointer to
 * the personal chat.
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { noticeCard } from '../../cards/notice.card';
import {
  planImportCard,
  type PlanImportItem,
  type PlanImportPhase,
  type PlanImportView,
} from '../../cards/plan/import.card';
import { planUploadPayload, VERBS, type PlanUploadPayload } from '../../cards/verbs';
import { formatDate, t, type TextKey } from '../../domain/i18n';
import {
  applyUpload,
  cancelUpload,
  dropExpiredUploads,
  fileRefusal,
  formatIssue,
  type ImportIssue,
  type ImportResult,
  previewUpload,
  UPLOAD_LIMITS,
  uploadIdFor,
  type PlanUpload,
  type UploadDeps,
  type Preview,
  type UploadPerson,
} from '../../domain/plan';
import { localDate } from '../../domain/time';
import type { Locale } from '../../domain/types';
import { type CardAnswer, onCardAction, refuse } from '../card-actions';
import type { BotDeps } from '../deps';
import { assertAdmin } from '../roles';
import { actorOf, localeOf } from '../turn';
import { carriesFile, download, type Download, sentFiles, type SentFile } from './plan-file';

function personOf(context: TurnContext): UploadPerson {
  const actor = actorOf(context);
  return { id: actor.aadObjectId ?? actor.id, name: actor.name };
}

function uploadDeps(deps: BotDeps): UploadDeps {
  return { program: deps.program, repos: deps.repos, clock: deps.clock };
}

// ---------------------------------------------------------------------------------------------
// What the card shows

function fieldName(locale: Locale, key: string): string {
  const textKey = `plan.field.${key}` as TextKey;
  try {
    return t(locale, textKey);
  } catch {
    return key;
  }
}

/** An issue on one line with its place; the sheet is named when the result has one and the line does not. */
function problemLine(issue: ImportIssue, locale: Locale, sheet: string | undefined): string {
  const line = formatIssue(issue, locale);
  const ownSheet = (issue as ImportIssue & { sheet?: unknown }).sheet;
  const name = typeof ownSheet === 'string' ? ownSheet : sheet;
  if (!name) return line;
  const label = t(locale, 'cli.import.sheet', { sheet: name });
  return line.includes(label) ? line : `${issue.file}, ${label}${line.slice(issue.file.length)}`;
}

interface ChangeLike {
  id?: unknown;
  row?: unknown;
  change?: unknown;
  fields?: unknown;
  title?: unknown;
  generatedId?: unknown;
}

function itemOf(
  c: ChangeLike,
  locale: Locale,
  titles: ReadonlyMap<string, string>,
  withFields: boolean,
): PlanImportItem {
  const id = String(c.id ?? '?');
  const title = typeof c.title === 'string' ? c.title : titles.get(id);
  const fields =
    withFields && Array.isArray(c.fields)
      ? c.fields.filter((f): f is string => typeof f === 'string').map((f) => fieldName(locale, f))
      : undefined;
  return {
    id,
    ...(title ? { title } : {}),
    ...(typeof c.row === 'number' ? { row: c.row } : {}),
    ...(fields?.length ? { fields } : {}),
    ...(c.generatedId === true ? { generatedId: true } : {}),
  };
}

/**
 * The card's view of an import result. It reads the result's lists loosely: a richer result
 * (retired actions, titles on each change) shows more without this code knowing its type.
 */
function viewOf(
  result: ImportResult,
  phase: PlanImportPhase,
  locale: Locale,
  titles: ReadonlyMap<string, string>,
  extra: Partial<PlanImportView> = {},
): PlanImportView {
  const changes = (Array.isArray(result.changes) ? result.changes : []) as ChangeLike[];
  const retiredList = (result as unknown as { retired?: unknown }).retired;
  const retired = [
    ...changes.filter((c) => c.change === 'retired'),
    ...(Array.isArray(retiredList) ? (retiredList as ChangeLike[]) : []),
  ];
  // A retirement is also an update of the action (its retiredAt): listed once, as retired.
  const retiredIds = new Set(retired.map((c) => String(c.id ?? '')));
  return {
    fileName: result.file,
    kind: result.kind,
    ...(result.sheet ? { sheet: result.sheet } : {}),
    rows: result.rows,
    phase,
    added: changes.filter((c) => c.change === 'created').map((c) => itemOf(c, locale, titles, false)),
    changed: changes
      .filter((c) => c.change === 'updated' && !retiredIds.has(String(c.id ?? '')))
      .map((c) => itemOf(c, locale, titles, true)),
    retired: retired.map((c) => itemOf(c, locale, titles, false)),
    teams: (result.createdTeams ?? []).map((x) => ({ name: x.name, actionPrefix: x.actionPrefix })),
    unchanged: result.unchanged,
    notInFile: result.notInFile,
    ...(result.values ? { values: result.values } : {}),
    errors: result.errors.map((i) => problemLine(i, locale, result.sheet)),
    warnings: result.warnings.map((i) => problemLine(i, locale, result.sheet)),
    ...extra,
  };
}

async function titlesOf(deps: BotDeps): Promise<Map<string, string>> {
  return new Map((await deps.repos.actions.list(deps.program.id)).map((a) => [a.id, a.title]));
}

const offer = (u: PlanUpload) => ({ upload: { uploadId: u.id, hash: u.contentHash } });

// ---------------------------------------------------------------------------------------------
// Handlers

function sayNotice(context: TurnContext, locale: Locale, key: TextKey, params: Record<string, string | number> = {}) {
  return context.sendActivity({
    attachments: [CardFactory.adaptiveCard(noticeCard(t(locale, key, params), locale, 'attention'))],
  });
}

/**
 * The one file of the message that can be fetched; undefined (after saying why) when there is
 * none, or it is no plan file. More than one file: the first, saying so.
 */
async function fileToFetch(
  context: TurnContext,
  locale: Locale,
): Promise<(SentFile & { downloadUrl: string }) | undefined> {
  const files = sentFiles(context);
  const file = files[0];
  if (!file) {
    await sayNotice(context, locale, 'plan.upload.noFile');
    return undefined;
  }
  if (files.length > 1) await sayNotice(context, locale, 'plan.upload.oneFile', { file: file.name });
  const refusal = fileRefusal(file.name);
  if (refusal === 'type' || !file.downloadUrl) {
    await sayNotice(context, locale, 'plan.upload.wrongType', { file: file.name });
    return undefined;
  }
  return { ...file, downloadUrl: file.downloadUrl };
}

/** Says why the file could not be fetched, and logs it without the URL. */
async function downloadFailed(
  context: TurnContext,
  deps: BotDeps,
  locale: Locale,
  fileName: string,
  uploadId: string,
  reason: Exclude<Download, { ok: true }>['reason'],
): Promise<void> {
  // Never the URL: it carries the pre-authorisation token.
  deps.logger.warn({ activityId: context.activity.id, uploadId, reason }, 'plan file could not be downloaded');
  const key = (
    {
      expired: 'plan.upload.expiredLink',
      failed: 'plan.upload.downloadFailed',
      tooLarge: 'plan.upload.tooLarge',
      notTheFile: 'plan.upload.notTheFile',
    } as const
  )[reason];
  await sayNotice(context, locale, key, { file: fileName, max: UPLOAD_LIMITS.maxBytes / (1024 * 1024) });
}

/** Housekeeping on each file sent: a failure is logged, never shown to the sender. */
async function dropExpired(deps: BotDeps): Promise<void> {
  try {
    await dropExpiredUploads(uploadDeps(deps));
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'could not drop expired plan uploads');
  }
}

/** The preview card; or, for a message delivered again, what became of the upload it made. */
async function answerPreview(context: TurnContext, deps: BotDeps, locale: Locale, preview: Preview): Promise<void> {
  const upload = preview.upload;
  // The same message delivered again finds its upload as the first delivery left it.
  if (upload && upload.state !== 'pending') {
    const again =
      upload.state === 'applied'
        ? noticeCard(alreadyText(locale, deps, upload), locale, 'good')
        : noticeCard(
            t(locale, upload.state === 'applying' ? 'plan.card.busy' : 'plan.card.cancelledIntro'),
            locale,
            'attention',
          );
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(again)] });
    return;
  }
  const titles = await titlesOf(deps);
  const view = upload
    ? viewOf(preview.result, 'preview', locale, titles, offer(upload))
    : viewOf(preview.result, 'refused', locale, titles);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(planImportCard(view, locale))] });
}

/** A plan file sent to the bot: fetched, imported as a dry run, and answered with the preview card. */
async function previewPlanFile(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  if (context.activity.conversation?.conversationType !== 'personal') {
    await context.sendActivity(t(locale, 'plan.upload.personalOnly'));
    return;
  }
  // Before anything is fetched: only a program admin changes the plan.
  await assertAdmin(context, deps, locale);
  const file = await fileToFetch(context, locale);
  if (!file) return;
  const fetched = await download(file.downloadUrl, UPLOAD_LIMITS.maxBytes);
  const uploadId = uploadIdFor(context.activity.conversation.id, context.activity.id ?? `${Date.now()}`);
  if (!fetched.ok) {
    await downloadFailed(context, deps, locale, file.name, uploadId, fetched.reason);
    return;
  }
  const preview = await previewUpload(uploadDeps(deps), {
    id: uploadId,
    fileName: file.name,
    content: fetched.content,
    by: personOf(context),
  });
  deps.logger.info(
    {
      activityId: context.activity.id,
      uploadId,
      bytes: fetched.content.length,
      errors: preview.result.errors.length,
      stored: !!preview.upload,
    },
    'plan file previewed',
  );
  await dropExpired(deps);
  await answerPreview(context, deps, locale, preview);
}

function notice(locale: Locale, key: TextKey, tone: 'good' | 'attention' = 'attention'): CardAnswer {
  return noticeCard(t(locale, key), locale, tone);
}

function alreadyText(locale: Locale, deps: BotDeps, u: PlanUpload): string {
  const date = u.finishedAt ? formatDate(locale, localDate(new Date(u.finishedAt), deps.program.timezone)) : '–';
  const s = u.summary ?? { added: 0, updated: 0, unchanged: 0 };
  const counts = t(locale, 'plan.card.counts', {
    added: s.added,
    changed: s.updated,
    retired: 0,
    unchanged: s.unchanged,
  });
  return `${t(locale, 'plan.card.alreadyIntro', { date, name: u.finishedBy?.name ?? '–' })} ${counts}.`;
}

/** "Importera" on the preview card: applies the previewed upload once, or says why not. */
async function importPlanUpload(context: TurnContext, deps: BotDeps, data: PlanUploadPayload): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  await assertAdmin(context, deps, locale);
  const outcome = await applyUpload(uploadDeps(deps), { id: data.uploadId, hash: data.hash, by: personOf(context) });
  deps.logger.info(
    { activityId: context.activity.id, uploadId: data.uploadId, outcome: outcome.kind },
    'plan upload: import pressed',
  );
  switch (outcome.kind) {
    case 'applied':
      return planImportCard(
        viewOf(outcome.result, 'applied', locale, await titlesOf(deps), { by: outcome.upload.finishedBy?.name }),
        locale,
      );
    case 'already':
      return noticeCard(alreadyText(locale, deps, outcome.upload), locale, 'good');
    case 'busy':
      return notice(locale, 'plan.card.busy');
    case 'cancelled':
      return notice(locale, 'plan.card.cancelledIntro');
    case 'expired':
      return notice(locale, 'plan.card.expired');
    case 'missing':
      return refuse(t(locale, 'plan.card.missing'), locale);
    case 'changed': {
      const canApply = outcome.result.errors.length === 0;
      return planImportCard(
        viewOf(
          outcome.result,
          canApply ? 'changed' : 'refused',
          locale,
          await titlesOf(deps),
          canApply ? offer(outcome.upload) : {},
        ),
        locale,
      );
    }
    case 'failed': {
      // Only a write that stopped part-way is worth pressing again; anything else needs a new file.
      const again = outcome.result.errors.every((e) => e.code.startsWith('write.'));
      return planImportCard(
        viewOf(outcome.result, 'failed', locale, await titlesOf(deps), again ? offer(outcome.upload) : {}),
        locale,
      );
    }
  }
}

/** "Avbryt" on the preview card: drops the pending upload; nothing of the plan is written. */
async function cancelPlanUpload(context: TurnContext, deps: BotDeps, data: PlanUploadPayload): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  await assertAdmin(context, deps, locale);
  const outcome = await cancelUpload(uploadDeps(deps), { id: data.uploadId, hash: data.hash, by: personOf(context) });
  deps.logger.info(
    { activityId: context.activity.id, uploadId: data.uploadId, outcome: outcome.kind },
    'plan upload: cancel pressed',
  );
  switch (outcome.kind) {
    case 'cancelled':
      return notice(locale, 'plan.card.cancelledIntro');
    case 'already':
      return noticeCard(alreadyText(locale, deps, outcome.upload), locale, 'attention');
    case 'busy':
      return notice(locale, 'plan.card.busy');
    case 'expired':
      return notice(locale, 'plan.card.expired');
    case 'missing':
      return refuse(t(locale, 'plan.card.missing'), locale);
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The buttons of the preview card, by verb. */
const CARD_VERBS: Readonly<
  Record<string, (context: TurnContext, deps: BotDeps, data: PlanUploadPayload) => Promise<CardAnswer>>
> = {
  [VERBS.planImport]: importPlanUpload,
  [VERBS.planCancel]: cancelPlanUpload,
};

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(
    async (context) => carriesFile(context),
    (context) => previewPlanFile(context, deps),
  );
  for (const [verb, handler] of Object.entries(CARD_VERBS))
    onCardAction(app, deps, verb, planUploadPayload, (context, data) => handler(context, deps, data));
}
