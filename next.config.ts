import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and Node-only packages stay outside the bundles; route handlers reach the running console through a global.
  serverExternalPackages: ['better-sqlite3', 'ssh2'],
  poweredByHeader: false,
};

export default nextConfig;
