/**
 * The weekly digest: what moved in one ISO week, as data and as text. Code outside this folder
 * imports the digest from here.
 *
 * Inside: ./week.ts reads which week is asked for; ./build.ts reads the repositories and
 * ./assemble.ts (with the figures of ./figures.ts) computes the digest, whose shape is in
 * ./model.ts; ./summary.ts writes "Veckan i korthet"; ./document.ts lays the digest out as blocks
 * of plain text, which ./markdown.ts and ./html.ts render (escaping with ../markup.ts) and
 * ./render.ts picks between; ./charts.ts gives the charts of the HTML digest and the card.
 */
export {
  DIGEST_SCHEMA,
  UPCOMING_DAYS,
  type AnswerRate,
  type Digest,
  type DigestDeadline,
  type DigestDecision,
  type DigestGoal,
  type DigestGrouping,
  type DigestIndicator,
  type DigestNote,
  type DigestOverview,
  type DigestSummary,
  type DigestTeam,
  type DigestUpdate,
  type StatusCounts,
  type TeamCheckIn,
  type WeekActivity,
} from './model';
export {
  MAX_WEEKS_BACK,
  SETTLE_MS,
  decisionYears,
  parseDigestArgs,
  parseWeekRequest,
  weekProblem,
  weekClosed,
  weekEnd,
  weekRequestProblem,
  type WeekProblem,
  type WeekRequest,
} from './week';
export { assembleDigest, type DigestInput } from './assemble';
export { checkInFigures, indicatorView, summarizeWeek } from './figures';
export { buildDigest, computeDigest, type BuildDigestOptions, type DigestSources } from './build';
export {
  SUMMARY_MAX_CHARS,
  SUMMARY_MAX_WORDS,
  SUMMARY_TIMEOUT_MS,
  cleanModelText,
  deterministicSummary,
  summaryFacts,
  writeSummary,
  type SummaryFacts,
  type SummaryRequest,
  type SummaryWriter,
  type WriteSummaryOptions,
} from './summary';
export {
  digestDocument,
  digestTitle,
  statusTone,
  type DocBlock,
  type ListItem,
  type Span,
  type Tone,
} from './document';
export { escapeHtml, escapeMarkdown, escapeMarkdownInline } from '../markup';
export { renderMarkdown } from './markdown';
export { renderHtml } from './html';
export { answerRateChart, indicatorCharts, INDICATOR_CHART_POINTS } from './charts';
export { renderDigest, renderJson, type DigestFormat } from './render';
