import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { IdentityInput } from '../src/protocol/identity.js';
import { HttpError } from './errors.js';

export type { IdentityInput };


export interface VerifiedIdentity {
  external_id: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  avatar_url: string | null;
  custom_data: Record<string, unknown>;
  /** Some proof was checked (user_hash, email_hash or jwt): `external_id` and/or `email` below are proven, see the next two. */
  verified: boolean;
  /** The external id is proven (a user_hash of it, or a JWT naming it). */
  external_id_verified: boolean;
  /**
   * The email is proven: an email_hash, a user_hash of the email (without an
   * external id), or a JWT's email claim. A user_hash of the external id proves
   * that id only: an email sent beside it stays an unproven detail.
   */
  email_verified: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Constant-time comparison of two hex or text proofs. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // spend the same time either way
    return false;
  }
  return timingSafeEqual(x, y);
}

const key = (secret: string) => new TextEncoder().encode(secret);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Checks an identify request against the workspace's identity secret:
 * a JWT (HS256 with exp), a `user_hash` (HMAC-SHA256 of external_id, or of
 * the email without one), an `email_hash` (HMAC-SHA256 of the email), or none
 * (unverified; refused when the workspace requires verification).
 */
export async function verifyIdentity(
  input: IdentityInput,
  workspace: { identity_secret: string; require_verification: boolean },
): Promise<VerifiedIdentity> {
  const plain = {
    external_id: str(input.external_id) ?? str(input.id),
    email: str(input.email)?.toLowerCase() ?? null,
    name: str(input.name),
    phone: str(input.phone),
    company: str(input.company),
    avatar_url: str(input.avatar_url),
    custom_data: input.custom_data ?? {},
  };
  if (input.jwt) {
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(input.jwt, key(workspace.identity_secret), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new HttpError(401, 'identity_token_expired', 'The identity JWT has expired; mint a new one');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new HttpError(401, 'invalid_identity_token', `The identity JWT is not valid: ${error.message}`);
      throw new HttpError(401, 'invalid_identity_token', 'The identity JWT is not signed with this workspace\'s identity secret (HS256) or is malformed');
    }
    const externalId = str(claims['external_id']) ?? str(claims['sub']) ?? str(claims['id']);
    const email = str(claims['email'])?.toLowerCase() ?? null;
    if (!externalId && !email) throw new HttpError(401, 'invalid_identity_token', 'The identity JWT names neither external_id (or sub) nor email');
    return {
      external_id: externalId,
      email,
      name: str(claims['name']) ?? plain.name,
      phone: str(claims['phone']) ?? plain.phone,
      company: str(claims['company']) ?? plain.company,
      avatar_url: str(claims['avatar_url']) ?? plain.avatar_url,
      custom_data: { ...plain.custom_data, ...((claims['custom_data'] as Record<string, unknown>) ?? {}) },
      verified: true,
      external_id_verified: externalId !== null,
      email_verified: email !== null,
    };
  }
  if (input.user_hash !== undefined) {
    const subject = plain.external_id ?? plain.email;
    if (!subject) throw new HttpError(400, 'invalid_request', 'user_hash needs external_id (or email) to check against');
    // The HMAC is of the value the site sent (the email as given, before lower-casing).
    const signed = str(input.external_id) ?? str(input.id) ?? str(input.email)!;
    if (!safeEqual(hmacHex(workspace.identity_secret, signed), input.user_hash)) {
      throw new HttpError(401, 'invalid_identity_hash', `user_hash is not the HMAC-SHA256 of ${plain.external_id ? 'external_id' : 'email'} with this workspace's identity secret`);
    }
    return { ...plain, verified: true, external_id_verified: plain.external_id !== null, email_verified: plain.external_id === null };
  }
  if (input.email_hash !== undefined) {
    if (!input.email) throw new HttpError(400, 'invalid_request', 'email_hash needs the email it was computed from');
    if (!safeEqual(hmacHex(workspace.identity_secret, input.email), input.email_hash)) {
      throw new HttpError(401, 'invalid_identity_hash', "email_hash is not the HMAC-SHA256 of email with this workspace's identity secret");
    }
    // It proves the email only; an external id beside it is left out (external ids find contacts, so one
    // unproven here could later hand this contact to whoever proves that id).
    return { ...plain, external_id: null, verified: true, external_id_verified: false, email_verified: true };
  }
  if (workspace.require_verification) {
    throw new HttpError(401, 'verification_required', 'This workspace requires a verified identity: send user_hash, email_hash or jwt');
  }
  if (!plain.external_id && !plain.email && !plain.name && !plain.phone && !plain.company && !plain.avatar_url && !Object.keys(plain.custom_data).length) {
    throw new HttpError(400, 'invalid_request', 'identify needs at least one of external_id (or id), email, name, phone, company, avatar_url or custom_data');
  }
  return { ...plain, verified: false, external_id_verified: false, email_verified: false };
}

/** A short-lived identity token for a verified visitor (the `?convot_identity=` link token). */
export async function mintIdentityToken(secret: string, who: { external_id: string | null; email: string | null }, seconds = 600): Promise<string> {
  return new SignJWT({ ...(who.external_id ? { external_id: who.external_id } : {}), ...(who.email ? { email: who.email } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(key(secret));
}
