import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { currentActor } from '@/components/auth/currentActor';
import { Sidebar } from '@/components/layout/Sidebar';
import { TopBar } from '@/components/layout/TopBar';
import './globals.css';
// After globals.css: its AP table rules refine the shared table's.
import './apTable.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta');
  return {
    title: { template: `%s | ${t('product')}`, default: t('product') },
    description: t('description'),
    icons: { icon: '/favicon.svg' },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only the login page is served without a user: it gets the bar without the menu.
  const user = await currentActor();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        {/* The whole catalogue of the request's language: the console's pages are client components. */}
        <NextIntlClientProvider>
          <TopBar user={user} />
          {user ? (
            <div className="shell">
              <Sidebar role={user.role} />
              <main className="content">{children}</main>
            </div>
          ) : (
            <main className="content content-bare">{children}</main>
          )}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
