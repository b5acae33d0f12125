import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { currentActor } from '@/components/auth/currentActor';
import { Sidebar } from '@/components/layout/Sidebar';
import { TopBar } from '@/components/layout/TopBar';
import './globals.css';
// After globals.css: its AP table rules refine the shared table's.
import './apTable.css';

export const metadata: Metadata = {
  title: { template: '%s | Cisco Embedded Wireless Controller', default: 'Cisco Embedded Wireless Controller' },
  description: 'Software upgrade and AP image predownload for the Embedded Wireless Controller',
  icons: { icon: '/favicon.svg' },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only the login page is served without a user: it gets the bar without the menu.
  const user = await currentActor();
  return (
    <html lang="en">
      <body>
        <TopBar user={user} />
        {user ? (
          <div className="shell">
            <Sidebar role={user.role} />
            <main className="content">{children}</main>
          </div>
        ) : (
          <main className="content content-bare">{children}</main>
        )}
      </body>
    </html>
  );
}
