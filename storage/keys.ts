/**
 * Every partition and row key is built here, never inline, so the table layout is read in one place. Table Storage forbids
 * `/ \ # ?` and control characters in keys; Teams ids contain `:` `@` `;` which are allowed, so
 * only the forbidden characters (and `%`, the escape itself) are percent-encoded.
 */

export function encodeKey(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- control characters are forbidden in keys, so they are encoded
    /[%/\\#?\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
}

export const TABLES = {
  teams: 'Teams',
  bindings: 'Bindings',
  actions: 'Actions',
  events: 'Events',
  decisions: 'Decisions',
  indicators: 'Indicators',
  checkIns: 'CheckIns',
  jobs: 'Jobs',
  roles: 'Roles',
  programTeams: 'ProgramTeams',
  uploads: 'Uploads',
  meetings: 'Meetings',
} as const;

export type TableName = keyof typeof TABLES;

export const keys = {
  /** Installed Teams teams: one partition, they are few. */
  team: (teamsTeamId: string) => ({ partitionKey: 'team', rowKey: encodeKey(teamsTeamId) }),
  teamPartition: () => 'team',

  binding: (programId: string, channelId: string) => ({
    partitionKey: encodeKey(programId),
    rowKey: encodeKey(channelId),
  }),
  bindingPartition: (programId: string) => encodeKey(programId),

  /** Actions: one partition per program (hundreds of rows), read whole for a team's card. */
  action: (programId: string, actionId: string) => ({
    partitionKey: encodeKey(programId),
    rowKey: encodeKey(actionId),
  }),
  actionPartition: (programId: string) => encodeKey(programId),

  /**
   * Event log: one partition per program and ISO week, so a week's digest reads one partition
   * however long the history. Row keys sort by time: the UTC timestamp (fixed width ISO) plus
   * the event id for uniqueness.
   */
  eventPartition: (programId: string, week: string) => `${encodeKey(programId)}|${week}`,
  event: (programId: string, week: string, at: string, eventId: string) => ({
    partitionKey: `${encodeKey(programId)}|${week}`,
    rowKey: `e|${at}|${encodeKey(eventId)}`,
  }),
  /** Marker row that makes an event id unique in its week (written in the same transaction). */
  eventMarker: (programId: string, week: string, eventId: string) => ({
    partitionKey: `${encodeKey(programId)}|${week}`,
    rowKey: `id|${encodeKey(eventId)}`,
  }),
  eventRowPrefix: 'e|',
  /**
   * The summary of a closed week's status updates, beside its log (derived from it, created once).
   * The version in the key lets a later shape start afresh instead of reading an old one.
   */
  weekSummary: (programId: string, week: string) => ({
    partitionKey: `${encodeKey(programId)}|${week}`,
    rowKey: 'sum|status|v1',
  }),

  /** Decisions: one partition per program and year; the counter row lives beside them. */
  decisionPartition: (programId: string, year: number) => `${encodeKey(programId)}|${year}`,
  decision: (programId: string, year: number, number: string) => ({
    partitionKey: `${encodeKey(programId)}|${year}`,
    rowKey: `D|${number}`,
  }),
  decisionCounter: (programId: string, year: number) => ({
    partitionKey: `${encodeKey(programId)}|${year}`,
    rowKey: 'counter',
  }),
  decisionRowPrefix: 'D|',
  /**
   * Marker of one request (a form's submit, an amend or revoke save) that changed a decision,
   * written in the same transaction as that change: a second delivery fails the transaction.
   */
  decisionRequest: (programId: string, year: number, requestKey: string) => ({
    partitionKey: `${encodeKey(programId)}|${year}`,
    rowKey: `req|${encodeKey(requestKey)}`,
  }),

  indicator: (programId: string, id: string) => ({ partitionKey: encodeKey(programId), rowKey: encodeKey(id) }),
  indicatorPartition: (programId: string) => encodeKey(programId),

  /** Check-ins: one partition per program and week, a row per team. */
  checkIn: (programId: string, week: string, teamKey: string) => ({
    partitionKey: `${encodeKey(programId)}|${week}`,
    rowKey: encodeKey(teamKey),
  }),
  checkInPartition: (programId: string, week: string) => `${encodeKey(programId)}|${week}`,

  /** Jobs table: scheduler leases, finished occurrences, fan-out deliveries. */
  lease: (programId: string, name: string) => ({
    partitionKey: `lease|${encodeKey(programId)}`,
    rowKey: encodeKey(name),
  }),
  jobRun: (programId: string, key: string) => ({ partitionKey: `run|${encodeKey(programId)}`, rowKey: encodeKey(key) }),
  delivery: (programId: string, batch: string, key: string) => ({
    partitionKey: `delivery|${encodeKey(programId)}|${encodeKey(batch)}`,
    rowKey: encodeKey(key),
  }),
  deliveryPartition: (programId: string, batch: string) => `delivery|${encodeKey(programId)}|${encodeKey(batch)}`,

  /**
   * Program roles given in Teams: one partition per program (a handful of rows). `admin|<id>` per
   * program admin (object id or UPN, lower case); `installer` marks that the first install was
   * recorded, written in the same transaction as that person's admin row, so only one install
   * can ever claim it.
   */
  rolePartition: (programId: string) => encodeKey(programId),
  admin: (programId: string, id: string) => ({
    partitionKey: encodeKey(programId),
    rowKey: `admin|${encodeKey(id.trim().toLowerCase())}`,
  }),
  adminRowPrefix: 'admin|',
  installer: (programId: string) => ({ partitionKey: encodeKey(programId), rowKey: 'installer' }),

  /** Heartbeats of the running bot instances, one partition for the app (the send limits are the app's). */
  instance: (instanceId: string) => ({ partitionKey: 'instance', rowKey: encodeKey(instanceId) }),
  instancePartition: () => 'instance',

  /** Program teams made at import: one partition per program (a handful of rows), row key the team key. */
  programTeamPartition: (programId: string) => encodeKey(programId),
  programTeam: (programId: string, teamKey: string) => ({
    partitionKey: encodeKey(programId),
    rowKey: encodeKey(teamKey),
  }),
  /**
   * Plan files sent to the bot, one partition per program (a handful of rows): `u|<id>` is the
   * upload (its state, claimed with its ETag), `c|<id>|<nnnn>` hold its bytes in order.
   */
  uploadPartition: (programId: string) => encodeKey(programId),
  upload: (programId: string, id: string) => ({ partitionKey: encodeKey(programId), rowKey: `u|${encodeKey(id)}` }),
  uploadRowPrefix: 'u|',
  uploadChunk: (programId: string, id: string, n: number) => ({
    partitionKey: encodeKey(programId),
    rowKey: `c|${encodeKey(id)}|${String(n).padStart(4, '0')}`,
  }),
  uploadChunkPrefix: (id: string) => `c|${encodeKey(id)}|`,

  /** Steering meetings: one partition per program (a couple of dozen rows a year), row key the Teams meeting id. */
  meetingPartition: (programId: string) => encodeKey(programId),
  meeting: (programId: string, meetingId: string) => ({
    partitionKey: encodeKey(programId),
    rowKey: `m|${encodeKey(meetingId)}`,
  }),
  meetingRowPrefix: 'm|',
} as const;

/** The upper bound for a row-key prefix scan: `rk ge prefix and rk lt prefixEnd(prefix)`. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
