import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generatedFleet, type Fleet } from '../sim/ap/simulatedFleet';
import type { LoggingHostStatus, LoggingTransport } from '../../lib/loggingSettings';
import type { SyslogLine } from '../../lib/syslog';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startRsyslog, type RunningRsyslog } from '../sim/testing/rsyslog';

// Debian's rsyslog on loopback receives the console's event lines over UDP and TCP; its file is compared
// byte for byte with the lines as IOS sends them, before, during and after a restart of rsyslog.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEVERITY = { error: 3, warning: 4, notice: 5, info: 6 } as const;

/** The test's own reading of IOS's wire form: `<PRI>seq: *Mmm dd hh:mm:ss.mmm: %FACILITY-SEV-MNEMONIC: text`, local7. */
function iosWireLine(line: SyslogLine): string {
  const d = new Date(line.time);
  const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill);
  const stamp = `*${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return `<${23 * 8 + SEVERITY[line.severity]}>${line.id}: ${stamp}: %${line.facility}: ${line.text}`;
}

const QUEUE_LINES = 4;
let harness: ConsoleHarness | null = null;
let rsyslog: RunningRsyslog | null = null;
let work: string | null = null;
const fleets: Fleet[] = [];

afterEach(async () => {
  for (const fleet of fleets.splice(0)) await fleet.stop();
  await harness?.dispose();
  await rsyslog?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  harness = rsyslog = work = null;
});

function eventLog(h: ConsoleHarness): SyslogLine[] {
  return h.instance.api.getSyslog().body as SyslogLine[];
}

function hostStatus(h: ConsoleHarness): LoggingHostStatus {
  return h.instance.logging.view().hosts[0]!;
}

describe('syslog to Debian rsyslog', () => {
  test.each<LoggingTransport>(['udp', 'tcp'])(
    'over %s: every line as IOS sends it, queued and counted across a restart of rsyslog',
    async (transport) => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-rsyslog-'));
      rsyslog = await startRsyslog(work);
      harness = await startConsoleHarness({ EWC_SYSLOG_QUEUE_LINES: String(QUEUE_LINES) });
      const h = harness;
      const server = rsyslog;
      const port = transport === 'udp' ? server.udpPort : server.tcpPort;
      const saved = await h.instance.logging.change({ kind: 'addHost', host: { address: '127.0.0.1', transport, port } }, ADMIN);
      expect(saved.ok).toBe(true);
      const started = eventLog(h).find((line) => line.text.includes(`Logging to host 127.0.0.1 (${transport} port ${port}) started`))!;
      expect(started.facility).toBe('SYS-6-LOGGINGHOST_STARTSTOP');

      // Real event lines: each new AP's enrolment with the console's CA writes one.
      const waiting = generatedFleet(24, '17.9.4.27');
      const enrolOne = async () => {
        const ap = waiting.shift()!;
        fleets.push(await h.startFleet([ap]));
        return ap.mac;
      };
      const enrolled = (mac: string) => (line: string) => line.includes(`AP Mac: ${mac} enrolled`);
      for (let i = 0; i < 3; i += 1) {
        const mac = await enrolOne();
        await waitFor(
          `${mac}'s enrolment line at rsyslog`,
          () => server.lines(),
          (lines) => lines.some(enrolled(mac)),
        );
      }
      const sentBeforeOutage = eventLog(h).filter((line) => line.id >= started.id);
      await waitFor(
        'every line so far at rsyslog',
        () => server.lines().length,
        (n) => n === sentBeforeOutage.length,
      );
      expect(server.lines()).toEqual(sentBeforeOutage.map(iosWireLine));
      expect(server.lines()[0]).toMatch(
        /^<190>\d+: \*[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}\.\d{3}: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127\.0\.0\.1 \((udp|tcp) port \d+\) started - configured by admin from 127\.0\.0\.1$/,
      );

      // rsyslog goes away. Over TCP the connection's end says so; over UDP the first datagram meets the closed port.
      await server.stop();
      if (transport === 'udp') await enrolOne();
      await waitFor(
        'the host seen down',
        () => hostStatus(h),
        (status) => status.link !== 'up',
      );
      while (hostStatus(h).linesDropped === 0) await enrolOne();
      const outage = hostStatus(h);
      expect(outage.queued).toBe(QUEUE_LINES);

      await server.start();
      await waitFor(
        'the line that reports the drop count',
        () => server.lines(),
        (lines) => lines.some((line) => line.includes('SYS-4-LOGGER_DROPPED')),
      );
      const dropWritten = eventLog(h).find((line) => line.facility === 'SYS-4-LOGGER_DROPPED')!;
      const after = await enrolOne();
      await waitFor(
        'a line after the restart',
        () => eventLog(h),
        (lines) => lines.some((line) => line.id > dropWritten.id && enrolled(after)(line.text)),
      );
      // Lines arrive in order: once the newest line so far is there, every line before it that was sent is.
      const last = eventLog(h).at(-1)!;
      await waitFor(
        'the newest line at rsyslog',
        () => server.lines(),
        (lines) => lines.includes(iosWireLine(last)),
      );

      const received = server.lines().slice(0, server.lines().indexOf(iosWireLine(last)) + 1);
      const forwarded = eventLog(h).filter((line) => line.id >= started.id && line.id <= last.id);
      const byWire = new Map(forwarded.map((line) => [iosWireLine(line), line]));
      // Byte for byte: every line rsyslog wrote is one of the console's lines, in IOS's form, in order.
      const receivedLines = received.map((text) => byWire.get(text));
      expect(received.filter((_, i) => !receivedLines[i])).toEqual([]);
      const ids = receivedLines.map((line) => line!.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const dropLine = receivedLines.find((line) => line!.facility === 'SYS-4-LOGGER_DROPPED')!;
      const dropped = hostStatus(h).linesDropped;
      expect(dropLine.text).toBe(
        `Logging to host 127.0.0.1 (${transport} port ${port}) started - reconnection, ${dropped} message line${dropped === 1 ? '' : 's'} dropped while it was unreachable (queue of ${QUEUE_LINES} lines full)`,
      );
      expect(dropLine.severity).toBe('warning');
      const unreachable = receivedLines.find((line) => line!.facility === 'SYS-4-LOGGINGHOST_FAIL')!;
      expect(unreachable.text).toMatch(
        new RegExp(`^Logging to host 127\\.0\\.0\\.1 \\(${transport} port ${port}\\) failed: (Connection refused|Connection closed|Connection reset); up to ${QUEUE_LINES} lines wait for it`),
      );

      // What is missing is what the console said it dropped, and over UDP the one datagram that found the port closed.
      const receivedIds = new Set(ids);
      const missing = forwarded.filter((line) => !receivedIds.has(line.id) && line.id < dropLine.id);
      expect(missing.length).toBe(dropped + (transport === 'udp' ? 1 : 0));
      // Lines written after the drop line all arrived.
      expect(forwarded.filter((line) => line.id > dropLine.id && !receivedIds.has(line.id))).toEqual([]);
    },
    120_000,
  );
});
