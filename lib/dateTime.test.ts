import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime, formatDateTimeWithZone } from './dateTime';

const MOMENT = '2026-12-06T07:05:09.042Z';

describe('the one date format of the page', () => {
  it('writes YYYY-MM-DD HH:MM:SS, 24-hour, in the zone named', () => {
    expect(formatDateTime(MOMENT, { timeZone: 'UTC' })).toBe('2026-12-06 07:05:09');
    expect(formatDateTime(MOMENT, { timeZone: 'Europe/Paris' })).toBe('2026-12-06 08:05:09');
    expect(formatDateTime(MOMENT, { timeZone: 'America/New_York' })).toBe('2026-12-06 02:05:09');
    expect(formatDateTime('2026-07-01T23:30:00Z', { timeZone: 'Asia/Kolkata' })).toBe('2026-07-02 05:00:00');
    expect(formatDateTime('2026-12-06T13:00:00Z', { timeZone: 'UTC' })).toBe('2026-12-06 13:00:00');
  });

  it('adds milliseconds for log lines, and the time part alone for a retry minutes away', () => {
    expect(formatDateTime(MOMENT, { timeZone: 'UTC', millis: true })).toBe('2026-12-06 07:05:09.042');
    expect(formatClock(MOMENT, { timeZone: 'UTC' })).toBe('07:05:09');
    expect(formatClock('2026-12-06T00:00:01Z', { timeZone: 'UTC' })).toBe('00:00:01');
  });

  it('names the zone after the time when asked', () => {
    expect(formatDateTimeWithZone(MOMENT, { timeZone: 'Europe/Paris' })).toBe('2026-12-06 08:05:09 Europe/Paris');
  });

  it('leaves text that is not a time as it is', () => {
    expect(formatDateTime('soon', { timeZone: 'UTC' })).toBe('soon');
    expect(formatClock('', { timeZone: 'UTC' })).toBe('');
    expect(formatDateTimeWithZone('soon', { timeZone: 'UTC' })).toBe('soon');
  });

  it('is the only date formatting of the page: no component formats a date by itself', () => {
    const root = path.join(import.meta.dirname, '..');
    const sources = ['components', 'app'].flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(dir, file)));
    const ownFormatting = /toLocale(Date|Time)?String|\.get(Hours|Minutes|Seconds|Date|Month|FullYear)\(|Intl\.DateTimeFormat/;
    const offenders = sources.filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && ownFormatting.test(fs.readFileSync(path.join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
