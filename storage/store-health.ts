/**
 * Whether the store answers at all, learnt from a cheap probe with a short deadline. A store that
 * refuses (connection refused, 503) already fails fast on its own; a store that does not answer
 * (paused, a network that drops packets) would hold every request for the SDK's per-try timeout
 * and retries, about 25 s. So when an operation is slow or fails without an answer, the store is
 * probed; when `stalledAfter` probes in a row get no answer within `probeTimeoutMs`, the store is
 * *stalled*: operations on the wire are aborted and new ones fail at once, until a probe is
 * answered again (probes go on every `intervalMs` meanwhile). A store that is slow but answers
 * the probe stays usable: its slow operations run to their end.
 */
export type ProbeResult = 'up' | 'error' | 'timeout';

export interface StoreHealthOptions {
  /** How long a probe may take before it counts as unanswered (the /healthz deadline). */
  probeTimeoutMs?: number;
  /** Pause between probes while the store is suspect or stalled. */
  intervalMs?: number;
  /** Unanswered probes in a row that make the store stalled. */
  stalledAfter?: number;
  /** An operation that has not finished after this long makes the store suspect. */
  suspectAfterMs?: number;
  /** Told when the store becomes stalled (true) or answers again (false). */
  onChange?: (stalled: boolean) => void;
}

export class StoreHealth {
  readonly probeTimeoutMs: number;
  readonly suspectAfterMs: number;
  private readonly intervalMs: number;
  private readonly stalledAfter: number;
  private stalled = false;
  private unanswered = 0;
  private controller = new AbortController();
  private inFlight: Promise<ProbeResult> | undefined;
  private watching = false;
  private closed = false;

  constructor(
    private readonly probeOnce: (signal: AbortSignal) => Promise<void>,
    private readonly options: StoreHealthOptions = {},
  ) {
    this.probeTimeoutMs = options.probeTimeoutMs ?? 1500;
    this.intervalMs = options.intervalMs ?? 500;
    this.stalledAfter = options.stalledAfter ?? 2;
    this.suspectAfterMs = options.suspectAfterMs ?? 1000;
  }

  /** Aborts when the store is found stalled; a fresh one once it answers again. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  isStalled(): boolean {
    return this.stalled;
  }

  /** One probe (shared with any already running), within `probeTimeoutMs`. */
  probe(): Promise<ProbeResult> {
    if (!this.inFlight) {
      this.inFlight = this.runProbe().finally(() => (this.inFlight = undefined));
    }
    return this.inFlight;
  }

  /** Something was slow or got no answer: probe until the store answers. */
  suspect(): void {
    if (this.watching || this.closed) return;
    this.watching = true;
    void (async () => {
      try {
        for (;;) {
          const result = await this.probe();
          if (this.closed || (result !== 'timeout' && !this.stalled)) return;
          await new Promise((r) => setTimeout(r, this.intervalMs).unref());
        }
      } finally {
        this.watching = false;
      }
    })();
  }

  close(): void {
    this.closed = true;
  }

  private async runProbe(): Promise<ProbeResult> {
    const deadline = AbortSignal.timeout(this.probeTimeoutMs);
    let result: ProbeResult;
    try {
      // The race holds the deadline even if the probe ignores its signal.
      await Promise.race([
        this.probeOnce(deadline),
        new Promise<never>((_, reject) =>
          deadline.addEventListener('abort', () => reject(new Error('probe deadline')), { once: true }),
        ),
      ]);
      result = 'up';
    } catch {
      result = deadline.aborted ? 'timeout' : 'error';
    }
    this.record(result);
    return result;
  }

  private record(result: ProbeResult): void {
    if (result === 'timeout') {
      this.unanswered++;
      if (!this.stalled && this.unanswered >= this.stalledAfter) {
        this.stalled = true;
        this.controller.abort(new Error('storage does not answer'));
        this.options.onChange?.(true);
      }
      return;
    }
    this.unanswered = 0;
    if (this.stalled) {
      this.stalled = false;
      this.controller = new AbortController();
      this.options.onChange?.(false);
    }
  }
}
