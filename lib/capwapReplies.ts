import { z } from 'zod';

/**
 * What an AP answers to the controller's image requests. The controller parses every
 * reply with these before it uses a field: an AP is a peer on the network, not a trusted module.
 */
const message = z.string().max(1000);
const byteCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const precheckReplySchema = z.object({ ok: z.boolean(), availableKb: byteCount, requiredKb: byteCount, message });
export type PrecheckReply = z.infer<typeof precheckReplySchema>;

export const beginReplySchema = z.object({
  ok: z.boolean(),
  /** Bytes of this image the AP already holds from an interrupted attempt; the controller resumes there. */
  offset: byteCount,
  message,
});
export type BeginReply = z.infer<typeof beginReplySchema>;

export const dataReplySchema = z.object({
  ok: z.boolean(),
  /** Total bytes of this transfer the AP has written. */
  received: byteCount,
  message,
});
export type DataReply = z.infer<typeof dataReplySchema>;

export const endReplySchema = z.object({ ok: z.boolean(), sha256: z.union([z.string().regex(/^[0-9a-f]{64}$/), z.literal('')]), message });
export type EndReply = z.infer<typeof endReplySchema>;

export const reloadReplySchema = z.object({ ok: z.boolean(), message });
export type ReloadReply = z.infer<typeof reloadReplySchema>;
