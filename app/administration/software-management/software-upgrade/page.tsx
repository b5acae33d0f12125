import type { Metadata } from 'next';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { SoftwareUpgradeConsole } from '@/components/software-upgrade/SoftwareUpgradeConsole';

export const metadata: Metadata = { title: 'Software Upgrade' };

export default function SoftwareUpgradePage() {
  return (
    <>
      <Breadcrumb items={['Administration', 'Software Management']} />
      <h1 className="page-title">Software Upgrade</h1>
      <SoftwareUpgradeConsole />
    </>
  );
}
