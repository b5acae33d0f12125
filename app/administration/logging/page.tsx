import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { LoggingSettings } from '@/components/logging/LoggingSettings';
import { actorFromHeaders } from '@/lib/requestActor';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('logging') };
}

export default async function LoggingPage() {
  const t = await getTranslations('nav');
  const actor = actorFromHeaders(await headers());
  return (
    <>
      <Breadcrumb items={[t('administration'), t('logging')]} />
      <h1 className="page-title">{t('logging')}</h1>
      <LoggingSettings canEdit={actor?.role === 'admin'} />
    </>
  );
}
