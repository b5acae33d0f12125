import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { SshKeysPanel } from '@/components/users/SshKeysPanel';
import { UserAdministration } from '@/components/users/UserAdministration';
import { actorFromHeaders } from '@/lib/requestActor';

export const metadata: Metadata = { title: 'User Administration' };

export default async function UserAdministrationPage() {
  // The request gate put the caller there; only the name and role go to the browser, not the source address.
  const actor = actorFromHeaders(await headers());
  const currentUser = actor ? { username: actor.username, role: actor.role } : null;
  return (
    <>
      <Breadcrumb items={['Administration', 'User Administration']} />
      <h1 className="page-title">User Administration</h1>
      <UserAdministration currentUser={currentUser} />
      {currentUser?.role === 'admin' && <SshKeysPanel />}
    </>
  );
}
