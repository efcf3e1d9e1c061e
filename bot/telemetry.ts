/**
 * The `Telemetry` port on OpenTelemetry: traces and metrics exported over OTLP/HTTP (JSON) when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, to Application Insights when
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` is, to both when both are. With neither, `noTelemetry`
 * is returned and no OpenTelemetry module is even loaded: nothing is recorded, nothing is sent.
 *
 * The SDK is used without registering anything globally (no global tracer or meter provider, no
 * context manager): spans nest through an AsyncLocalStorage of our own, so a store request or a
 * send made while an activity is handled is a child of that activity's span.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Counter, Histogram, Span } from '@opentelemetry/api';
import type { Config } from '../config/config';
import type { Logger } from '../domain/ports';
import {
  noTelemetry,
  type Attributes,
  type CounterName,
  type HistogramName,
  type SpanKind,
  type SpanScope,
  type Telemetry,
} from '../domain/telemetry';

export interface TelemetryOptions {
  logger: Logger;
  /** The service's version on every span and metric. */
  version: string;
  /** How often metrics are exported (default 60 s; they are also exported on shutdown). */
  metricIntervalMs?: number;
}

/** The OTLP/HTTP address of one signal under the configured base endpoint. */
export function signalUrl(endpoint: string, signal: 'traces' | 'metrics'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}

const COUNTERS: Record<CounterName, { name: string; description: string }> = {
  answers: { name: 'kraftsamla.answers', description: 'Check-in answers saved' },
  decisions: { name: 'kraftsamla.decisions', description: 'Decisions logged' },
  sends: { name: 'kraftsamla.sends', description: 'Posts, updates and deletes sent to the Bot Connector, by status' },
  throttles: { name: 'kraftsamla.throttles', description: 'Answers 429 (too many requests) from the Bot Connector' },
};

const HISTOGRAMS: Record<HistogramName, { name: string; description: string }> = {
  'store.duration': {
    name: 'kraftsamla.store.duration',
    description: 'Time of one store operation (with its retries)',
  },
  'request.duration': { name: 'kraftsamla.request.duration', description: 'Time to answer one incoming activity' },
  'send.duration': {
    name: 'kraftsamla.send.duration',
    description: 'Time of one send to the Bot Connector (with its retries)',
  },
};

/** Attributes without the unset ones (OpenTelemetry drops `undefined` with a warning). */
function defined(attributes: Attributes | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** What a failure is called on a span: its code or name, never its message (it may quote input). */
function errorType(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; name?: unknown; statusCode?: unknown };
  const v = e.code ?? e.statusCode ?? e.name;
  return v === undefined ? undefined : String(v).slice(0, 64);
}

/** Telemetry for the configuration: `noTelemetry` unless an exporter is configured. */
export async function loadTelemetry(settings: Config['telemetry'], options: TelemetryOptions): Promise<Telemetry> {
  if (!settings.otlpEndpoint && !settings.appInsightsConnectionString) return noTelemetry;

  const api = await import('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  type SpanExporter = ConstructorParameters<typeof BatchSpanProcessor>[0];
  type MetricExporter = ConstructorParameters<typeof PeriodicExportingMetricReader>[0]['exporter'];

  const spanExporters: SpanExporter[] = [];
  const metricExporters: MetricExporter[] = [];
  if (settings.otlpEndpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    spanExporters.push(new OTLPTraceExporter({ url: signalUrl(settings.otlpEndpoint, 'traces') }));
    metricExporters.push(new OTLPMetricExporter({ url: signalUrl(settings.otlpEndpoint, 'metrics') }));
  }
  if (settings.appInsightsConnectionString) {
    const { AzureMonitorTraceExporter, AzureMonitorMetricExporter } =
      await import('@azure/monitor-opentelemetry-exporter');
    // No offline copy on disk: what cannot be sent is dropped, as with OTLP.
    const azure = { connectionString: settings.appInsightsConnectionString, disableOfflineStorage: true };
    spanExporters.push(new AzureMonitorTraceExporter(azure));
    metricExporters.push(new AzureMonitorMetricExporter(azure));
  }

  const resource = resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': options.version });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: spanExporters.map((e) => new BatchSpanProcessor(e)),
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: metricExporters.map(
      (exporter) =>
        new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: options.metricIntervalMs ?? 60_000 }),
    ),
  });
  const tracer = tracerProvider.getTracer('kraftsamla', options.version);
  const meter = meterProvider.getMeter('kraftsamla', options.version);
  const counters = new Map<CounterName, Counter>();
  const histograms = new Map<HistogramName, Histogram>();
  for (const [key, c] of Object.entries(COUNTERS) as [CounterName, (typeof COUNTERS)[CounterName]][]) {
    counters.set(key, meter.createCounter(c.name, { description: c.description, valueType: api.ValueType.INT }));
  }
  for (const [key, h] of Object.entries(HISTOGRAMS) as [HistogramName, (typeof HISTOGRAMS)[HistogramName]][]) {
    histograms.set(key, meter.createHistogram(h.name, { description: h.description, unit: 'ms' }));
  }
  const kinds: Record<SpanKind, number> = {
    server: api.SpanKind.SERVER,
    client: api.SpanKind.CLIENT,
    internal: api.SpanKind.INTERNAL,
  };
  const active = new AsyncLocalStorage<Context>();
  let stopped = false;

  options.logger.info(
    {
      otlp: settings.otlpEndpoint ? signalUrl(settings.otlpEndpoint, 'traces').replace(/\/v1\/traces$/, '') : undefined,
      applicationInsights: Boolean(settings.appInsightsConnectionString),
      serviceName: settings.serviceName,
    },
    'telemetry: exporting traces and metrics',
  );

  return {
    enabled: true,
    async span<T>(
      name: string,
      attributes: Attributes,
      fn: (span: SpanScope) => Promise<T>,
      kind: SpanKind = 'internal',
    ): Promise<T> {
      const parent = active.getStore() ?? api.ROOT_CONTEXT;
      const span: Span = tracer.startSpan(name, { kind: kinds[kind], attributes: defined(attributes) }, parent);
      let failed = false;
      const scope: SpanScope = {
        set: (more) => {
          span.setAttributes(defined(more));
        },
        fail: (error) => {
          failed = true;
          const type = errorType(error);
          if (type) span.setAttribute('error.type', type);
        },
      };
      try {
        return await active.run(api.trace.setSpan(parent, span), () => fn(scope));
      } catch (err) {
        scope.fail(err);
        throw err;
      } finally {
        span.setStatus({ code: failed ? api.SpanStatusCode.ERROR : api.SpanStatusCode.UNSET });
        span.end();
      }
    },
    count(name, value = 1, attributes) {
      counters.get(name)?.add(value, defined(attributes));
    },
    record(name, value, attributes) {
      histograms.get(name)?.record(value, defined(attributes));
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      const results = await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      for (const r of results)
        if (r.status === 'rejected')
          options.logger.warn({ err: { message: (r.reason as Error)?.message } }, 'telemetry: the last export failed');
    },
  };
}
