import os from 'node:os';
import type { RuntimeStats, ThreadMemory } from '../server/diagnostics/runtimeStats';
import type { CpuShare } from './processCpu';

// The fleet bench's rows and the tables it prints from them (bench/fleet.ts measures).

export const MODES = { worker: '1', 'in-loop': '0' } as const;
export type Mode = keyof typeof MODES;

export interface Row {
  aps: number;
  mode: Mode;
  joinS: number;
  predownloadS: number;
  rateMBps: number;
  bytesRead: number;
  distinctBytes: number;
  peakRss: number;
  loop: RuntimeStats['eventLoopDelayMs'];
  apiP50: number;
  apiP99: number;
  apiMax: number;
  screenLagP50: number | null;
  screenLagMax: number | null;
  digestsOk: number;
  /** Event-loop delay while the fleet enrolled and joined (the goals are for the predownload). */
  joinLoop: RuntimeStats['eventLoopDelayMs'];
  cpu: { join: CpuShare; predownload: CpuShare };
  /** The console's memory once the fleet had joined and once the predownload had ended. */
  memory: { join: MemoryMark; predownload: MemoryMark };
}

/** Where the console's resident memory is, by thread: what is not in a heap or external is native (OpenSSL, sockets, allocator). */
export interface MemoryMark {
  rss: number;
  main: ThreadMemory;
  worker: ThreadMemory | null;
}

export const memoryMark = (stats: RuntimeStats): MemoryMark => ({ rss: stats.rssBytes, main: stats.mainThread, worker: stats.apPortWorker });

export const MiB = 1024 * 1024;
export const fmt = (n: number | null, digits = 0) => (n === null ? 'n/a' : Number.isFinite(n) ? n.toFixed(digits) : '∞');

/** Where the machine's cores went in each phase, and the console's event loop while the fleet joined. */
export function describeCpu(rows: Row[]): void {
  console.log(`\nWhere the CPU went: cores used on average (this machine has ${os.cpus().length}; a sum above that means every process waited for a core)\n`);
  console.log('| APs | AP port | phase | console main thread | console other threads | simulated fleet | rest (browser, bench, tftpd, kernel) | sum | loop p99/max (ms) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    for (const phase of ['join', 'predownload'] as const) {
      const c = r.cpu[phase];
      const loop = phase === 'join' ? r.joinLoop : r.loop;
      console.log(
        `| ${r.aps} | ${r.mode} | ${phase} | ${fmt(c.consoleMain, 2)} | ${fmt(c.consoleOther, 2)} | ${fmt(c.fleet, 2)} | ${fmt(c.rest, 2)} | ${fmt(c.consoleMain + c.consoleOther + c.fleet + c.rest, 2)} | ${loop.p99}/${loop.max} |`,
      );
    }
  }
}

/**
 * Where the console's memory was once the fleet had joined and at the end of the predownload, by thread; and per AP
 * against the mode's first size (the difference in each figure over the difference in APs), which is what grows with a fleet.
 */
export function describeMemory(rows: Row[]): void {
  console.log(
    "\nWhere the memory went (MiB): RSS; each thread's JS heap (used / held from the system) and its external memory (Buffers among it); the rest of RSS, beyond what the heaps hold, is native (OpenSSL, sockets, the allocator, code)\n",
  );
  console.log('| APs | AP port | phase | RSS | main heap | main external | worker heap | worker external | rest | per AP vs first size (KiB): RSS / main heap / worker heap / rest |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const parts = (m: MemoryMark) => {
    const worker = m.worker ?? { heapUsedBytes: 0, heapTotalBytes: 0, externalBytes: 0, arrayBuffersBytes: 0 };
    // The rest counts each heap at its total (what V8 holds from the system), not only what is used.
    const rest = m.rss - m.main.heapTotalBytes - m.main.externalBytes - worker.heapTotalBytes - worker.externalBytes;
    return {
      rss: m.rss,
      main: m.main.heapUsedBytes,
      mainTotal: m.main.heapTotalBytes,
      mainExternal: m.main.externalBytes,
      worker: worker.heapUsedBytes,
      workerTotal: worker.heapTotalBytes,
      workerExternal: worker.externalBytes,
      rest,
    };
  };
  for (const r of rows) {
    const first = rows.find((row) => row.mode === r.mode)!;
    for (const phase of ['join', 'predownload'] as const) {
      const now = parts(r.memory[phase]);
      const then = parts(first.memory[phase]);
      const perAp = (key: 'rss' | 'main' | 'worker' | 'rest') => fmt((now[key] - then[key]) / 1024 / (r.aps - first.aps));
      const mib = (n: number) => fmt(n / MiB);
      console.log(
        `| ${r.aps} | ${r.mode} | ${phase} | ${mib(now.rss)} | ${mib(now.main)} / ${mib(now.mainTotal)} | ${mib(now.mainExternal)} | ${r.memory[phase].worker ? `${mib(now.worker)} / ${mib(now.workerTotal)}` : 'n/a'} | ${r.memory[phase].worker ? mib(now.workerExternal) : 'n/a'} | ${mib(now.rest)} | ${r === first ? '–' : `${perAp('rss')} / ${perAp('main')} / ${perAp('worker')} / ${perAp('rest')}`} |`,
      );
    }
  }
}

/** Worker against in-loop at each size, measured in the same run on the same machine: their ratio means more than either figure on a shared machine. */
export function compareModes(rows: Row[], sizes: number[]): void {
  console.log("\nThe AP port in a worker thread against on the console's event loop (worker / in-loop; below 1 is better for the worker)\n");
  console.log('| APs | loop p99 (ms) | loop max (ms) | API p99 (ms) | peak RSS (MiB) | per AP (ms) | join (s) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const aps of sizes) {
    const worker = rows.find((r) => r.aps === aps && r.mode === 'worker');
    const inLoop = rows.find((r) => r.aps === aps && r.mode === 'in-loop');
    if (!worker || !inLoop) continue;
    const pair = (a: number, b: number, digits = 0) => `${fmt(a, digits)} / ${fmt(b, digits)} (${fmt(a / b, 2)})`;
    console.log(
      `| ${aps} | ${pair(worker.loop.p99, inLoop.loop.p99)} | ${pair(worker.loop.max, inLoop.loop.max)} | ${pair(worker.apiP99, inLoop.apiP99)} | ${pair(worker.peakRss / MiB, inLoop.peakRss / MiB)} | ${pair((worker.predownloadS * 1000) / aps, (inLoop.predownloadS * 1000) / aps, 1)} | ${pair(worker.joinS, inLoop.joinS, 1)} |`,
    );
  }
}
