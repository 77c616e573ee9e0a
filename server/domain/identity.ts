import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { IdentityInput } from '../../src/protocol/identity.js';
import type { Row } from '../db/db.js';
import { systemClock, type Clock } from '../http/clock.js';
import { HttpError } from '../http/errors.js';
import { newId } from './ids.js';
import type { Session, Sessions, Workspace } from './sessions.js';
import type { Stream } from './stream.js';

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
 * `previous_identity_secret`, when given (a rotation's grace period, see
 * Identity.secrets), verifies too.
 */
export async function verifyIdentity(
  input: IdentityInput,
  workspace: { identity_secret: string; require_verification: boolean; previous_identity_secret?: string | null },
): Promise<VerifiedIdentity> {
  const secrets = [workspace.identity_secret, ...(workspace.previous_identity_secret ? [workspace.previous_identity_secret] : [])];
  const signedBy = (proof: string, text: string) => secrets.some((secret) => safeEqual(hmacHex(secret, text), proof));
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
    let claims: Record<string, unknown> | undefined;
    try {
      for (const [i, secret] of secrets.entries()) {
        try {
          ({ payload: claims } = await jwtVerify(input.jwt, key(secret), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
          break;
        } catch (error) {
          // Signed with another secret: the previous one may still verify it.
          if (!(error instanceof joseErrors.JWSSignatureVerificationFailed) || i === secrets.length - 1) throw error;
        }
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new HttpError(401, 'identity_token_expired', 'The identity JWT has expired; mint a new one');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new HttpError(401, 'invalid_identity_token', `The identity JWT is not valid: ${error.message}`);
      throw new HttpError(401, 'invalid_identity_token', 'The identity JWT is not signed with this workspace\'s identity secret (HS256) or is malformed');
    }
    if (!claims) throw new HttpError(401, 'invalid_identity_token', 'The identity JWT is not valid');
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
    if (!signedBy(input.user_hash, signed)) {
      throw new HttpError(401, 'invalid_identity_hash', `user_hash is not the HMAC-SHA256 of ${plain.external_id ? 'external_id' : 'email'} with this workspace's identity secret`);
    }
    return { ...plain, verified: true, external_id_verified: plain.external_id !== null, email_verified: plain.external_id === null };
  }
  if (input.email_hash !== undefined) {
    if (!input.email) throw new HttpError(400, 'invalid_request', 'email_hash needs the email it was computed from');
    if (!signedBy(input.email_hash, input.email)) {
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

/** Who the session's visitor is: identify (with or without proof) and the identity token of a verified one. */
export class Identity {
  constructor(
    readonly stream: Stream,
    readonly sessions: Sessions,
    /** What time it is: whether a rotated identity secret's grace period has ended. */
    readonly now: Clock = systemClock,
  ) {}

  /** Checks the proof, then attaches the identity (see attach). */
  async identify(session: Session, workspace: Workspace, input: IdentityInput): Promise<{ contact: Row; switched: boolean }> {
    return this.attach(session, await verifyIdentity(input, await this.secrets(workspace.id)));
  }

  /**
   * The workspace's identity secrets as they are now (read afresh, not from the
   * session cache, so a rotation counts at once): the current one, and the
   * previous one while its grace period lasts.
   */
  async secrets(workspaceId: string): Promise<{ identity_secret: string; previous_identity_secret: string | null; require_verification: boolean }> {
    const [w] = await this.stream.db.query(
      'select identity_secret, previous_identity_secret, previous_identity_secret_until, require_verification from workspaces where id = $1',
      [workspaceId],
    );
    if (!w) throw new HttpError(401, 'invalid_session', 'The session\'s workspace no longer exists');
    const inGrace = w.previous_identity_secret && w.previous_identity_secret_until && new Date(w.previous_identity_secret_until) > this.now();
    return { identity_secret: w.identity_secret, previous_identity_secret: inGrace ? w.previous_identity_secret : null, require_verification: w.require_verification };
  }

  /**
   * Attaches an identity to the session: finds the contact the identity names
   * (by what it proves, when verified), enriches the session's current contact
   * when it is the same person, or creates a new one.
   *
   * Identifying as a different person than the session's current contact (a
   * different external id; a proven email other than the one it holds; or, for
   * a verified contact, a proof of another kind that nothing links to it) never
   * merges into it nor reads from it: the session moves to that person's own
   * contact (existing or new), and `switched` is true. The same person again,
   * or details added to a contact without proof, enrich it as before. An
   * anonymous session that identifies keeps its conversations (they join the
   * contact).
   *
   * Emails: a proven email (email_verified) is never overwritten by an
   * unproven one; an unproven email (a user_hash of the external id proves that
   * id only) is stored as a detail only while the contact has no proven email,
   * with email_verified false, so operators never see it as verified.
   *
   * Emits `session.switched` (to the session itself) whenever the contact the
   * session holds changes: its open streams swap their filter to the new
   * contact (see GET /stream).
   */
  async attach(session: Session, who: VerifiedIdentity): Promise<{ contact: Row; switched: boolean }> {
    return this.stream.write(async (q, emit) => {
      // Whom the session holds now: the row, locked, not a cached look-up.
      const [now] = await q.query<{ contact_id: string | null }>('select contact_id from sessions where id = $1 for update', [session.id]);
      const [current] = now?.contact_id ? await q.query('select * from contacts where id = $1', [now.contact_id]) : [];
      // A verified identity is looked up only by what it proves.
      const byExternal = who.external_id !== null && (who.external_id_verified || !who.verified);
      const byEmail = !byExternal && who.email !== null && (who.email_verified || !who.verified);
      let [contact] = byExternal
        ? await q.query('select * from contacts where workspace_id = $1 and external_id = $2', [session.workspace_id, who.external_id])
        : byEmail
          ? await q.query('select * from contacts where workspace_id = $1 and external_id is null and email = $2 order by created_at limit 1', [session.workspace_id, who.email])
          : [];
      const differs =
        current !== undefined &&
        (who.external_id && current.external_id
          ? who.external_id !== current.external_id
          : who.email_verified && who.email && current.email
            ? who.email !== current.email
            : current.verified && who.verified);
      if (!contact && current && !differs) contact = current;
      if (!contact) {
        [contact] = await q.query(
          `insert into contacts (id, workspace_id, external_id, email, name, phone, company, avatar_url, custom_data, verified, email_verified)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
          [newId('con'), session.workspace_id, who.external_id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.email_verified],
        );
      } else {
        // An unverified identify never overwrites what a verified one set.
        if (contact.verified && !who.verified) {
          throw new HttpError(401, 'verification_required', 'This contact was identified with a verified identity; send user_hash, email_hash or jwt to change it');
        }
        [contact] = await q.query(
          `update contacts set external_id = coalesce(external_id, $9),
             email = case when $10 then $2 when email_verified then email else coalesce($2, email) end,
             email_verified = email_verified or $10,
             name = coalesce($3, name), phone = coalesce($4, phone),
             company = coalesce($5, company), avatar_url = coalesce($6, avatar_url), custom_data = custom_data || $7::jsonb,
             verified = verified or $8 where id = $1 returning *`,
          [contact.id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.external_id, who.email_verified],
        );
      }
      const previous = now?.contact_id ?? null;
      await q.query('update sessions set contact_id = $2 where id = $1', [session.id, contact!.id]);
      this.sessions.forget(session.id);
      // An anonymous visitor's conversations become the contact's; a previous person's stay theirs.
      if (!previous) await q.query('update conversations set contact_id = $2 where session_id = $1 and contact_id is null', [session.id, contact!.id]);
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: null, type: 'contact.updated', visitor: false, operator: true, payload: { contact } });
      const switched = previous !== null && previous !== contact!.id;
      if (previous !== contact!.id) {
        emit({ workspace_id: session.workspace_id, session_id: session.id, contact_id: contact!.id, conversation_id: null, type: 'session.switched', visitor: true, operator: false, payload: { switched } });
      }
      return { contact: contact!, switched };
    });
  }

  /** A short-lived token proving what was proven of the session's contact; null for one not verified. */
  async token(session: Session, workspace: Workspace): Promise<{ token: string | null; expires_in: number }> {
    const contact = await this.sessions.contact(session.contact_id);
    if (!contact?.verified) return { token: null, expires_in: 0 };
    // The token proves what was proven: an email that was not (beside a user_hash of the id) stays out of it.
    const proven = { external_id: (contact.external_id as string | null) ?? null, email: contact.email_verified ? (contact.email as string | null) : null };
    if (!proven.external_id && !proven.email) return { token: null, expires_in: 0 };
    return { token: await mintIdentityToken((await this.secrets(workspace.id)).identity_secret, proven), expires_in: 600 };
  }
}
