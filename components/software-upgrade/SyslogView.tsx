'use client';

import { useLayoutEffect, useRef } from 'react';
import { iosTimestamp } from '@/lib/iosTime';
import { syslogMessageText, type SyslogLine } from '@/lib/syslog';

/** How close to the end (px) still counts as "at the bottom", so sub-pixel scrolling does not unstick. */
const STICK_THRESHOLD = 16;

/**
 * The event log, newest at the bottom, each line as `show logging` prints it (IOS's timestamp in UTC), so
 * what an engineer reads here is what they grep for on the CLI; it follows new lines only while the reader is at the end.
 */
export function SyslogView({ lines }: { lines: readonly SyslogLine[] }) {
  const container = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const element = container.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return (
    <ol
      ref={container}
      className="syslog"
      data-testid="syslog"
      role="log"
      aria-label="Syslog"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_THRESHOLD;
      }}
    >
      {lines.length === 0 && <li className="syslog-empty">No messages</li>}
      {lines.map((line) => (
        <li key={line.id} className={`syslog-line syslog-${line.severity}`} data-testid="syslog-line" data-severity={line.severity}>
          <time dateTime={line.time}>{iosTimestamp(line.time)}</time>: {syslogMessageText(line)}
        </li>
      ))}
    </ol>
  );
}
