/**
 * HTTP: `POST /api/messages` through the adapter into the app, `GET /healthz` with the storage
 * state. Nothing else is exposed.
 */
import * as restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Logger, Repositories } from '../domain/ports';

/** Teams activities are small; a card submit with long comments stays far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  repos: Pick<Repositories, 'ping'>;
  logger: Logger;
  version: string;
  storageMode: string;
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'kraftsamla', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || typeof (req.body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'expected a Bot Framework activity (JSON object with a type)' });
      return;
    }
    try {
      await deps.adapter.process(req, res as never, async (context) => {
        await deps.app.run(context);
      });
    } catch (err) {
      deps.logger.error({ err }, 'adapter failed to process the request');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    const storage = await deps.repos.ping();
    res.send(200, { status: storage ? 'ok' : 'degraded', storage: storage ? 'up' : 'down', storageMode: deps.storageMode, version: deps.version });
  });

  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ path: req.path(), status: (err as { statusCode?: number }).statusCode }, 'request rejected');
    return callback();
  });

  return server;
}
