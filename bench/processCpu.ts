import fs from 'node:fs';

// CPU time per process tree from /proc, so that a bench can say where a 2-core machine's time went:
// the console's main thread (what answers pages and the API), its other threads (the AP port worker, V8's
// and libuv's helpers), the simulated fleet, the browser. Linux only, like the rest of the benches.

/** Clock ticks per second of /proc's utime and stime (`getconf CLK_TCK`, 100 on Linux x86-64 and arm64). */
const TICKS_PER_S = 100;

/** utime + stime of a /proc stat line, in seconds; the command name may hold spaces and parentheses. */
function statSeconds(line: string): number {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) … utime(11) stime(12).
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The process and all its descendants alive now. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const line = readOrNull(`/proc/${entry}/stat`);
    if (!line) continue;
    const ppid = Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return tree;
}

/** CPU seconds used so far by these processes (all their threads); a process gone since counts 0. */
export function cpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const line = readOrNull(`/proc/${pid}/stat`);
    return sum + (line ? statSeconds(line) : 0);
  }, 0);
}

/** CPU seconds used so far by one thread of a process (the main thread's id is the process id). */
export function threadCpuSeconds(pid: number, tid: number): number {
  const line = readOrNull(`/proc/${pid}/task/${tid}/stat`);
  return line ? statSeconds(line) : 0;
}

/** CPU seconds the whole machine spent busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_S;
}

/** Cores used on average during a phase, by whom: more than the machine's cores in sum means everyone waited. */
export interface CpuShare {
  consoleMain: number;
  consoleOther: number;
  fleet: number;
  /** Everything else busy on the machine: the browser, the bench, tftpd-hpa, the kernel. */
  rest: number;
}

/** The counters at one moment: the console's threads, the fleet's process tree, the whole machine. */
interface CpuMark {
  at: number;
  consoleMain: number;
  consoleAll: number;
  fleet: number;
  machine: number;
}

export function cpuMark(consolePid: number, fleetPid: number | undefined): CpuMark {
  return {
    at: Date.now(),
    consoleMain: threadCpuSeconds(consolePid, consolePid),
    consoleAll: cpuSeconds([consolePid]),
    fleet: fleetPid === undefined ? 0 : cpuSeconds(processTree(fleetPid)),
    machine: machineBusySeconds(),
  };
}

/** What each used between two marks, in cores on average. */
export function cpuShare(from: CpuMark, to: CpuMark): CpuShare {
  const seconds = (to.at - from.at) / 1000;
  const consoleAll = to.consoleAll - from.consoleAll;
  const consoleMain = to.consoleMain - from.consoleMain;
  const fleet = to.fleet - from.fleet;
  return {
    consoleMain: consoleMain / seconds,
    consoleOther: (consoleAll - consoleMain) / seconds,
    fleet: fleet / seconds,
    rest: Math.max(0, to.machine - from.machine - consoleAll - fleet) / seconds,
  };
}
