import { z } from 'zod';
import { macSchema } from './macAddress';

/** Where an AP stands on the AP authorization list. */
export const AP_AUTHORIZATION_STATUSES = ['pending', 'approved', 'revoked'] as const;
export type ApAuthorizationStatus = (typeof AP_AUTHORIZATION_STATUSES)[number];

/** How an AP got its certificate: the fleet's join token (simulated APs) or an admin's one-time enrolment token. */
export const ENROLMENT_METHODS = ['join-token', 'enrolment-token'] as const;

export const apAuthorizationViewSchema = z.object({
  mac: z.string(),
  status: z.enum(AP_AUTHORIZATION_STATUSES),
  /** The AP's name from its last join, when it joined since it enrolled. */
  name: z.string().nullable(),
  connected: z.boolean(),
  enrolledVia: z.enum(ENROLMENT_METHODS),
  enrolledAt: z.string(),
  enrolledFrom: z.string(),
  certFingerprint: z.string(),
  certExpiresAt: z.string(),
  changedAt: z.string(),
  changedBy: z.string(),
});
export type ApAuthorizationView = z.output<typeof apAuthorizationViewSchema>;

export const enrolmentTokenViewSchema = z.object({
  id: z.number(),
  mac: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedByMac: z.string().nullable(),
});
export type EnrolmentTokenView = z.output<typeof enrolmentTokenViewSchema>;

/** POST /api/ap-authorization/tokens: an optional MAC the token is bound to, and how long it stays valid. */
export const createEnrolmentTokenSchema = z.object({
  // An empty field means "any AP".
  mac: z.preprocess((value) => (value === '' || value === undefined ? null : value), macSchema.nullable()),
  validHours: z.coerce.number().int('whole hours').min(1, 'at least 1 hour').max(720, 'at most 720 hours (30 days)').default(24),
});
export type CreateEnrolmentToken = z.output<typeof createEnrolmentTokenSchema>;

/** PUT /api/ap-authorization/MAC: approve or revoke. */
export const apAuthorizationChangeSchema = z.object({ status: z.enum(['approved', 'revoked']) });

/** What an AP posts to the enrolment route of the AP port. */
export const enrolmentRequestSchema = z.object({
  mac: macSchema,
  token: z.string().min(16).max(128),
  csr: z.string().min(100).max(8192),
});

export const enrolmentReplySchema = z.object({
  certificate: z.string(),
  status: z.enum(AP_AUTHORIZATION_STATUSES),
});
