import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * One thread's share of the console's memory: its V8 heap, and what its objects hold outside it
 * (`external`, of which `arrayBuffers` are Buffers). In a worker thread these are the worker's own.
 */
export interface ThreadMemory {
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

/** How busy the console's own event loop is, and its memory: what an operator checks when the page feels slow. */
export interface RuntimeStats {
  since: string;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rssBytes: number;
  /** The most the process has held since it started (the kernel's high-water mark). */
  peakRssBytes: number;
  heapUsedBytes: number;
  /** The console's own thread (pages, API, orchestrator, store). */
  mainThread: ThreadMemory;
  /**
   * The AP port's worker thread (TLS, socket.io and image blocks of every AP), as it last reported (at most a
   * second ago); null when the AP port runs on the console's own thread or has not started. What RSS holds
   * beyond both threads' heaps and external memory is native: OpenSSL, sockets, the allocator's free lists, code.
   */
  apPortWorker: ThreadMemory | null;
}

/** This thread's memory, as process.memoryUsage() reports it (its heap figures are the calling thread's). */
export function threadMemory(): ThreadMemory {
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers };
}

const NS_PER_MS = 1e6;
const round = (ns: number) => Math.round((ns / NS_PER_MS) * 100) / 100;

/** Samples the event loop's delay every 10 ms from start until stopped; reset starts a new measurement. */
export class RuntimeMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = new Date();

  constructor(private readonly apPortWorker: () => ThreadMemory | null = () => null) {
    this.histogram.enable();
  }

  stats(): RuntimeStats {
    const main = threadMemory();
    return {
      since: this.since.toISOString(),
      eventLoopDelayMs: { p50: round(this.histogram.percentile(50)), p99: round(this.histogram.percentile(99)), max: round(this.histogram.max) },
      rssBytes: process.memoryUsage.rss(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: main.heapUsedBytes,
      mainThread: main,
      apPortWorker: this.apPortWorker(),
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
