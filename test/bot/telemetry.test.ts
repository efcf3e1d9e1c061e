/**
 * Traces and metrics reach an OTLP/HTTP receiver (a local one here) when an endpoint is
 * configured; with nothing configured no OpenTelemetry module is loaded and nothing is sent.
 * The exporting runs in a child process (fixtures/telemetry-child.ts): the OTLP exporters load
 * Node's http module with a dynamic import(), which jest's module sandbox cannot run.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { signalUrl } from '../../bot/telemetry';
import { startOtlpReceiver, type OtlpReceiver, type OtlpSpan } from '../support/otlp-receiver';

const ROOT = path.join(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'telemetry-child.ts');

/** Runs a .ts file in plain Node.js, transpiled on require. */
const TS_HOOK = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  m._compile(out.outputText, filename);
};
require(process.argv[1]);
`;

/** Environment of the child: none of the parent's OTEL_* or Application Insights settings. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OTEL_|APPLICATIONINSIGHTS_)/.test(k)));
}

async function runChild(mode: 'api' | 'bot', endpoint: string): Promise<{ modules: string[] }> {
  const child = spawn(process.execPath, ['--no-deprecation', '-e', TS_HOOK, CHILD, mode, endpoint], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line).toBeDefined();
  return JSON.parse(line!.slice('RESULT '.length)) as { modules: string[] };
}

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

beforeEach(() => {
  receiver.requests.length = 0;
});

const byName = (spans: OtlpSpan[]) => {
  const out = new Map<string, OtlpSpan[]>();
  for (const s of spans) out.set(s.name, [...(out.get(s.name) ?? []), s]);
  return out;
};

describe('with nothing configured', () => {
  it('loads no OpenTelemetry module and sends nothing, also when the bot runs', async () => {
    expect((await runChild('api', '')).modules).toEqual([]);
    expect((await runChild('bot', '')).modules).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toEqual([]);
  });
});

describe('with an OTLP/HTTP endpoint', () => {
  it('exports nested spans, the counters and the histograms to it', async () => {
    const { modules } = await runChild('api', `${receiver.endpoint}/`);
    expect(modules).toEqual(
      expect.arrayContaining([
        '@opentelemetry/api',
        '@opentelemetry/sdk-trace-base',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/exporter-metrics-otlp-http',
      ]),
    );
    expect(modules).not.toContain('@azure/monitor-opentelemetry-exporter');

    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
    const spans = byName(receiver.spans());
    expect([...spans.keys()].sort()).toEqual(['activity message', 'send send', 'store GET']);
    const activity = spans.get('activity message')![0]!;
    // Unset attributes are left out.
    expect(activity.attributes).toEqual({
      'kraftsamla.activity.type': 'message',
      'kraftsamla.activity.command': 'checkin',
      'http.response.status_code': 200,
      'kraftsamla.team': 'bostader',
    });
    expect(activity.parentSpanId ?? '').toBe('');
    expect(activity.kind).toBe(2); // SERVER
    for (const child of ['store GET', 'send send']) {
      expect(spans.get(child)![0]!.traceId).toBe(activity.traceId);
      expect(spans.get(child)![0]!.parentSpanId).toBe(activity.spanId);
      expect(spans.get(child)![0]!.kind).toBe(3); // CLIENT
    }
    const failed = spans.get('send send')![0]!;
    expect(failed.status?.code).toBe(2); // ERROR
    expect(failed.attributes['error.type']).toBe('ECONNRESET');
    expect(JSON.stringify(receiver.requests)).not.toContain('secret words');
    const resource = JSON.stringify(
      (receiver.requests.find((r) => r.path === '/v1/traces')!.body as { resourceSpans: { resource: unknown }[] })
        .resourceSpans[0]!.resource,
    );
    expect(resource).toContain('kraftsamla-test');
    expect(resource).toContain('1.2.3');

    const metrics = receiver.metrics();
    const counted = (name: string) => metrics.get(name)?.map((p) => [Number(p.asInt), p.attributes]);
    expect(counted('kraftsamla.answers')).toEqual([[1, { team: 'bostader' }]]);
    expect(counted('kraftsamla.decisions')).toEqual([[1, {}]]);
    expect(counted('kraftsamla.sends')).toEqual([[2, { operation: 'send', status: '201' }]]);
    expect(counted('kraftsamla.throttles')).toEqual([[1, {}]]);
    expect(metrics.get('kraftsamla.store.duration')).toEqual([
      expect.objectContaining({ sum: 12.5, attributes: { method: 'GET', table: 'ksTeams', status: 200 } }),
    ]);
    expect(Number(metrics.get('kraftsamla.store.duration')![0]!.count)).toBe(1);
    expect(metrics.get('kraftsamla.request.duration')).toEqual([expect.objectContaining({ sum: 40 })]);
  });

  it('gets a span per activity, per send and per store request from the running bot, and its metrics on stop', async () => {
    await runChild('bot', receiver.endpoint);
    const spans = byName(receiver.spans());
    const activities = spans.get('activity message') ?? [];
    expect(activities.map((s) => s.attributes['kraftsamla.activity.command'])).toEqual(['link', 'checkin']);
    for (const a of activities) {
      expect(a.attributes).toMatchObject({ 'kraftsamla.activity.type': 'message', 'http.response.status_code': 200 });
      expect(typeof a.attributes['kraftsamla.activity.id']).toBe('string');
      expect(typeof a.attributes['kraftsamla.conversation.id']).toBe('string');
    }
    expect(activities[1]!.attributes['kraftsamla.team']).toBe('bostader');
    // The replies and the posted check-in card, each inside the activity that sent it.
    const sends = spans.get('send send') ?? [];
    expect(sends.length).toBeGreaterThanOrEqual(2);
    const activityIds = new Set(activities.map((a) => a.spanId));
    expect(sends.filter((s) => activityIds.has(s.parentSpanId ?? '')).length).toBeGreaterThanOrEqual(2);
    expect(sends[0]!.attributes).toMatchObject({
      'kraftsamla.send.operation': 'send',
      'kraftsamla.send.attempts': 1,
      'kraftsamla.send.throttled': 0,
    });
    // Store requests: at start (tables, heartbeat) and inside the turns.
    const store = [...spans.entries()].filter(([name]) => name.startsWith('store ')).flatMap(([, s]) => s);
    expect(store.length).toBeGreaterThan(5);
    expect(store.filter((s) => activityIds.has(s.parentSpanId ?? '')).length).toBeGreaterThan(0);
    expect(store.every((s) => s.attributes['db.system.name'] === 'azure.tables')).toBe(true);
    // Nothing anyone typed.
    expect(JSON.stringify(receiver.requests)).not.toMatch(/koppla|incheckning|bostäder/i);

    const metrics = receiver.metrics();
    expect(metrics.get('kraftsamla.request.duration')?.reduce((n, p) => n + Number(p.count), 0)).toBe(2);
    expect(metrics.get('kraftsamla.sends')?.reduce((n, p) => n + Number(p.asInt), 0)).toBe(sends.length);
    expect(metrics.get('kraftsamla.store.duration')?.reduce((n, p) => n + Number(p.count), 0)).toBeGreaterThan(5);
  });

  it('puts the signal paths under the configured base', () => {
    expect(signalUrl('http://collector:4318', 'traces')).toBe('http://collector:4318/v1/traces');
    expect(signalUrl('https://otel.example/base/', 'metrics')).toBe('https://otel.example/base/v1/metrics');
  });
});
