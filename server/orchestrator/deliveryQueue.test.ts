import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from './deliveryQueue';

/** A queue whose deliveries finish only when the test says so. */
function harness(slots: number) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const queue = new DeliveryQueue<string>(slots, ({ mac }) => {
    started.push(mac);
    return new Promise<void>((resolve) => finishers.set(mac, resolve));
  });
  const finish = async (mac: string) => {
    finishers.get(mac)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, started, finish };
}

describe('delivery queue', () => {
  it('runs at most its slots at once, the others in order, the priority lane first', async () => {
    const { queue, started, finish } = harness(2);
    for (const mac of ['a', 'b', 'c', 'd']) queue.enqueue({ mac, kind: 'ap', priority: false, item: mac });
    queue.enqueue({ mac: 'controller', kind: 'controller', priority: true, item: 'controller' });
    expect(started).toEqual(['a', 'b']);
    expect(queue.active).toBe(2);
    expect(queue.waiting).toBe(3);
    expect([...queue.positions()]).toEqual([
      ['controller:controller', 1],
      ['ap:c', 2],
      ['ap:d', 3],
    ]);
    await finish('a');
    expect(started).toEqual(['a', 'b', 'controller']);
    await finish('b');
    await finish('controller');
    expect(started).toEqual(['a', 'b', 'controller', 'c', 'd']);
    expect(queue.waiting).toBe(0);
  });

  it("gives each image its own place: the hosting AP's AP image flows while its controller image waits", () => {
    const { queue } = harness(1);
    queue.enqueue({ mac: 'host', kind: 'ap', priority: false, item: 'host' });
    queue.enqueue({ mac: 'b', kind: 'ap', priority: false, item: 'b' });
    // Fetched later (it is the larger file), the controller image goes first of those waiting, not before the one flowing.
    queue.enqueue({ mac: 'host', kind: 'controller', priority: true, item: 'host' });
    expect([...queue.positions()]).toEqual([
      ['controller:host', 1],
      ['ap:b', 2],
    ]);
    expect(queue.positions().has('ap:host')).toBe(false);
  });

  it('keeps going when a delivery fails unexpectedly', async () => {
    const started: string[] = [];
    const queue = new DeliveryQueue<string>(1, async ({ mac }) => {
      started.push(mac);
      if (mac === 'a') throw new Error('boom');
    });
    queue.enqueue({ mac: 'a', kind: 'ap', priority: false, item: 'a' });
    queue.enqueue({ mac: 'b', kind: 'ap', priority: false, item: 'b' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b']);
  });

  it('gives back what was waiting when cleared', () => {
    const { queue, started } = harness(1);
    for (const mac of ['a', 'b', 'c']) queue.enqueue({ mac, kind: 'ap', priority: false, item: mac });
    expect(queue.clear().map((entry) => entry.mac)).toEqual(['b', 'c']);
    expect(queue.waiting).toBe(0);
    expect(started).toEqual(['a']);
  });
});
