import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Next.js inlines its bootstrap scripts and the page's styles, hence 'unsafe-inline' for both (nonces
// would make every page dynamic). Everything else is this origin only; connect-src 'self' covers the
// socket.io websocket on the same host and port. No page may be framed (clickjacking).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CONTENT_SECURITY_POLICY },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  // Native and Node-only packages stay outside the bundles; route handlers reach the running console through a global.
  serverExternalPackages: ['better-sqlite3', 'ssh2'],
  poweredByHeader: false,
  // The console shows no optimized images, and the optimizer fetches same-origin URLs (the API
  // included) on behalf of anonymous callers: off, /_next/image answers 404.
  images: { unoptimized: true },
  headers: async () => [{ source: '/:path*', headers: SECURITY_HEADERS }],
};

// The request's language and catalogue (cookie, else Accept-Language) are chosen in i18n/request.ts.
export default createNextIntlPlugin('./i18n/request.ts')(nextConfig);
