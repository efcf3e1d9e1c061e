/**
 * A local OpenAI-compatible chat completions server for tests: `POST /v1/chat/completions`
 * (OpenAI and compatible servers) and `POST /openai/deployments/<name>/chat/completions`
 * (Azure OpenAI), over HTTP, or HTTPS with a given key and certificate. Records each request and
 * answers as told: a text, an HTTP error, an empty answer, or never.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export type ModelBehaviour =
  { kind: 'text'; text: string } | { kind: 'status'; status: number } | { kind: 'empty' } | { kind: 'hang' };

export interface ModelRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    messages: { role: string; content: string }[];
    max_tokens?: number;
    temperature?: number;
  };
}

export interface ModelDouble {
  url: string;
  requests: ModelRequest[];
  behave(b: ModelBehaviour): void;
  close(): Promise<void>;
}

/** Not chained: restify (loaded by the bot in the same process) patches writeHead to return nothing. */
function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startModelDouble(tls?: { key: string; cert: string }): Promise<ModelDouble> {
  let behaviour: ModelBehaviour = { kind: 'text', text: 'En lugn vecka.' };
  const requests: ModelRequest[] = [];
  const held: http.ServerResponse[] = [];
  const handler: http.RequestListener = (req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !/^\/(v1|openai\/deployments\/[^/]+)\/chat\/completions(\?|$)/.test(path)) {
        answer(res, 404, { error: { message: 'not found' } });
        return;
      }
      requests.push({ method: req.method, path, headers: req.headers, body: JSON.parse(raw) as ModelRequest['body'] });
      const b = behaviour;
      if (b.kind === 'hang') {
        held.push(res);
        return;
      }
      if (b.kind === 'status') {
        answer(res, b.status, { error: { message: 'model double failure', type: 'server_error' } });
        return;
      }
      const content = b.kind === 'text' ? b.text : '';
      answer(res, 200, {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 1764244800,
        model: requests.at(-1)!.body.model ?? 'deployment',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    behave: (b) => {
      behaviour = b;
    },
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
