/**
 * The brief before the steering group's meeting: actions at risk, off track or overdue (with
 * owner and latest comment), follow-ups of earlier decisions that are due, indicators off their
 * target, and teams that did not answer the period's check-in. Code outside this folder imports
 * the brief from here.
 *
 * Inside: ./model.ts is its shape (keys, not words); ./build.ts reads the repositories and
 * ./assemble.ts puts the brief together; ./schedule.ts says in which weeks it comes and which
 * check-in it looks at.
 */
export type {
  Brief,
  BriefAction,
  BriefActionFlag,
  BriefCheckIn,
  BriefFollowUp,
  BriefIndicator,
  BriefSilentTeam,
} from './model';
export { assembleBrief, type BriefInput, type LatestComment } from './assemble';
export { buildBrief, type BriefSources } from './build';
export { briefPeriod, briefWeekHolds } from './schedule';
