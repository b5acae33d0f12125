import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostnameStore } from '../../cli/hostname';
import { openTestStore } from '../../sim/testing/testStores';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import { changeHostname, type ChangeHostnameDeps } from './changeHostname';

const ADMIN: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1 (ssh)', via: 'cli' };

let opened: Awaited<ReturnType<typeof openTestStore>>;
let deps: ChangeHostnameDeps & { hostnames: HostnameStore };

beforeEach(async () => {
  opened = await openTestStore();
  deps = { db: opened.db, hostnames: await HostnameStore.load(opened.db, () => 'C9120AXI-B'), audit: new AuditLog(opened.db) };
});

afterEach(() => opened.dispose());

const auditLines = async () => (await deps.audit.recent()).map((e) => `${e.action} ${e.detail}`);

describe('changeHostname', () => {
  it('sets the name and back to the default, each with its audit line, and refuses a name IOS would not take', async () => {
    expect(await changeHostname(deps, 'lab-ewc', ADMIN)).toEqual({ ok: true, value: { name: 'lab-ewc' } });
    expect(deps.hostnames.get()).toBe('lab-ewc');
    expect(await changeHostname(deps, null, ADMIN)).toMatchObject({ ok: true });
    expect(deps.hostnames.get()).toBe('9120-EWC');
    expect(await changeHostname(deps, '-bad', ADMIN)).toEqual({ ok: false, error: { code: 'invalid', message: 'A host name is letters, digits and inner hyphens, 63 characters at most.' } });
    expect(await auditLines()).toEqual(['cli.hostname lab-ewc', 'cli.hostname default (9120-EWC)']);
  });

  it('keeps the name, stored and on the prompt, when its audit line cannot be written (one transaction)', async () => {
    await changeHostname(deps, 'lab-ewc', ADMIN);
    await opened.db.schema.dropTable('audit_log').execute();
    await expect(changeHostname(deps, 'other-ewc', ADMIN)).rejects.toThrow(/audit_log/);
    expect(deps.hostnames.get()).toBe('lab-ewc');
    expect((await HostnameStore.load(opened.db, () => null)).get()).toBe('lab-ewc');
  });
});
