import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Sidebar } from '@/components/layout/Sidebar';
import { TopBar } from '@/components/layout/TopBar';
import './globals.css';

export const metadata: Metadata = {
  title: { template: '%s | Cisco Embedded Wireless Controller', default: 'Cisco Embedded Wireless Controller' },
  description: 'Software upgrade and AP image predownload for the Embedded Wireless Controller',
  icons: { icon: '/favicon.svg' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TopBar />
        <div className="shell">
          <Sidebar />
          <main className="content">{children}</main>
        </div>
      </body>
    </html>
  );
}
