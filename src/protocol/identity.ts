/**
 * A visitor's identity on the wire: what `identify()` accepts, in every dialect,
 * through the headless client and at `POST /api/widget/identify`.
 */

/** The contact's profile fields (shown to operators, sent back to the widget). */
export const PROFILE_FIELDS = ['external_id', 'email', 'name', 'phone', 'company', 'avatar_url'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The proofs a verified install sends beside the details. */
export const IDENTITY_PROOFS = ['user_hash', 'email_hash', 'jwt'] as const;

/** Every string field `identify()` accepts: `id` (an alias of external_id), the profile fields and the proofs. */
export const IDENTITY_STRINGS = ['id', ...PROFILE_FIELDS, ...IDENTITY_PROOFS] as const;

/** What `identify()` accepts: the visitor's details and, for verified installs, one proof. */
export interface IdentityInput {
  id?: string;
  external_id?: string;
  email?: string;
  name?: string;
  phone?: string;
  company?: string;
  avatar_url?: string;
  custom_data?: Record<string, unknown>;
  user_hash?: string;
  email_hash?: string;
  jwt?: string;
}
