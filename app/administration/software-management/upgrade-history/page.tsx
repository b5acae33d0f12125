import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { UpgradeHistory } from '@/components/upgrade-history/UpgradeHistory';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('upgradeHistory') };
}

export default async function UpgradeHistoryPage() {
  const t = await getTranslations('nav');
  return (
    <>
      <Breadcrumb items={[t('administration'), t('softwareManagement'), t('upgradeHistory')]} />
      <h1 className="page-title">{t('upgradeHistory')}</h1>
      <UpgradeHistory />
    </>
  );
}
