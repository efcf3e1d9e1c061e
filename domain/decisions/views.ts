/**
 * What the cards show of a decision: the whole decision with its history, a row of the log, and
 * the notice an affected team gets. Times are local to the program; team keys become names.
 */
import { teamName } from '../program';
import { localStamp, type LocalStamp } from '../time';
import type { Decision, DecisionState, Program } from '../types';

export interface RevisionView {
  at: LocalStamp;
  by: string;
  change: 'amended' | 'revoked' | 'superseded';
  reason: string;
  /** For `superseded`: the decision that replaced this one. */
  supersededBy?: string;
  previous: { title: string; text: string; rationale: string };
}

export interface DecisionView {
  number: string;
  title: string;
  text: string;
  rationale: string;
  meetingName: string;
  meetingDate: string;
  state: DecisionState;
  teams: string[];
  actions: string[];
  followUp?: { owner: string; due?: string; done: boolean; doneBy?: string; doneAt?: LocalStamp; overdue: boolean };
  loggedBy: string;
  loggedAt: LocalStamp;
  history: RevisionView[];
  /** The earlier decision this one replaces, and the later one that replaced this. */
  supersedes?: string;
  supersededBy?: string;
  etag?: string;
}

export function teamNames(program: Program, keys: string[]): string[] {
  return keys.map((k) => teamName(program, k));
}

export function decisionView(d: Decision, program: Program, today: string): DecisionView {
  const tz = program.timezone;
  return {
    number: d.number,
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    meetingName: d.meeting.name,
    meetingDate: d.meeting.date,
    state: d.state,
    teams: teamNames(program, d.affectedTeams),
    actions: d.affectedActions,
    ...(d.followUp
      ? {
          followUp: {
            owner: d.followUp.owner,
            due: d.followUp.due,
            done: d.followUp.done,
            doneBy: d.followUp.doneBy,
            doneAt: d.followUp.doneAt ? localStamp(d.followUp.doneAt, tz) : undefined,
            overdue:
              !d.followUp.done &&
              !!d.followUp.due &&
              d.followUp.due < today &&
              d.state !== 'revoked' &&
              d.state !== 'superseded',
          },
        }
      : {}),
    loggedBy: d.loggedBy,
    loggedAt: localStamp(d.loggedAt, tz),
    history: d.history.map((h) => ({
      at: localStamp(h.at, tz),
      by: h.by,
      change: h.change,
      reason: h.reason,
      ...(h.supersededBy ? { supersededBy: h.supersededBy } : {}),
      previous: { title: h.previous.title, text: h.previous.text, rationale: h.previous.rationale },
    })),
    ...(d.supersedes ? { supersedes: d.supersedes } : {}),
    ...(d.supersededBy ? { supersededBy: d.supersededBy } : {}),
    etag: d.etag,
  };
}

export interface DecisionLogItem {
  number: string;
  title: string;
  text: string;
  meetingName: string;
  meetingDate: string;
  state: DecisionState;
  teams: string[];
  supersedes?: string;
  supersededBy?: string;
}

export function logItemOf(d: Decision, program: Program): DecisionLogItem {
  return {
    number: d.number,
    title: d.title,
    text: d.text,
    meetingName: d.meeting.name,
    meetingDate: d.meeting.date,
    state: d.state,
    teams: teamNames(program, d.affectedTeams),
    ...(d.supersedes ? { supersedes: d.supersedes } : {}),
    ...(d.supersededBy ? { supersededBy: d.supersededBy } : {}),
  };
}

export interface DecisionNoticeView {
  number: string;
  change: 'logged' | 'amended' | 'revoked';
  title: string;
  text: string;
  meetingName: string;
  meetingDate: string;
  teamName: string;
  reason?: string;
  followUp?: { owner: string; due?: string };
  /** The earlier decision a new one replaces. */
  supersedes?: string;
}

export function noticeView(
  d: Decision,
  program: Program,
  teamKey: string,
  change: 'logged' | 'amended' | 'revoked',
): DecisionNoticeView {
  const last = d.history[d.history.length - 1];
  return {
    number: d.number,
    change,
    title: d.title,
    text: d.text,
    meetingName: d.meeting.name,
    meetingDate: d.meeting.date,
    teamName: teamName(program, teamKey),
    ...(change !== 'logged' && last ? { reason: last.reason } : {}),
    ...(d.supersedes ? { supersedes: d.supersedes } : {}),
    ...(d.followUp && !d.followUp.done && change !== 'revoked'
      ? { followUp: { owner: d.followUp.owner, due: d.followUp.due } }
      : {}),
  };
}
