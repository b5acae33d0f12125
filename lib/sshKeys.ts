import { z } from 'zod';

/** One line of an authorized_keys file, as an admin pastes it: `ssh-ed25519 AAAA… comment`. */
export const sshPublicKeyInputSchema = z.object({
  publicKey: z
    .string({ error: 'Public key is required' })
    .trim()
    .min(1, 'Public key is required')
    .max(16_384, 'The public key is 16 KiB at most')
    .refine((v) => !/[\r\n]/.test(v), 'One key per line: paste a single line of an authorized_keys file'),
});

/** An SSH public key of an account as the API shows it: what identifies it, never more than the public half. */
export const sshKeyViewSchema = z.object({
  id: z.number().int(),
  keyType: z.string(),
  fingerprint: z.string(),
  comment: z.string(),
  createdAt: z.string(),
});
export type SshKeyView = z.output<typeof sshKeyViewSchema>;
