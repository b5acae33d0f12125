import { describe, expect, it } from 'vitest';
import type { Admission } from '../pki/apTrust';
import type { FromApPort } from './apPortProtocol';
import { ApRegistry } from './apRegistry';
import type { CapwapPort } from './capwapPort';

// The registry alone, at the seam of the AP port's events: the authorization list is read from the store, so a
// join is decided after an await, and the AP may be gone by then.

const INFO = { name: 'AP-1', mac: '70f0.96a1.0001', model: 'C9105AXI', imageType: 'ap1g8', primaryVersion: '17.9.4.27', backupVersion: '', freeSpaceKb: 1000, hostsController: false };
const ENDPOINTS = { ap: { address: '127.0.0.1', port: 40000 }, controller: { address: '127.0.0.1', port: 5246 } };
const admitEvent = (link: number): FromApPort => ({ type: 'admit', link, address: '127.0.0.1', endpoints: ENDPOINTS, checked: { ok: true, info: INFO, serial: 'AB' } });

function world() {
  let emit: (event: FromApPort) => void = () => undefined;
  const answered: Array<[number, boolean]> = [];
  const port = {
    subscribe: (listener: (event: FromApPort) => void) => {
      emit = listener;
      return () => undefined;
    },
    answerAdmission: (link: number, answer: { ok: boolean }) => answered.push([link, answer.ok]),
    disconnect: () => undefined,
  } as unknown as CapwapPort;
  const joined: string[] = [];
  const lines: string[] = [];
  let decide: (admission: Admission) => void = () => undefined;
  const registry = new ApRegistry(
    port,
    { joined: (session) => joined.push(session.info.mac), left: () => undefined, apLog: () => undefined },
    { admit: () => new Promise<Admission>((resolve) => (decide = resolve)), maxAps: 10, joinsPerSecond: 100, log: (line) => lines.push(line.text) },
  );
  return { emit: (event: FromApPort) => emit(event), decide: (admission: Admission) => decide(admission), answered, joined, lines, registry };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the AP registry deciding a join while the authorization list is read', () => {
  it('answers and makes the session once the list says yes', async () => {
    const w = world();
    w.emit(admitEvent(1));
    await settle();
    expect(w.answered).toEqual([]);
    w.decide({ ok: true } as Admission);
    await settle();
    expect(w.answered).toEqual([[1, true]]);
    expect(w.joined).toEqual([INFO.mac]);
    expect(w.registry.isConnected(INFO.mac)).toBe(true);
  });

  it('makes no session for an AP that left while its join was decided', async () => {
    const w = world();
    w.emit(admitEvent(1));
    w.emit({ type: 'left', link: 1 });
    w.decide({ ok: true } as Admission);
    await settle();
    expect(w.answered).toEqual([]);
    expect(w.joined).toEqual([]);
    expect(w.registry.isConnected(INFO.mac)).toBe(false);
    expect(w.registry.connectedCount).toBe(0);
  });

  it('refuses, and logs why, when the list says no', async () => {
    const w = world();
    w.emit(admitEvent(2));
    w.decide({ ok: false, reason: 'AP 70f0.96a1.0001 is not on the AP authorization list' } as Admission);
    await settle();
    expect(w.answered).toEqual([[2, false]]);
    expect(w.lines).toEqual(['AP join from 127.0.0.1 refused: AP 70f0.96a1.0001 is not on the AP authorization list']);
  });
});
