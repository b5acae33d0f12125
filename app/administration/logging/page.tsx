import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { LoggingSettings } from '@/components/logging/LoggingSettings';
import { actorFromHeaders } from '@/lib/requestActor';

export const metadata: Metadata = { title: 'Logging' };

export default async function LoggingPage() {
  const actor = actorFromHeaders(await headers());
  return (
    <>
      <Breadcrumb items={['Administration', 'Logging']} />
      <h1 className="page-title">Logging</h1>
      <LoggingSettings canEdit={actor?.role === 'admin'} />
    </>
  );
}
