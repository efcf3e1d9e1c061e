/**
 * An HTTP proxy in front of Azurite that can cut storage off at an exact point: after the next
 * `n` requests, every request is refused with 503 (what Azure Table Storage answers when it is
 * unavailable; the SDK retries, then the repositories throw StorageUnavailableError) until
 * `restore()`. A request that got through is complete on the server: the cut falls between two
 * storage requests, which is where a flow can be half way through its writes.
 *
 * Killing Azurite (test/trust/storage-outage.e2e.test.ts) takes storage away at a moment the test
 * can't pick; this picks it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from '../../storage/azurite';

export interface StorageProxy {
  /** The connection string for the bot: same account and key, through the proxy. */
  readonly connectionString: string;
  /** Lets `n` more requests through, then refuses every request until `restore()`. */
  cutAfter(n: number): void;
  restore(): void;
  /** `METHOD path` of every request that reached Azurite since the last `clear()`. */
  readonly forwarded: string[];
  /** How many requests were refused since the last `clear()`. */
  refused(): number;
  clear(): void;
  close(): Promise<void>;
}

/**
 * The instance heartbeat (every few seconds, on its own timer) is no step of any flow: it passes
 * uncounted, so that a heartbeat falling inside a request on a slow machine does not move the cut.
 */
function isHeartbeat(url: string): boolean {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A URL that does not decode is counted like any other request.
  }
  return /PartitionKey( eq |=)'instance'/.test(decoded);
}

export async function startStorageProxy(azuritePort: number): Promise<StorageProxy> {
  let allowance = Number.POSITIVE_INFINITY;
  let refusedCount = 0;
  const forwarded: string[] = [];

  const server = http.createServer((req, res) => {
    const heartbeat = isHeartbeat(req.url ?? '');
    if (allowance <= 0 && !heartbeat) {
      refusedCount++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'x-ms-error-code': 'ServerBusy' });
      res.end(
        JSON.stringify({
          'odata.error': { code: 'ServerBusy', message: { value: 'Storage is cut off by the test.' } },
        }),
      );
      return;
    }
    if (!heartbeat) allowance--;
    if (!heartbeat) forwarded.push(`${req.method ?? ''} ${decodeURIComponent((req.url ?? '').split('?')[0] ?? '')}`);
    const upstream = http.request(
      { host: '127.0.0.1', port: azuritePort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    connectionString: azuriteConnectionString(port),
    cutAfter: (n) => {
      allowance = n;
    },
    restore: () => {
      allowance = Number.POSITIVE_INFINITY;
    },
    forwarded,
    refused: () => refusedCount,
    clear: () => {
      forwarded.length = 0;
      refusedCount = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
