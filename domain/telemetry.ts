/**
 * Traces and metrics, as the rest of the code sees them: a small port. bot/telemetry.ts
 * implements it on OpenTelemetry when an exporter is configured; otherwise `noTelemetry` is used
 * and nothing is recorded or sent. Attributes are ids, names and numbers, never what people wrote.
 */

export type AttributeValue = string | number | boolean | undefined;
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** The span in progress, for what is only known at its end (a status, a team). */
export interface SpanScope {
  set(attributes: Attributes): void;
  /** Marks the span failed; the error's name or code is recorded, never its message. */
  fail(error?: unknown): void;
}

export type SpanKind = 'server' | 'client' | 'internal';

/**
 * Counters: `answers` (check-in answers saved), `decisions` (decisions logged), `sends`
 * (requests to the Bot Connector that post, update or delete, by `status`), `throttles` (429
 * answers from the Bot Connector).
 */
export type CounterName = 'answers' | 'decisions' | 'sends' | 'throttles';

/** Histograms, in milliseconds: one store operation, one incoming activity, one send. */
export type HistogramName = 'store.duration' | 'request.duration' | 'send.duration';

export interface Telemetry {
  /** Whether anything is exported (false for `noTelemetry`). */
  readonly enabled: boolean;
  /** Runs `fn` inside a span; spans started inside it (also across awaits) are its children. */
  span<T>(name: string, attributes: Attributes, fn: (span: SpanScope) => Promise<T>, kind?: SpanKind): Promise<T>;
  count(name: CounterName, value?: number, attributes?: Attributes): void;
  record(name: HistogramName, value: number, attributes?: Attributes): void;
  /** Exports what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

const noSpan: SpanScope = { set: () => undefined, fail: () => undefined };

/** Records nothing, sends nothing. */
export const noTelemetry: Telemetry = Object.freeze({
  enabled: false,
  span: <T>(_name: string, _attributes: Attributes, fn: (span: SpanScope) => Promise<T>) => fn(noSpan),
  count: () => undefined,
  record: () => undefined,
  shutdown: async () => undefined,
});
