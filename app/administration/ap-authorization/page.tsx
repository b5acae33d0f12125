import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ApAuthorization } from '@/components/ap-authorization/ApAuthorization';
import { Breadcrumb } from '@/components/layout/Breadcrumb';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('apAuthorization') };
}

export default async function ApAuthorizationPage() {
  const t = await getTranslations('nav');
  return (
    <>
      <Breadcrumb items={[t('administration'), t('apAuthorization')]} />
      <h1 className="page-title">{t('apAuthorization')}</h1>
      <ApAuthorization />
    </>
  );
}
