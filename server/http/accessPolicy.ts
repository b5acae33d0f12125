import type { Role } from '../../lib/validations/authSchemas';

/** Who may make a request: anyone, any logged-in user, or an admin. Pages without a session go to the login page. */
export type Access = 'public' | 'user' | 'admin';

interface Rule {
  methods: readonly string[] | '*';
  path: RegExp;
  access: Access;
}

const READ = ['GET', 'HEAD'];

// First match wins. Anything under /api that is not listed as readable by a monitor needs an admin,
// so a new state-changing route is closed until someone opens it here on purpose.
const RULES: Rule[] = [
  { methods: ['POST'], path: /^\/api\/auth\/login$/, access: 'public' },
  { methods: '*', path: /^\/api\/auth\//, access: 'user' },
  { methods: READ, path: /^\/api\/(image-download-profile|software-upgrade|software-upgrade\/check|ap-image|syslog|logging)$/, access: 'user' },
  // The upgrade history and its CSV export: read-only, for monitors too.
  { methods: READ, path: /^\/api\/upgrades(\/(\d+(\/export)?|export))?$/, access: 'user' },
  // A user may change their own password; the account service refuses anyone else's unless admin.
  { methods: ['PUT'], path: /^\/api\/users\/[^/]+\/password$/, access: 'user' },
  { methods: '*', path: /^\/api\//, access: 'admin' },
  { methods: READ, path: /^\/(_next\/|favicon\.svg$|login$)/, access: 'public' },
  // Prometheus has no session: the metrics endpoint checks its bearer token or Basic credentials itself.
  { methods: ['GET'], path: /^\/metrics$/, access: 'public' },
  { methods: '*', path: /^\//, access: 'user' },
];

export function accessFor(method: string, pathname: string): Access {
  const rule = RULES.find((r) => (r.methods === '*' || r.methods.includes(method)) && r.path.test(pathname));
  return rule?.access ?? 'admin';
}

export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'user' || role === 'admin';
}

export function isApi(pathname: string): boolean {
  return pathname.startsWith('/api/');
}

export function changesState(method: string): boolean {
  return !READ.includes(method) && method !== 'OPTIONS';
}
