/**
 * Preloaded into a benchmark's child process (`node --require`): counts the HTTP requests the
 * process makes, per host:port, through Node's diagnostics channel (nothing is patched). On
 * SIGUSR2 it writes the counts so far to `BENCH_REQUEST_COUNT_FILE`, so the benchmark can take the
 * difference over its measured phase (the bot's requests to Azurite per answer).
 */
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';

const counts: Record<string, number> = {};
diagnostics.subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  const host = String(request.getHeader('host') ?? request.host);
  counts[host] = (counts[host] ?? 0) + 1;
});

const file = process.env.BENCH_REQUEST_COUNT_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    fs.writeFileSync(file, JSON.stringify(counts));
  });
}
