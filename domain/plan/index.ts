/**
 * The action plan: importing it (and indicator files) from CSV or XLSX, a plan file sent to the
 * bot in Teams, exporting it in the import's own shape, and the plan as it stood in a past week.
 * Code outside this folder imports the plan from here only.
 *
 * Inside, by step: ./tabular.ts reads a file (./csv.ts, ./xlsx.ts, ./header.ts, ./cells.ts) into
 * a ./table.ts; ./rows.ts validates a plan's rows, ./plan-changes.ts plans the changes,
 * ./plan-import.ts writes them with ./plan-events.ts; ./indicator-import.ts does the same for an
 * indicator file; ./import.ts tells the two kinds of file apart. Problems are ./issues.ts, the
 * report is ./import-result.ts. ./upload.ts is the Teams upload, ./upload-record.ts its stored row.
 */
export { type ImportIssue, type IssueCode, formatIssue, issue, issueText } from './issues';
export {
  type CreatedTeam,
  type ImportChange,
  type ImportedActionRef,
  type ImportInput,
  type ImportProgress,
  type ImportResult,
  type IndicatorFromPlan,
  emptyResult,
} from './import-result';
export { type ReadOptions, type ReadResult, type Table, type TableRow } from './table';
export { fileFormat, readTable } from './tabular';
export { importFile, isPlanHeader } from './import';
export { importPlan } from './plan-import';
export { importIndicators, isIndicatorHeader, parsePeriod } from './indicator-import';
export {
  PLAN_COLUMNS,
  PLAN_SHEETS,
  type PlanColumn,
  type PlanRow,
  type PlanRows,
  STATUS_WORD,
  parseStatus,
  planRowsFrom,
} from './rows';
export { type Timeline, type TimelineOptions, parseTimeline } from './timeline';
export { type StoredProgramTeam, teamFromArea } from './program-teams';
export { PLAN_EXPORT_COLUMNS, planExportTable, planToCsv, planToXlsx } from './export';
export { eventsAfter, planBefore, weeksAfter } from './history';
export {
  type PlanUpload,
  type PlanUploadRepository,
  type UploadPerson,
  type UploadState,
  type UploadSummary,
} from './upload-record';
export {
  type ApplyOutcome,
  type CancelOutcome,
  type Preview,
  type UploadDeps,
  UPLOAD_LIMITS,
  applyUpload,
  cancelUpload,
  dropExpiredUploads,
  fileRefusal,
  previewFingerprint,
  previewUpload,
  sha256,
  uploadIdFor,
} from './upload';
