/**
 * A local OTLP/HTTP receiver for tests: accepts JSON posts to /v1/traces and /v1/metrics (what
 * @opentelemetry/exporter-*-otlp-http send) and keeps them, with the span and metric names.
 */
import * as http from 'node:http';

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT`: the value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  /** Every request, in arrival order. */
  readonly requests: { path: string; body: unknown }[];
  spans(): OtlpSpan[];
  /** Metric name → data points (with their attributes) of all exports. */
  metrics(): Map<string, OtlpPoint[]>;
  close(): Promise<void>;
}

export interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status?: { code?: number };
}

export interface OtlpPoint {
  attributes: Record<string, unknown>;
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
  sum?: number;
}

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    const v = kv.value;
    out[kv.key] =
      v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue;
  }
  return out;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: { path: string; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      requests.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const of = (path: string) => requests.filter((r) => r.path === path).map((r) => r.body as Record<string, unknown>);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    spans: () =>
      of('/v1/traces').flatMap((b) =>
        (
          (b.resourceSpans as {
            scopeSpans: { spans: (Omit<OtlpSpan, 'attributes'> & { attributes?: KeyValue[] })[] }[];
          }[]) ?? []
        ).flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, attributes: attributesOf(s.attributes) }))),
        ),
      ),
    metrics: () => {
      const out = new Map<string, OtlpPoint[]>();
      for (const b of of('/v1/metrics')) {
        for (const rm of (b.resourceMetrics as { scopeMetrics: { metrics: Record<string, unknown>[] }[] }[]) ?? []) {
          for (const sm of rm.scopeMetrics) {
            for (const m of sm.metrics) {
              const data = (m.sum ?? m.histogram ?? m.gauge) as
                { dataPoints?: (OtlpPoint & { attributes?: KeyValue[] })[] } | undefined;
              const points = (data?.dataPoints ?? []).map((p) => ({
                ...p,
                attributes: attributesOf(p.attributes as unknown as KeyValue[]),
              }));
              out.set(m.name as string, [...(out.get(m.name as string) ?? []), ...points]);
            }
          }
        }
      }
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
