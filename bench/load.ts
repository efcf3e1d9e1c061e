/**
 * A small closed-loop HTTP load generator (autocannon's model: N connections, each sending its
 * next request when the previous answer arrives), so the benchmark needs no extra package.
 */
import * as http from 'node:http';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Stop after this many requests in all… */
  requests: number;
  /** …or after this long, whichever comes first. */
  maxDurationMs: number;
  /** The JSON body of request number `i`. */
  body(i: number): unknown;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  durationMs: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function send(agent: http.Agent, url: URL, payload: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  const connection = async () => {
    while (issued < options.requests && performance.now() < deadline) {
      const i = issued++;
      const payload = JSON.stringify(options.body(i));
      const t0 = performance.now();
      try {
        const status = await send(agent, url, payload, options.headers ?? {});
        if (status < 200 || status >= 300) non2xx++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const durationMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    non2xx,
    durationMs,
    rps: latencies.length / (durationMs / 1000),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
  };
}
