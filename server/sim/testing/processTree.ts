/** What /proc says about processes: for tests that signal a server's sessions, and benchmarks that weigh them. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;
const clockTicks = () => (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100);

/** The fields after the command name, which sits in parentheses and may hold spaces. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // The process exited while we read /proc.
    return null;
  }
}

/** Every process below `root`, children first. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** User plus system CPU time the process has used so far, or null once it is gone. */
export function cpuMsOf(pid: number): number | null {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of /proc/PID/stat.
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks() : null;
}

/** The process's peak resident set size so far (VmHWM), or null once it is gone. */
export function peakRssOf(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time every core of the machine has spent busy, and in all, since boot. */
export function machineCpuMs(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: ((total - idle) * 1000) / clockTicks(), total: (total * 1000) / clockTicks() };
}
