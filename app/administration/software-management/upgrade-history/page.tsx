import type { Metadata } from 'next';
import { Breadcrumb } from '@/components/layout/Breadcrumb';
import { UpgradeHistory } from '@/components/upgrade-history/UpgradeHistory';

export const metadata: Metadata = { title: 'Upgrade History' };

export default function UpgradeHistoryPage() {
  return (
    <>
      <Breadcrumb items={['Administration', 'Software Management', 'Upgrade History']} />
      <h1 className="page-title">Upgrade History</h1>
      <UpgradeHistory />
    </>
  );
}
