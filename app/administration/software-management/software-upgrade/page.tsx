import type { Metadata } from 'next';
import { currentActor } from '@/components/auth/currentActor';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { SoftwareUpgradeConsole } from '@/components/software-upgrade/SoftwareUpgradeConsole';

export const metadata: Metadata = { title: 'Software Upgrade' };

export default async function SoftwareUpgradePage() {
  const user = await currentActor();
  return (
    <>
      <Breadcrumb items={['Administration', 'Software Management']} />
      <h1 className="page-title">Software Upgrade</h1>
      <SoftwareUpgradeConsole canChange={user?.role === 'admin'} />
    </>
  );
}
