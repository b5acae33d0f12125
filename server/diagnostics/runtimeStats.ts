import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How busy the console's own event loop is, and its memory: what an operator checks when the page feels slow. */
export interface RuntimeStats {
  since: string;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rssBytes: number;
  /** The most the process has held since it started (the kernel's high-water mark). */
  peakRssBytes: number;
  heapUsedBytes: number;
}

const NS_PER_MS = 1e6;
const round = (ns: number) => Math.round((ns / NS_PER_MS) * 100) / 100;

/** Samples the event loop's delay every 10 ms from start until stopped; reset starts a new measurement. */
export class RuntimeMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = new Date();

  constructor() {
    this.histogram.enable();
  }

  stats(): RuntimeStats {
    const memory = process.memoryUsage();
    return {
      since: this.since.toISOString(),
      eventLoopDelayMs: { p50: round(this.histogram.percentile(50)), p99: round(this.histogram.percentile(99)), max: round(this.histogram.max) },
      rssBytes: memory.rss,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: memory.heapUsed,
    };
  }

  reset(): RuntimeStats {
    const stats = this.stats();
    this.histogram.reset();
    this.since = new Date();
    return stats;
  }

  stop(): void {
    this.histogram.disable();
  }
}
