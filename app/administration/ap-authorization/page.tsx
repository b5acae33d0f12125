import type { Metadata } from 'next';
import { ApAuthorization } from '@/components/ap-authorization/ApAuthorization';
import { Breadcrumb } from '@/components/layout/Breadcrumb';

export const metadata: Metadata = { title: 'AP Authorization' };

export default function ApAuthorizationPage() {
  return (
    <>
      <Breadcrumb items={['Administration', 'AP Authorization']} />
      <h1 className="page-title">AP Authorization</h1>
      <ApAuthorization />
    </>
  );
}
