import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/LoginForm';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <div className="login-page">
      <LoginForm next={next ?? null} />
      <p className="login-hint">On the first start the console prints the admin password (or uses EWC_ADMIN_PASSWORD). Ask an admin for an account.</p>
    </div>
  );
}
