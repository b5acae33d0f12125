/**
 * SSH host key types (the name inside the public key blob) and the host-key algorithms that ask a
 * server for each. A key's fingerprint covers its blob, so a pinned fingerprint matches one type only.
 */
export const HOST_KEY_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'] as const;
export type HostKeyType = (typeof HOST_KEY_TYPES)[number];

/** An RSA key is signed with SHA-2 (RFC 8332) where the server allows it; OpenSSH 8.8+ refuses `ssh-rsa`. */
const ALGORITHMS = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
} as const satisfies Record<HostKeyType, readonly string[]>;
export type HostKeyAlgorithm = (typeof ALGORITHMS)[HostKeyType][number];

export function isHostKeyType(value: string): value is HostKeyType {
  return (HOST_KEY_TYPES as readonly string[]).includes(value);
}

/** The host-key algorithms that make a server present its key of this type. */
export function algorithmsOfKeyType(type: HostKeyType): readonly HostKeyAlgorithm[] {
  return ALGORITHMS[type];
}

/** Every algorithm we can verify, those of `preferred` first: what the client offers in its KEXINIT. */
export function hostKeyAlgorithmsPreferring(preferred: HostKeyType | null): HostKeyAlgorithm[] {
  const order = preferred ? [preferred, ...HOST_KEY_TYPES.filter((type) => type !== preferred)] : HOST_KEY_TYPES;
  return order.flatMap((type) => ALGORITHMS[type]);
}

/** How `ssh-keygen -l` names the type: `ED25519`, `RSA`, `ECDSA`. */
export function keyTypeLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type === 'ssh-rsa') return 'RSA';
  if (type.startsWith('ecdsa-')) return 'ECDSA';
  return type;
}
