import { describe, expect, it } from 'vitest';
import { EnrolmentLine } from './enrolmentLine';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('enrolments in line', () => {
  it('starts none within the call that queues them, at most the concurrency at once, and lets the event loop run between two starts', async () => {
    const line = new EnrolmentLine(2);
    const events: string[] = [];
    const finish: Array<() => void> = [];
    for (let i = 0; i < 5; i++) {
      line.push(() => {
        events.push(`start ${i}`);
        return new Promise<void>((resolve) => finish.push(resolve));
      });
    }
    // What else the console has to do, queued after the whole batch arrived.
    setImmediate(() => events.push('other work'));
    expect(events).toEqual([]);
    await turn();
    await turn();
    expect(events).toEqual(['start 0', 'start 1', 'other work']);
    expect(line.queued).toBe(3);
    finish[0]();
    await turn();
    await turn();
    expect(events.slice(3)).toEqual(['start 2']);
    for (let i = 1; i < 5; i++) {
      finish[i]?.();
      await turn();
      await turn();
      await turn();
    }
    finish.forEach((done) => done());
    await turn();
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start 0', 'start 1', 'start 2', 'start 3', 'start 4']);
    expect(line.queued).toBe(0);
  });

  it('goes on after an enrolment that throws', async () => {
    const line = new EnrolmentLine(1);
    const done: number[] = [];
    const errors: string[] = [];
    const original = console.error;
    console.error = (message: string) => errors.push(message);
    try {
      line.push(() => Promise.reject(new Error('boom')));
      await new Promise<void>((resolve) => line.push(async () => (done.push(2), resolve())));
    } finally {
      console.error = original;
    }
    expect(done).toEqual([2]);
    expect(errors).toEqual(['Enrolment ended with an unexpected error: boom']);
  });
});
