import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { SshKeysPanel } from '@/components/users/SshKeysPanel';
import { UserAdministration } from '@/components/users/UserAdministration';
import { actorFromHeaders } from '@/lib/requestActor';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('userAdministration') };
}

export default async function UserAdministrationPage() {
  const t = await getTranslations('nav');
  // The request gate put the caller there; only the name and role go to the browser, not the source address.
  const actor = actorFromHeaders(await headers());
  const currentUser = actor ? { username: actor.username, role: actor.role } : null;
  return (
    <>
      <Breadcrumb items={[t('administration'), t('userAdministration')]} />
      <h1 className="page-title">{t('userAdministration')}</h1>
      <UserAdministration currentUser={currentUser} />
      {currentUser?.role === 'admin' && <SshKeysPanel />}
    </>
  );
}
