/**
 * HTTP: `POST /api/messages` through the adapter into the app, `GET /healthz` with the storage
 * state (always 200, within 2 s: the process is alive) and `GET /readyz` (200 when the store
 * answers, 503 when not: for load balancers). Nothing else is exposed.
 *
 * Every POST to /api/messages gets one `request` log line and one span when it is answered:
 * what kind of activity it was (request-log.ts), the program team when a flow learnt it, the
 * HTTP status and the time taken, with the activity and conversation ids for correlation.
 */
import { performance } from 'node:perf_hooks';
import * as restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Logger, Repositories } from '../domain/ports';
import { noTelemetry, type Attributes, type Telemetry } from '../domain/telemetry';
import { attachNotes, describeActivity, type TurnNotes } from './request-log';

/** Teams activities are small; a card submit with long comments stays far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

/** /healthz and /readyz answer within this, whatever the store does. */
export const PROBE_DEADLINE_MS = 1800;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The parts of the envelope botbuilder and teams-ai rely on before any of our code runs (a
 * non-string `serviceUrl` makes CloudAdapter answer 500 with the internal error message; no
 * `conversation.id` fails the turn). Teams always sends them. Checked before the adapter sees the
 * activity; the content is validated by each flow. Returns the field that is wrong (never its
 * value), or undefined.
 */
function malformedEnvelope(a: Record<string, unknown>): string | undefined {
  if (String(a.type).length > 64) return 'type';
  if (typeof a.serviceUrl !== 'string' || a.serviceUrl.length > 2048) return 'serviceUrl';
  try {
    if (!['http:', 'https:'].includes(new URL(a.serviceUrl).protocol)) return 'serviceUrl';
  } catch {
    return 'serviceUrl';
  }
  // teams-ai keys its turn state on these four and fails the turn without them (an invoke then gets 501).
  if (typeof a.channelId !== 'string' || a.channelId.length === 0 || a.channelId.length > 64) return 'channelId';
  for (const field of ['from', 'recipient', 'conversation'] as const) {
    const v = a[field];
    if (!isObject(v)) return field;
    if (typeof v.id !== 'string' || v.id.length === 0 || v.id.length > 2048) return `${field}.id`;
  }
  for (const field of ['id', 'text', 'name', 'locale', 'replyToId', 'action'] as const) {
    if (a[field] !== undefined && a[field] !== null && typeof a[field] !== 'string') return field;
  }
  for (const field of ['entities', 'attachments', 'membersAdded', 'membersRemoved'] as const) {
    if (a[field] !== undefined && a[field] !== null && !Array.isArray(a[field])) return field;
  }
  return undefined;
}

export interface ServerDeps {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  repos: Pick<Repositories, 'ping'>;
  logger: Logger;
  version: string;
  storageMode: string;
  /** Default PROBE_DEADLINE_MS. */
  probeDeadlineMs?: number;
  /** Default: none (nothing recorded). */
  telemetry?: Telemetry;
}

/** An id as the log line carries it: a string of sane length, else nothing. */
function idOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 2048 ? v : undefined;
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'kraftsamla', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  const telemetry = deps.telemetry ?? noTelemetry;

  const handleActivity = async (req: restify.Request, res: restify.Response, notes: TurnNotes): Promise<void> => {
    if (!req.body || typeof req.body !== 'object' || typeof (req.body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'expected a Bot Framework activity (JSON object with a type)' });
      return;
    }
    const malformed = malformedEnvelope(req.body as Record<string, unknown>);
    if (malformed) {
      deps.logger.warn({ path: req.path(), problem: malformed }, 'malformed activity refused');
      res.send(400, { error: `malformed activity: ${malformed}` });
      return;
    }
    try {
      await deps.adapter.process(req, res as never, async (context) => {
        attachNotes(context, notes);
        await deps.app.run(context);
      });
      if (res.statusCode === 401) {
        // Who tried and what was wrong with the token, never the token itself.
        deps.logger.warn(
          {
            path: req.path(),
            status: 401,
            remote: req.socket?.remoteAddress,
            activityType: (req.body as { type: string }).type,
          },
          'request refused: not authenticated',
        );
      }
    } catch (err) {
      deps.logger.error({ err }, 'adapter failed to process the request');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  };

  server.post('/api/messages', async (req, res) => {
    const started = performance.now();
    const body = req.body as Record<string, unknown> | undefined;
    const description = describeActivity(body);
    const ids = {
      activityId: idOf(body?.id),
      conversationId: idOf((body?.conversation as { id?: unknown } | undefined)?.id),
    };
    const notes: TurnNotes = {};
    await telemetry.span(
      `activity ${description.type}`,
      {
        'kraftsamla.activity.type': description.type,
        'kraftsamla.activity.name': description.name,
        'kraftsamla.activity.verb': description.verb,
        'kraftsamla.activity.command': description.command,
      },
      async (span) => {
        try {
          await handleActivity(req, res, notes);
        } finally {
          const ms = Math.round(performance.now() - started);
          const status = res.statusCode;
          const attributes: Attributes = {
            'kraftsamla.team': notes.teamKey,
            'http.response.status_code': status,
            'kraftsamla.activity.id': ids.activityId,
            'kraftsamla.conversation.id': ids.conversationId,
          };
          span.set(attributes);
          if (status >= 500) span.fail();
          telemetry.record('request.duration', ms, { type: description.type, status });
          deps.logger.info({ ...description, team: notes.teamKey, status, ms, ...ids }, 'request');
        }
      },
      'server',
    );
  });

  // The store's ping has a deadline of its own; this one holds whatever the ping does.
  const storageAnswers = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), deps.probeDeadlineMs ?? PROBE_DEADLINE_MS)),
    );
    try {
      return await Promise.race([deps.repos.ping().catch(() => false), late]);
    } finally {
      clearTimeout(timer);
    }
  };

  server.get('/healthz', async (_req, res) => {
    const storage = await storageAnswers();
    res.send(200, {
      status: storage ? 'ok' : 'degraded',
      storage: storage ? 'up' : 'down',
      storageMode: deps.storageMode,
      version: deps.version,
    });
  });

  server.get('/readyz', async (_req, res) => {
    const storage = await storageAnswers();
    res.send(storage ? 200 : 503, { ready: storage, storage: storage ? 'up' : 'down' });
  });

  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ path: req.path(), status: (err as { statusCode?: number }).statusCode }, 'request rejected');
    return callback();
  });

  return server;
}
