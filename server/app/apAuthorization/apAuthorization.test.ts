import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApTrust } from '../../pki/apTrust';
import { apAuthorizationRows } from '../../store/apAuthorizationRepository';
import type { EventLine } from '../../store/eventLog';
import { openTestStore } from '../../sim/testing/testStores';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import type { ApAuthorizationDeps } from './apAuthorizationDeps';
import { changeApAuthorization } from './changeApAuthorization';
import { deleteApAuthorization } from './deleteApAuthorization';
import { createEnrolmentToken, deleteEnrolmentToken } from './enrolmentTokens';

const ADMIN: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' };
const MAC = '0a00.0000.0001';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let deps: ApAuthorizationDeps;
let logged: string[];
let withdrawn: string[];

beforeEach(async () => {
  opened = await openTestStore();
  logged = [];
  withdrawn = [];
  const trust = new ApTrust(opened.db, { dataDir: opened.dataDir, autoApprove: false, maxAps: 10, log: (line: EventLine) => logged.push(line.text) });
  trust.onCertificateWithdrawn((mac) => withdrawn.push(mac));
  deps = { db: opened.db, trust, audit: new AuditLog(opened.db) };
  await apAuthorizationRows.saveEnrolment(
    opened.db,
    {
      mac: MAC,
      status: 'pending',
      certSerial: 'AA01',
      certFingerprint: 'SHA256:AA01',
      certExpiresAt: '2027-01-01T00:00:00.000Z',
      enrolledVia: 'join-token',
      enrolledAt: '2026-01-01T00:00:00.000Z',
      enrolledFrom: '127.0.0.1',
      changedAt: '2026-01-01T00:00:00.000Z',
      changedBy: 'enrolment',
    },
    false,
  );
});

afterEach(async () => {
  deps.trust.dispose();
  await opened.dispose();
});

const statusOf = async () => (await apAuthorizationRows.get(opened.db, MAC))?.status ?? null;
const auditLines = async () => (await deps.audit.recent()).map((e) => `${e.username}@${e.sourceAddress} ${e.action} ${e.detail}`);
const dropAudit = () => opened.db.schema.dropTable('audit_log').execute();

describe('AP authorization use cases', () => {
  it('approve, revoke and delete change the list and write their audit lines; the event log and the withdrawal follow', async () => {
    expect(await changeApAuthorization(deps, '0A:00:00:00:00:01', { status: 'approved' }, ADMIN)).toEqual({ ok: true, value: { mac: MAC } });
    expect(await statusOf()).toBe('approved');
    expect(await changeApAuthorization(deps, MAC, { status: 'revoked' }, ADMIN)).toMatchObject({ ok: true });
    expect(await deleteApAuthorization(deps, MAC, ADMIN)).toMatchObject({ ok: true });
    expect(await statusOf()).toBeNull();
    expect(await auditLines()).toEqual([`admin@127.0.0.1 ap.approve ${MAC}`, `admin@127.0.0.1 ap.revoke ${MAC}`, `admin@127.0.0.1 ap.delete ${MAC}`]);
    expect(logged).toEqual([expect.stringMatching(/approved by admin/), expect.stringMatching(/revoked by admin/), expect.stringMatching(/deleted from the AP authorization list/)]);
    expect(withdrawn).toEqual([MAC, MAC]);
  });

  it('refuses with the sentence the page translates, and audits nothing', async () => {
    expect(await changeApAuthorization(deps, '0a00.0000.0009', { status: 'approved' }, ADMIN)).toEqual({
      ok: false,
      error: { code: 'notFound', message: expect.any(String), sentence: { code: 'apNotOnList', params: { mac: '0a00.0000.0009' } } },
    });
    expect(await changeApAuthorization(deps, MAC, { status: 'maybe' }, ADMIN)).toMatchObject({ ok: false, error: { code: 'invalid', sentence: { code: 'apChangeInvalid' } } });
    expect(await changeApAuthorization(deps, 'not-a-mac', { status: 'approved' }, ADMIN)).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Not a MAC address: not-a-mac' } });
    expect(await deleteEnrolmentToken(deps, '0', ADMIN)).toMatchObject({ ok: false, error: { code: 'invalid', sentence: { code: 'tokenIdInvalid' } } });
    expect(await deleteEnrolmentToken(deps, '7', ADMIN)).toMatchObject({ ok: false, error: { code: 'notFound', sentence: { code: 'noEnrolmentToken', params: { id: 7 } } } });
    expect(await auditLines()).toEqual([]);
  });

  it('leaves the AP as it was, tells no one, when the audit line cannot be written (one transaction)', async () => {
    await dropAudit();
    await expect(changeApAuthorization(deps, MAC, { status: 'approved' }, ADMIN)).rejects.toThrow(/audit_log/);
    expect(await statusOf()).toBe('pending');
    await expect(changeApAuthorization(deps, MAC, { status: 'revoked' }, ADMIN)).rejects.toThrow(/audit_log/);
    await expect(deleteApAuthorization(deps, MAC, ADMIN)).rejects.toThrow(/audit_log/);
    expect(await statusOf()).toBe('pending');
    expect(logged).toEqual([]);
    expect(withdrawn).toEqual([]);
  });

  it('creates and deletes an enrolment token with its audit line, and neither without it (one transaction)', async () => {
    const created = await createEnrolmentToken(deps, { validHours: 2 }, ADMIN);
    if (!created.ok) throw new Error(created.error.message);
    expect(await deleteEnrolmentToken(deps, String(created.value.view.id), ADMIN)).toEqual({ ok: true, value: { id: created.value.view.id } });
    expect(await auditLines()).toEqual([expect.stringMatching(/^admin@127\.0\.0\.1 ap\.token\.create token \d+, valid until /), `admin@127.0.0.1 ap.token.delete token ${created.value.view.id}`]);
    const kept = await createEnrolmentToken(deps, {}, ADMIN);
    if (!kept.ok) throw new Error(kept.error.message);
    await dropAudit();
    await expect(createEnrolmentToken(deps, {}, ADMIN)).rejects.toThrow(/audit_log/);
    await expect(deleteEnrolmentToken(deps, String(kept.value.view.id), ADMIN)).rejects.toThrow(/audit_log/);
    expect((await deps.trust.tokens()).map((t) => t.id)).toEqual([kept.value.view.id]);
  });
});
