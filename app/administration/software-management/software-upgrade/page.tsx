import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { currentActor } from '@/components/auth/currentActor';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { SoftwareUpgradeConsole } from '@/components/software-upgrade/SoftwareUpgradeConsole';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('softwareUpgrade') };
}

export default async function SoftwareUpgradePage() {
  const t = await getTranslations('nav');
  const user = await currentActor();
  return (
    <>
      <Breadcrumb items={[t('administration'), t('softwareManagement')]} />
      <h1 className="page-title">{t('softwareUpgrade')}</h1>
      <SoftwareUpgradeConsole canChange={user?.role === 'admin'} />
    </>
  );
}
