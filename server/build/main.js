#!/usr/bin/env node
import { dirname, basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mkdir, readFile, open as open$2, rm, readdir } from 'node:fs/promises';
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { createTransport } from 'nodemailer';
import { fileURLToPath } from 'node:url';
import { randomUUID, createHash, randomBytes, timingSafeEqual, createHmac, randomInt } from 'node:crypto';
import { jwtVerify, errors, SignJWT } from 'jose';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import fastJson from 'fast-json-stringify';
import { EventEmitter } from 'node:events';

/**
 * Where the server's files are, from the sources (server/*.ts, run by tsx) and from the
 * compiled bundle (server/build/main.js, `npm run serve`) alike.
 */
const here = dirname(fileURLToPath(import.meta.url));
const SERVER_DIR = basename(here) === 'build' ? dirname(here) : here;
/** The project: dist/ (the widget), demo/, the pages. */
const ROOT$1 = dirname(SERVER_DIR);
const MIGRATIONS_DIR = join(SERVER_DIR, 'db', 'migrations');

/** The file that says which process has a PGlite data dir open. */
const LOCK_FILE = 'chat-widget.lock';
const held = new Set();
/** Thrown when another live process has the PGlite data dir open. */
class DataDirInUse extends Error {
    constructor(dataDir, pid) {
        super(`The data directory ${dataDir} is in use by process ${pid} (the server?). PGlite allows one process at a time: ` +
            `stop that process first, or use PostgreSQL (DATABASE_URL), which several processes may share. ` +
            `If no such process runs, delete ${join(dataDir, LOCK_FILE)}.`);
        this.dataDir = dataDir;
        this.pid = pid;
    }
}
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/**
 * Takes the data dir for this process (PGlite itself does not stop a second
 * process from opening it, which would corrupt it): a lock file with our pid,
 * refused while another live process holds it; a stale one (its process gone)
 * is taken over. Returns the release.
 */
async function lockDataDir(dataDir) {
    const path = join(dataDir, LOCK_FILE);
    if (held.has(path))
        throw new DataDirInUse(dataDir, process.pid);
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const file = await open$2(path, 'wx');
            await file.writeFile(String(process.pid));
            await file.close();
            held.add(path);
            return async () => {
                held.delete(path);
                await rm(path, { force: true });
            };
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
            const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
            // Our own pid in a lock we do not hold: left by an earlier run that had the same pid (a container's pid 1).
            if (pid > 0 && pid !== process.pid && alive(pid))
                throw new DataDirInUse(dataDir, pid);
            await rm(path, { force: true });
        }
    }
    throw new Error(`Could not take ${path}: another process is opening the data directory at the same time`);
}
/** PGlite: embedded PostgreSQL in WASM. `dataDir` undefined means in memory. One process at a time per data dir (see lockDataDir). */
async function openPglite(dataDir) {
    const { PGlite } = await import('@electric-sql/pglite');
    if (dataDir)
        await mkdir(dataDir, { recursive: true });
    const release = dataDir ? await lockDataDir(dataDir) : async () => { };
    let pg;
    try {
        pg = dataDir ? new PGlite(dataDir) : new PGlite();
        await pg.waitReady;
    }
    catch (error) {
        await release();
        throw error;
    }
    return {
        kind: 'pglite',
        async query(sql, params) {
            return (await pg.query(sql, params)).rows;
        },
        async tx(fn) {
            return pg.transaction((t) => fn({ query: async (sql, params) => (await t.query(sql, params)).rows }));
        },
        async exec(sql) {
            await pg.exec(sql);
        },
        async close() {
            await pg.close();
            await release();
        },
    };
}
/** A real PostgreSQL through `pg`. */
async function openPostgres(url) {
    const { default: pg } = await import('pg');
    // bigint columns (sequences, counts) as numbers: ours stay far below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return {
        kind: 'pg',
        url,
        async query(sql, params) {
            return (await pool.query(sql, params)).rows;
        },
        async tx(fn) {
            const client = await pool.connect();
            try {
                await client.query('begin');
                const out = await fn({ query: async (sql, params) => (await client.query(sql, params)).rows });
                await client.query('commit');
                return out;
            }
            catch (error) {
                await client.query('rollback').catch(() => { });
                throw error;
            }
            finally {
                client.release();
            }
        },
        async exec(sql) {
            await pool.query(sql);
        },
        async close() {
            await pool.end();
        },
    };
}
const MIGRATIONS = `${MIGRATIONS_DIR}/`;
const migrationFiles = async () => (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
/** The migrations this code has that the database has not applied (empty when ready). */
async function pendingMigrations(db) {
    const [table] = await db.query("select to_regclass('schema_migrations') is not null as exists");
    const done = table.exists ? new Set((await db.query('select name from schema_migrations')).map((r) => r.name)) : new Set();
    return (await migrationFiles()).filter((name) => !done.has(name));
}
/** A PostgreSQL advisory lock's key: processes that start together apply each migration once, one after another. */
const MIGRATION_LOCK = 727_274_001;
/** Applies the migrations not applied yet, each in its own transaction. */
async function migrate(db) {
    const applied = [];
    if (db.kind === 'pg') {
        // Several processes may start at once on one database: each migration under a lock, checked again inside it.
        const locked = async (fn) => db.tx(async (q) => {
            await q.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
            await fn(q);
        });
        await locked((q) => q.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())').then(() => { }));
        for (const name of await pendingMigrations(db)) {
            const sql = await readFile(join(MIGRATIONS, name), 'utf8');
            await locked(async (q) => {
                if ((await q.query('select 1 from schema_migrations where name = $1', [name])).length)
                    return;
                await q.query(sql);
                await q.query('insert into schema_migrations (name) values ($1)', [name]);
                applied.push(name);
            });
        }
        return applied;
    }
    await db.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    for (const name of await pendingMigrations(db)) {
        const sql = await readFile(join(MIGRATIONS, name), 'utf8');
        await db.exec(`begin;\n${sql}\ninsert into schema_migrations (name) values ('${name.replace(/'/g, "''")}');\ncommit;`);
        applied.push(name);
    }
    return applied;
}
/** The database the environment asks for: `DATABASE_URL` (PostgreSQL), else PGlite in `dataDir` (or memory). */
async function openDb(options) {
    const db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
    await migrate(db);
    return db;
}

const systemClock = () => new Date();

/** An error the client caused or may act on: answered as `{error: {code, message}}`. */
class HttpError extends Error {
    constructor(statusCode, code, message, extra) {
        super(message);
        this.statusCode = statusCode;
        this.code = code;
        if (extra)
            this.extra = extra;
    }
}
const notFound = (what) => new HttpError(404, 'not_found', `${what} was not found`);
/** Every error leaves as `{error: {code, message}}` that says what is wrong; internals never leave. */
function installErrorHandling(app) {
    app.setErrorHandler((error, request, reply) => {
        if (error instanceof HttpError) {
            const fields = error.fields;
            return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, ...(fields ? { fields } : {}), ...error.extra } });
        }
        if (error.validation) {
            const where = error.validationContext ?? 'request';
            const detail = error.validation
                .map((v) => {
                const path = `${where}${v.instancePath || ''}`;
                if (v.keyword === 'additionalProperties')
                    return `${path} has an unknown property "${v.params.additionalProperty}"`;
                if (v.keyword === 'required')
                    return `${path} is missing "${v.params.missingProperty}"`;
                return `${path} ${v.message}`;
            })
                .join('; ');
            return reply.status(400).send({ error: { code: 'invalid_request', message: detail } });
        }
        switch (error.code) {
            case 'FST_ERR_CTP_INVALID_JSON_BODY':
            case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
                return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
            case 'FST_ERR_CTP_EMPTY_JSON_BODY':
                return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is empty; send a JSON object' } });
            case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
                return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json' } });
            case 'FST_ERR_CTP_BODY_TOO_LARGE':
                return reply.status(413).send({ error: { code: 'body_too_large', message: 'The request body is too large' } });
        }
        if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
            return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
        }
        if (error.statusCode === 429) {
            return reply.status(429).send({ error: { code: 'rate_limited', message: error.message } });
        }
        if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
            return reply.status(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
        }
        request.log.error(error);
        return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the server; try again' } });
    });
    app.setNotFoundHandler((request, reply) => {
        reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
    });
}

/** A new row id with its kind's prefix (cnv_, msg_, ses_...). */
const newId = (prefix) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const hmacHex = (secret, text) => createHmac('sha256', secret).update(text).digest('hex');
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** Constant-time comparison of two hex or text proofs. */
function safeEqual(a, b) {
    const x = Buffer.from(a.toLowerCase());
    const y = Buffer.from(b.toLowerCase());
    if (x.length !== y.length) {
        timingSafeEqual(x, x); // spend the same time either way
        return false;
    }
    return timingSafeEqual(x, y);
}
const key = (secret) => new TextEncoder().encode(secret);
const str$1 = (v) => (typeof v === 'string' && v !== '' ? v : null);
/**
 * Checks an identify request against the workspace's identity secret:
 * a JWT (HS256 with exp), a `user_hash` (HMAC-SHA256 of external_id, or of
 * the email without one), an `email_hash` (HMAC-SHA256 of the email), or none
 * (unverified; refused when the workspace requires verification).
 * `previous_identity_secret`, when given (a rotation's grace period, see
 * Identity.secrets), verifies too.
 */
async function verifyIdentity(input, workspace) {
    const secrets = [workspace.identity_secret, ...(workspace.previous_identity_secret ? [workspace.previous_identity_secret] : [])];
    const signedBy = (proof, text) => secrets.some((secret) => safeEqual(hmacHex(secret, text), proof));
    const plain = {
        external_id: str$1(input.external_id) ?? str$1(input.id),
        email: str$1(input.email)?.toLowerCase() ?? null,
        name: str$1(input.name),
        phone: str$1(input.phone),
        company: str$1(input.company),
        avatar_url: str$1(input.avatar_url),
        custom_data: input.custom_data ?? {},
    };
    if (input.jwt) {
        let claims;
        try {
            for (const [i, secret] of secrets.entries()) {
                try {
                    ({ payload: claims } = await jwtVerify(input.jwt, key(secret), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
                    break;
                }
                catch (error) {
                    // Signed with another secret: the previous one may still verify it.
                    if (!(error instanceof errors.JWSSignatureVerificationFailed) || i === secrets.length - 1)
                        throw error;
                }
            }
        }
        catch (error) {
            if (error instanceof errors.JWTExpired)
                throw new HttpError(401, 'identity_token_expired', 'The identity JWT has expired; mint a new one');
            if (error instanceof errors.JWTClaimValidationFailed)
                throw new HttpError(401, 'invalid_identity_token', `The identity JWT is not valid: ${error.message}`);
            throw new HttpError(401, 'invalid_identity_token', 'The identity JWT is not signed with this workspace\'s identity secret (HS256) or is malformed');
        }
        if (!claims)
            throw new HttpError(401, 'invalid_identity_token', 'The identity JWT is not valid');
        const externalId = str$1(claims['external_id']) ?? str$1(claims['sub']) ?? str$1(claims['id']);
        const email = str$1(claims['email'])?.toLowerCase() ?? null;
        if (!externalId && !email)
            throw new HttpError(401, 'invalid_identity_token', 'The identity JWT names neither external_id (or sub) nor email');
        return {
            external_id: externalId,
            email,
            name: str$1(claims['name']) ?? plain.name,
            phone: str$1(claims['phone']) ?? plain.phone,
            company: str$1(claims['company']) ?? plain.company,
            avatar_url: str$1(claims['avatar_url']) ?? plain.avatar_url,
            custom_data: { ...plain.custom_data, ...(claims['custom_data'] ?? {}) },
            verified: true,
            external_id_verified: externalId !== null,
            email_verified: email !== null,
        };
    }
    if (input.user_hash !== undefined) {
        const subject = plain.external_id ?? plain.email;
        if (!subject)
            throw new HttpError(400, 'invalid_request', 'user_hash needs external_id (or email) to check against');
        // The HMAC is of the value the site sent (the email as given, before lower-casing).
        const signed = str$1(input.external_id) ?? str$1(input.id) ?? str$1(input.email);
        if (!signedBy(input.user_hash, signed)) {
            throw new HttpError(401, 'invalid_identity_hash', `user_hash is not the HMAC-SHA256 of ${plain.external_id ? 'external_id' : 'email'} with this workspace's identity secret`);
        }
        return { ...plain, verified: true, external_id_verified: plain.external_id !== null, email_verified: plain.external_id === null };
    }
    if (input.email_hash !== undefined) {
        if (!input.email)
            throw new HttpError(400, 'invalid_request', 'email_hash needs the email it was computed from');
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
async function mintIdentityToken(secret, who, seconds = 600) {
    return new SignJWT({ ...(who.external_id ? { external_id: who.external_id } : {}), ...(who.email ? { email: who.email } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
        .sign(key(secret));
}
/** Who the session's visitor is: identify (with or without proof) and the identity token of a verified one. */
class Identity {
    constructor(stream, sessions, 
    /** What time it is: whether a rotated identity secret's grace period has ended. */
    now = systemClock) {
        this.stream = stream;
        this.sessions = sessions;
        this.now = now;
    }
    /** Checks the proof, then attaches the identity (see attach). */
    async identify(session, workspace, input) {
        return this.attach(session, await verifyIdentity(input, await this.secrets(workspace.id)));
    }
    /**
     * The workspace's identity secrets as they are now (read afresh, not from the
     * session cache, so a rotation counts at once): the current one, and the
     * previous one while its grace period lasts.
     */
    async secrets(workspaceId) {
        const [w] = await this.stream.db.query('select identity_secret, previous_identity_secret, previous_identity_secret_until, require_verification from workspaces where id = $1', [workspaceId]);
        if (!w)
            throw new HttpError(401, 'invalid_session', 'The session\'s workspace no longer exists');
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
    async attach(session, who) {
        return this.stream.write(async (q, emit) => {
            // Whom the session holds now: the row, locked, not a cached look-up.
            const [now] = await q.query('select contact_id from sessions where id = $1 for update', [session.id]);
            const [current] = now?.contact_id ? await q.query('select * from contacts where id = $1', [now.contact_id]) : [];
            // A verified identity is looked up only by what it proves.
            const byExternal = who.external_id !== null && (who.external_id_verified || !who.verified);
            const byEmail = !byExternal && who.email !== null && (who.email_verified || !who.verified);
            let [contact] = byExternal
                ? await q.query('select * from contacts where workspace_id = $1 and external_id = $2', [session.workspace_id, who.external_id])
                : byEmail
                    ? await q.query('select * from contacts where workspace_id = $1 and external_id is null and email = $2 order by created_at limit 1', [session.workspace_id, who.email])
                    : [];
            const differs = current !== undefined &&
                (who.external_id && current.external_id
                    ? who.external_id !== current.external_id
                    : who.email_verified && who.email && current.email
                        ? who.email !== current.email
                        : current.verified && who.verified);
            if (!contact && current && !differs)
                contact = current;
            if (!contact) {
                [contact] = await q.query(`insert into contacts (id, workspace_id, external_id, email, name, phone, company, avatar_url, custom_data, verified, email_verified)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`, [newId('con'), session.workspace_id, who.external_id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.email_verified]);
            }
            else {
                // An unverified identify never overwrites what a verified one set.
                if (contact.verified && !who.verified) {
                    throw new HttpError(401, 'verification_required', 'This contact was identified with a verified identity; send user_hash, email_hash or jwt to change it');
                }
                [contact] = await q.query(`update contacts set external_id = coalesce(external_id, $9),
             email = case when $10 then $2 when email_verified then email else coalesce($2, email) end,
             email_verified = email_verified or $10,
             name = coalesce($3, name), phone = coalesce($4, phone),
             company = coalesce($5, company), avatar_url = coalesce($6, avatar_url), custom_data = custom_data || $7::jsonb,
             verified = verified or $8 where id = $1 returning *`, [contact.id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.external_id, who.email_verified]);
            }
            const previous = now?.contact_id ?? null;
            await q.query('update sessions set contact_id = $2 where id = $1', [session.id, contact.id]);
            this.sessions.forget(session.id);
            // An anonymous visitor's conversations become the contact's; a previous person's stay theirs.
            if (!previous)
                await q.query('update conversations set contact_id = $2 where session_id = $1 and contact_id is null', [session.id, contact.id]);
            emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: null, type: 'contact.updated', visitor: false, operator: true, payload: { contact } });
            const switched = previous !== null && previous !== contact.id;
            if (previous !== contact.id) {
                emit({ workspace_id: session.workspace_id, session_id: session.id, contact_id: contact.id, conversation_id: null, type: 'session.switched', visitor: true, operator: false, payload: { switched } });
            }
            return { contact: contact, switched };
        });
    }
    /** A short-lived token proving what was proven of the session's contact; null for one not verified. */
    async token(session, workspace) {
        const contact = await this.sessions.contact(session.contact_id);
        if (!contact?.verified)
            return { token: null, expires_in: 0 };
        // The token proves what was proven: an email that was not (beside a user_hash of the id) stays out of it.
        const proven = { external_id: contact.external_id ?? null, email: contact.email_verified ? contact.email : null };
        if (!proven.external_id && !proven.email)
            return { token: null, expires_in: 0 };
        return { token: await mintIdentityToken((await this.secrets(workspace.id)).identity_secret, proven), expires_in: 600 };
    }
}

/** The longest grace period of an identity secret rotation: 30 days. */
const MAX_GRACE_HOURS = 720;
const DEFAULT_GRACE_HOURS = 24;
const bad = (message) => new HttpError(400, 'invalid_request', message);
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const EMAIL$1 = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
function checkName(name, field = 'name') {
    if (typeof name !== 'string' || !name.trim())
        throw bad(`${field} is empty: give a name`);
    if (name.length > 200)
        throw bad(`${field} is too long: at most 200 characters`);
    return name.trim();
}
/** `*` (any origin) or scheme://host[:port] as a browser sends it in Origin. */
function checkOrigins(origins, field = 'allowed_origins') {
    if (!Array.isArray(origins) || origins.length === 0)
        throw bad(`${field} is empty: list at least one origin (https://example.com), or * for any`);
    if (origins.length > 100)
        throw bad(`${field} has too many entries: at most 100`);
    return origins.map((o, i) => {
        if (o === '*')
            return o;
        let origin = null;
        try {
            if (typeof o === 'string')
                origin = new URL(o).origin;
        }
        catch {
            /* not a URL */
        }
        if (!origin || origin === 'null' || origin !== o) {
            throw bad(`${field}/${i} ${JSON.stringify(o)} is not an origin: write it as the browser sends it, scheme://host[:port] without a path or trailing slash (https://example.com), or * for any`);
        }
        return origin;
    });
}
function checkLanguages(languages) {
    if (!Array.isArray(languages) || languages.length === 0)
        throw bad('languages is empty: list at least one language code (en, fr...)');
    languages.forEach((l, i) => {
        if (typeof l !== 'string' || !LANGUAGE.test(l))
            throw bad(`languages/${i} ${JSON.stringify(l)} is not a language code (en, fr, pt-BR...)`);
    });
    return [...new Set(languages)];
}
function checkOperator(input) {
    const email = input.email ?? null;
    if (email !== null && (typeof email !== 'string' || !EMAIL$1.test(email) || email.length > 320))
        throw bad(`email ${JSON.stringify(email)} is not an email address`);
    const avatar = input.avatar_url ?? null;
    if (avatar !== null && (typeof avatar !== 'string' || !/^https:\/\/\S+$/.test(avatar) || avatar.length > 2048))
        throw bad('avatar_url must be an https:// address');
    const role = input.role ?? 'agent';
    if (role !== 'admin' && role !== 'agent')
        throw bad(`role ${JSON.stringify(role)} is not admin or agent`);
    return { name: checkName(input.name), email, avatar_url: avatar, role };
}
const operatorView = (row) => ({
    id: row.id, name: row.name, email: row.email, avatar_url: row.avatar_url, role: row.role, created_at: new Date(row.created_at).toISOString(),
});
const OPERATOR_COLUMNS = 'id, name, email, avatar_url, role, created_at';
const DAYS$1 = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/**
 * Opening hours written as a person would: "mon-fri 09:00-17:00, sat 10:00-13:00 14:00-16:00"
 * (days or a range of days, then one or more spans; "none": always open), as business_hours.
 */
function parseHours(text, field = 'hours') {
    const hours = {};
    if (text.trim().toLowerCase() === 'none')
        return hours;
    const time = '([01][0-9]|2[0-3]):[0-5][0-9]|24:00';
    const spanPattern = new RegExp(`^(${time})-(${time})$`);
    for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
        const [days, ...spans] = part.split(/\s+/);
        const range = /^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?$/.exec(days.toLowerCase());
        if (!range || !spans.length)
            throw bad(`${field} "${part}" is not "DAY[-DAY] HH:MM-HH:MM ..." (e.g. mon-fri 09:00-17:00)`);
        const from = DAYS$1.indexOf(range[1]);
        const to = DAYS$1.indexOf((range[2] ?? range[1]));
        if (to < from)
            throw bad(`${field} "${days}" runs backwards: write the days from Monday to Sunday (mon-fri)`);
        for (const span of spans) {
            const m = spanPattern.exec(span);
            if (!m)
                throw bad(`${field} "${span}" is not a span of time like 09:00-17:00`);
            const [open, close] = span.split('-');
            if (open >= close)
                throw bad(`${field} "${span}" closes before it opens`);
            for (let d = from; d <= to; d++)
                (hours[DAYS$1[d]] ??= []).push([open, close]);
        }
    }
    if (!Object.keys(hours).length)
        throw bad(`${field} is empty: write e.g. "mon-fri 09:00-17:00", or "none" for always open`);
    return hours;
}
class Admin {
    constructor(db, 
    /** What time it is: when a rotation's grace period ends. */
    now = systemClock) {
        this.db = db;
        this.now = now;
    }
    /**
     * A new workspace: its widget public key, identity secret, and a first admin
     * operator with their key. The secrets are in the answer only.
     */
    async createWorkspace(input) {
        const name = checkName(input.name);
        const origins = input.allowed_origins === undefined ? ['*'] : checkOrigins(input.allowed_origins);
        const admin = checkOperator({ name: input.admin?.name ?? 'Admin', email: input.admin?.email ?? null, role: 'admin' });
        const id = newId('ws');
        const publicKey = `pk_${randomToken(18)}`;
        const identitySecret = randomToken(32);
        const { operator, key } = await this.db.tx(async (q) => {
            await q.query('insert into workspaces (id, name, identity_secret, allowed_origins) values ($1, $2, $3, $4)', [id, name, identitySecret, origins]);
            await q.query('insert into widget_keys (key, workspace_id, agent_id) values ($1, $2, null)', [publicKey, id]);
            return this.#insertOperator(q, id, admin);
        });
        return { workspace: await this.workspace(id), public_key: publicKey, identity_secret: identitySecret, operator, operator_key: key };
    }
    async listWorkspaces() {
        const rows = await this.db.query(`select w.*, ${this.#publicKey}, (select count(*)::int from agents a where a.workspace_id = w.id and a.kind = 'person') as operators
      from workspaces w order by w.created_at, w.id`);
        return rows.map((r) => ({ ...this.#workspaceView(r), operators: r.operators }));
    }
    async workspace(id) {
        const [row] = await this.db.query(`select w.*, ${this.#publicKey} from workspaces w where w.id = $1`, [id]);
        if (!row)
            throw new HttpError(404, 'not_found', `No workspace has the id ${JSON.stringify(id)}`);
        return this.#workspaceView(row);
    }
    /** Changes a workspace's name, allowed origins, verification and languages (hours: PUT /settings). */
    async updateWorkspace(id, change) {
        const set = {};
        if (change.name !== undefined)
            set.name = checkName(change.name);
        if (change.allowed_origins !== undefined)
            set.allowed_origins = checkOrigins(change.allowed_origins);
        if (change.require_verification !== undefined) {
            if (typeof change.require_verification !== 'boolean')
                throw bad('require_verification must be true or false');
            set.require_verification = change.require_verification;
        }
        if (change.languages !== undefined)
            set.languages = checkLanguages(change.languages);
        await this.workspace(id);
        const keys = Object.keys(set);
        if (keys.length) {
            await this.db.query(`update workspaces set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`, [id, ...keys.map((k) => set[k])]);
        }
        return this.workspace(id);
    }
    async operators(workspaceId) {
        await this.workspace(workspaceId);
        const rows = await this.db.query(`select ${OPERATOR_COLUMNS} from agents where workspace_id = $1 and kind = 'person' order by created_at, name`, [workspaceId]);
        return rows.map(operatorView);
    }
    /** A new operator with their own key (answered once). */
    async addOperator(workspaceId, input) {
        const checked = checkOperator(input);
        await this.workspace(workspaceId);
        return this.db.tx((q) => this.#insertOperator(q, workspaceId, checked));
    }
    /**
     * Removes an operator: their keys stop working, their messages stay (signed
     * with their name), their conversations become unassigned. The workspace's
     * last admin cannot be removed (409). `workspaceId` null: any workspace (the CLI).
     */
    async removeOperator(workspaceId, agentId) {
        return this.db.tx(async (q) => {
            const agent = await this.#operator(q, workspaceId, agentId, true);
            if (agent.role === 'admin') {
                const [{ admins }] = (await q.query(`select count(*)::int as admins from agents where workspace_id = $1 and kind = 'person' and role = 'admin'`, [agent.workspace_id]));
                if (admins <= 1) {
                    throw new HttpError(409, 'last_admin', `${agent.name} is the workspace's last admin and cannot be removed: make another operator an admin first (add one with role admin)`);
                }
            }
            await q.query('delete from operator_keys where agent_id = $1', [agent.id]);
            await q.query('delete from agents where id = $1', [agent.id]);
            return operatorView(agent);
        });
    }
    /** A new key for an operator (answered once); their previous keys stop working at once. */
    async rotateOperatorKey(workspaceId, agentId) {
        return this.db.tx(async (q) => {
            const agent = await this.#operator(q, workspaceId, agentId, true);
            const key = `sk_${randomToken(24)}`;
            await q.query('delete from operator_keys where agent_id = $1', [agent.id]);
            await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(key), agent.workspace_id, agent.id]);
            return { operator: operatorView(agent), key };
        });
    }
    /**
     * A new identity secret (answered once). The one it replaces keeps verifying
     * for `graceHours` (default 24; 0 ends it at once), so visitors signed in with
     * it stay signed in while the site switches over. Only the one it replaces:
     * a second rotation within a grace period ends the older secret's at once.
     */
    async rotateIdentitySecret(workspaceId, graceHours = DEFAULT_GRACE_HOURS) {
        if (typeof graceHours !== 'number' || !Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
            throw bad(`grace_hours must be a number of hours from 0 to ${MAX_GRACE_HOURS}`);
        }
        const secret = randomToken(32);
        const until = graceHours > 0 ? new Date(this.now().getTime() + graceHours * 3_600_000) : null;
        const [row] = await this.db.query(`update workspaces set previous_identity_secret = case when $3::timestamptz is null then null else identity_secret end,
         previous_identity_secret_until = $3, identity_secret = $2 where id = $1 returning id`, [workspaceId, secret, until?.toISOString() ?? null]);
        if (!row)
            throw new HttpError(404, 'not_found', `No workspace has the id ${JSON.stringify(workspaceId)}`);
        return { identity_secret: secret, previous_valid_until: until?.toISOString() ?? null };
    }
    // The workspace's widget key (the first one that routes to no particular agent).
    #publicKey = `(select k.key from widget_keys k where k.workspace_id = w.id and k.agent_id is null order by k.key limit 1) as public_key`;
    #workspaceView(row) {
        const until = row.previous_identity_secret_until ? new Date(row.previous_identity_secret_until) : null;
        return {
            id: row.id,
            name: row.name,
            public_key: row.public_key ?? null,
            allowed_origins: row.allowed_origins,
            require_verification: row.require_verification,
            languages: row.languages,
            business_hours: row.business_hours,
            time_zone: row.time_zone,
            previous_identity_secret_until: until && until > this.now() ? until.toISOString() : null,
            created_at: new Date(row.created_at).toISOString(),
        };
    }
    async #operator(q, workspaceId, agentId, lock = false) {
        const [row] = await q.query(`select ${OPERATOR_COLUMNS}, workspace_id from agents where id = $1 and kind = 'person' and ($2::text is null or workspace_id = $2)${lock ? ' for update' : ''}`, [agentId, workspaceId]);
        if (!row)
            throw new HttpError(404, 'not_found', `No operator has the id ${JSON.stringify(agentId)}${workspaceId ? ' in this workspace' : ''}`);
        return row;
    }
    async #insertOperator(q, workspaceId, op) {
        if (op.email) {
            const [taken] = await q.query('select 1 from agents where workspace_id = $1 and lower(email) = lower($2)', [workspaceId, op.email]);
            if (taken)
                throw new HttpError(409, 'email_taken', `Another operator of this workspace has the email ${op.email}`);
        }
        const key = `sk_${randomToken(24)}`;
        const [row] = await q
            .query(`insert into agents (id, workspace_id, name, kind, email, avatar_url, role) values ($1, $2, $3, 'person', $4, $5, $6) returning ${OPERATOR_COLUMNS}`, [newId('ag'), workspaceId, op.name, op.email, op.avatar_url, op.role])
            .catch((error) => {
            // Added at the same moment by another request (the unique index agents_email).
            if (error.code === '23505')
                throw new HttpError(409, 'email_taken', `Another operator of this workspace has the email ${op.email}`);
            throw error;
        });
        await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(key), workspaceId, row.id]);
        return { operator: operatorView(row), key };
    }
}

/** Limits and patterns that the widget, the headless client and the server all check the same way. */
/** The longest chat message, in UTF-16 code units (as `String.length` counts). */
const MAX_MESSAGE_LENGTH = 10_000;
/** The longest file name an upload may carry. */
const MAX_FILE_NAME_LENGTH = 255;
/** What counts as an email address (a local part, an @, a domain with a dot). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A phone number in E.164 form: a +, the country code, then the number (7 to 15 digits in all). */
const E164 = /^\+[1-9]\d{6,14}$/;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DEFAULT_HANDLE_SECONDS = 300;
/** Picks a translation: the language asked, its base language, English, then any. */
function pick(texts, lang) {
    if (!texts)
        return null;
    const base = lang.split('-')[0];
    return texts[lang] ?? texts[base] ?? texts['en'] ?? Object.values(texts)[0] ?? null;
}
/** Whether `now` falls in the workspace's business hours (in its time zone). No hours set: always open. */
function isOpen(hours, timeZone, now = new Date()) {
    if (!hours || Object.keys(hours).length === 0)
        return true;
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(now)
        .map((p) => [p.type, p.value]));
    const day = DAYS[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday'])];
    const time = `${parts['hour']}:${parts['minute']}`;
    return (hours[day] ?? []).some(([from, to]) => time >= from && time < to);
}
/** The workspace as the messenger shows it: company details, settings, business hours, menus (topics) and wait times. */
class Company {
    constructor(db, 
    /** What time it is, for every decision on hours and slots. */
    now = systemClock) {
        this.db = db;
        this.now = now;
    }
    async workspace(id) {
        const [row] = await this.db.query('select * from workspaces where id = $1', [id]);
        return row;
    }
    async company(workspaceId) {
        const w = await this.workspace(workspaceId);
        const names = new Intl.DisplayNames(['en'], { type: 'language' });
        return {
            name: w.name,
            subdomain: w.subdomain ?? '',
            support_email: w.support_email ?? '',
            languages: w.languages.map((code) => ({ code, name: names.of(code) ?? code })),
            action_tracking: !!w.flags.action_tracking,
            email_transcripts: !!w.flags.email_transcripts,
            message_preview: !!w.flags.message_preview,
            email_enhancement: !!w.flags.email_enhancement,
        };
    }
    async afterHours(workspaceId, lang, now = this.now()) {
        const w = await this.workspace(workspaceId);
        const open = isOpen(w.business_hours, w.time_zone, now);
        return { open, message: open ? null : pick(w.after_hours_message, lang) ?? 'We are away right now. Leave us an email and we will answer when we are back.' };
    }
    async menus(workspaceId, session, key, lang) {
        const rows = await this.db.query('select * from menus where workspace_id = $1 order by position, id', [workspaceId]);
        const item = (m) => {
            const children = rows.filter((c) => c.parent_id === m.id).map(item);
            return {
                id: Number(m.id),
                name: pick(m.names, lang) ?? undefined,
                enabled: m.enabled,
                ...(m.redirection ? { redirection: m.redirection } : {}),
                ...(children.length ? { children } : {}),
                channels: m.channels.map((type) => ({ type, enabled: m.enabled })),
                deflection: { enabled: m.deflection_enabled, type: 'virtual_agent' },
            };
        };
        if (key) {
            const direct = rows.find((m) => m.key === key);
            if (!direct)
                throw new HttpError(404, 'unknown_menu_key', `No menu has the direct key "${key}"`);
            return { menus: [item(direct)], direct: { key: true, user: session.contact_id !== null } };
        }
        return { menus: rows.filter((m) => m.parent_id === null).map(item), direct: { key: false, user: session.contact_id !== null } };
    }
    async menu(workspaceId, menuId) {
        if (!/^\d{1,15}$/.test(String(menuId)))
            throw new HttpError(400, 'invalid_request', `menu_id must be a menu's number, got ${JSON.stringify(menuId)}`);
        const [m] = await this.db.query('select * from menus where id = $1 and workspace_id = $2', [Number(menuId), workspaceId]);
        if (!m)
            throw new HttpError(404, 'unknown_menu', `Menu ${menuId} was not found`);
        return m;
    }
    /** A menu by its id alone (a chat's own menu), or null. */
    async menuById(id) {
        const [m] = await this.db.query('select * from menus where id = $1', [id]);
        return m ?? null;
    }
    /**
     * Expected waits in seconds, from the live queue: the chats waiting for this
     * menu, the operators online, and the recent handle time (finished chats of
     * the last 7 days, else 5 minutes). Null when nobody is online.
     */
    async waitTimes(workspaceId, menuId) {
        const menu = await this.menu(workspaceId, menuId);
        const [row] = await this.db.query(`select
         (select count(*)::int from conversations where workspace_id = $1 and menu_id = $2 and chat_status = 'queued') as queued,
         (select count(*)::int from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as online,
         (select extract(epoch from avg(finished_at - coalesce(assigned_at, created_at)))::float from conversations
           where workspace_id = $1 and finished_at > now() - interval '7 days') as handle`, [workspaceId, menu.id]);
        const handle = row.handle ?? DEFAULT_HANDLE_SECONDS;
        const estimate = row.online > 0 ? Math.round((row.queued / row.online) * handle) : null;
        const channels = menu.channels;
        return {
            chat: channels.includes('chat') ? estimate : null,
            voice_call: channels.includes('voice_call') ? estimate : null,
            queued: row.queued,
            operators_online: row.online,
        };
    }
    /** Changes the workspace's settings (the names are the body schema's; a time zone is checked). */
    async updateSettings(workspaceId, body) {
        if (typeof body.time_zone === 'string') {
            try {
                new Intl.DateTimeFormat('en', { timeZone: body.time_zone });
            }
            catch {
                throw new HttpError(400, 'invalid_request', `body/time_zone "${body.time_zone}" is not an IANA time zone`);
            }
        }
        const json = new Set(['business_hours', 'after_hours_message', 'flags', 'survey_sign_off']);
        const keys = Object.keys(body);
        if (!keys.length)
            return { ok: true };
        await this.db.query(`update workspaces set ${keys.map((k, i) => `${k} = $${i + 2}${json.has(k) ? '::jsonb' : ''}`).join(', ')} where id = $1`, [workspaceId, ...keys.map((k) => (json.has(k) ? JSON.stringify(body[k]) : body[k]))]);
        return { ok: true };
    }
}

/** "2023-05-31 11:45 +0000", the headless SDK's slot format (UTC). */
function formatSlot(date) {
    const iso = date.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)} +0000`;
}
/**
 * Parses a time a visitor sends: ISO 8601 ("2023-05-31T11:45+0000",
 * "2023-05-31T11:45:00Z") or the slot format ("2023-05-31 11:45 +0000").
 * Null when it is not a time.
 */
function parseTime(text) {
    const normal = text.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) ?/, '$1T$2').replace(/ ?([+-]\d{2}):?(\d{2})$/, '$1:$2');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(normal))
        return null;
    const date = new Date(normal);
    return Number.isNaN(date.getTime()) ? null : date;
}
/**
 * Free slots from now on: starts every `stepMinutes`, each of `durationMinutes`
 * inside the opening hours (in the time zone), none overlapping what is taken,
 * none sooner than `leadMinutes` from now. At most `limit`, within `days`.
 */
function freeSlots(options) {
    const { hours, timeZone, stepMinutes, durationMinutes, taken } = options;
    const now = options.now ?? new Date();
    const step = stepMinutes * 60_000;
    const first = Math.ceil((now.getTime() + (options.leadMinutes ?? 15) * 60_000) / step) * step;
    const last = now.getTime() + (options.days ?? 7) * 86_400_000;
    const out = [];
    for (let t = first; t < last && out.length < (options.limit ?? 200); t += step) {
        const start = new Date(t);
        const end = new Date(t + durationMinutes * 60_000);
        // Open at the start and through the last minute of the slot.
        if (!isOpen(hours, timeZone, start) || !isOpen(hours, timeZone, new Date(end.getTime() - 60_000)))
            continue;
        if (taken.some((b) => start < b.end && b.start < end))
            continue;
        out.push(start);
    }
    return out;
}

/** An event for the workspace's operators (about a conversation, or none). */
const operatorEvent = (workspaceId, conversationId, type, payload) => ({
    workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: conversationId, type, visitor: false, operator: true, payload,
});
/** An event of a conversation for its operators. */
const forOperators = (c, type, payload) => operatorEvent(c.workspace_id, c.id, type, payload);
/** An event of a conversation for its visitor: whoever holds its contact, or its session while it has none (see visitorMaysee). */
const forVisitor = (c, type, payload) => ({
    workspace_id: c.workspace_id, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type, visitor: true, operator: false, payload,
});
/**
 * Whether a stored event is for this visitor, given the contact the session
 * holds NOW (callers pass it fresh: the stream swaps it on `session.switched`).
 * An event of a contact's conversation goes to the sessions holding that
 * contact, never by its old session alone (after a switch from A to B, A's
 * events no longer reach the session); an anonymous conversation's event goes
 * to its session; one with neither (availability) to every visitor.
 */
function visitorMaysee(e, session) {
    if (!e.visitor || e.workspace_id !== session.workspace_id)
        return false;
    if (e.type === 'session.switched')
        return e.session_id === session.id;
    if (e.contact_id !== null)
        return e.contact_id === session.contact_id;
    return e.session_id === null || e.session_id === session.id;
}
/** Whether a stored event is for the operators of this workspace. */
const operatorMaysee = (e, workspaceId) => e.operator && e.workspace_id === workspaceId;
const PAGE = 1000;
class Stream {
    constructor(db, bus) {
        this.db = db;
        this.bus = bus;
    }
    /** Runs `fn` in a transaction; the events it emits are stored with it and published after commit. */
    async write(fn) {
        const stored = [];
        const result = await this.db.tx(async (q) => {
            const pending = [];
            const out = await fn(q, (e) => pending.push(e));
            if (pending.length) {
                const ordered = this.bus.inTransaction;
                await ordered?.lock(q, pending.map((e) => e.workspace_id));
                // One planned statement for all of them, in the order emitted (migration 011: stream_append).
                const rows = await q.query('select * from stream_append($1::jsonb)', [JSON.stringify(pending)]);
                stored.push(...rows.sort((a, b) => Number(a.id) - Number(b.id)));
                await ordered?.notify(q, stored);
            }
            return out;
        });
        if (!this.bus.inTransaction)
            for (const e of stored)
                await this.bus.publish(e);
        return result;
    }
    /** Stores and publishes events that need no other write. */
    async emit(...events) {
        await this.write(async (_q, emit) => events.forEach(emit));
    }
    /** The newest event id of the workspace: where a new stream starts. */
    async cursor(workspaceId) {
        const [row] = await this.db.query('select coalesce(max(id), 0)::int as id from stream_events where workspace_id = $1', [workspaceId]);
        return row.id;
    }
    /**
     * What a visitor's stream sends: events addressed to whom the session holds NOW, checked at every
     * delivery. The contact is read afresh (`currentContact`) once the stream listens, not from the cached
     * look-up, and a `session.switched` of this session (identify) swaps it in place, in event order, so
     * that nothing addressed to the previous contact goes out after the switch, live or from the backlog.
     * The client hears the switch too. `matches` holds that state: it is asked in delivery order.
     */
    visitorFeed(who, currentContact) {
        return {
            backlog: async (from) => {
                who.contact_id = await currentContact();
                // Past switches are not replayed into the filter: the backlog is for whom the session holds now.
                return this.visitorBacklog({ ...who }, from);
            },
            matches: (e) => {
                const ok = visitorMaysee(e, who);
                if (ok && e.type === 'session.switched')
                    who.contact_id = e.contact_id;
                return ok;
            },
        };
    }
    /** What an operator's stream sends: the workspace's operator events. */
    operatorFeed(workspaceId) {
        return {
            backlog: (from) => this.operatorBacklog(workspaceId, from),
            matches: (e) => operatorMaysee(e, workspaceId),
        };
    }
    /** Stored events after `after` that this visitor may see (by `visitorMaysee`), oldest first, at most `limit`. */
    visitorBacklog(who, after, limit = PAGE) {
        return this.#backlog(who.workspace_id, 'visitor', (e) => visitorMaysee(e, who), after, limit);
    }
    /** Stored events after `after` for the workspace's operators, oldest first. */
    operatorBacklog(workspaceId, after, limit = PAGE) {
        return this.#backlog(workspaceId, 'operator', (e) => operatorMaysee(e, workspaceId), after, limit);
    }
    /** Pages through the audience's stored events, keeping those the rule lets through. */
    async #backlog(workspaceId, audience, may, after, limit) {
        const out = [];
        for (let from = after;;) {
            const rows = await this.db.query(`select * from stream_events where workspace_id = $1 and id > $2 and ${audience} order by id limit $3`, [workspaceId, from, PAGE]);
            for (const e of rows) {
                if (!may(e))
                    continue;
                out.push(e);
                if (out.length >= limit)
                    return out;
            }
            if (rows.length < PAGE)
                return out;
            from = rows.at(-1).id;
        }
    }
}

/** Meetings: the types operators offer, their free slots, and visitors' bookings. */
class Bookings {
    constructor(stream, conversations, messages, company) {
        this.stream = stream;
        this.conversations = conversations;
        this.messages = messages;
        this.company = company;
    }
    get db() {
        return this.stream.db;
    }
    /** Whether visitors can book a meeting here (the messenger's home offers it). */
    async offered(workspaceId) {
        const [row] = await this.db.query('select exists(select 1 from meeting_types where workspace_id = $1) as offered', [workspaceId]);
        return row.offered;
    }
    async types(workspaceId, lang) {
        const rows = await this.db.query('select * from meeting_types where workspace_id = $1 order by position, id', [workspaceId]);
        return rows.map((m) => ({ id: Number(m.id), name: pick(m.name, lang) ?? String(m.id), duration_minutes: m.duration_minutes }));
    }
    async #meetingType(workspaceId, id) {
        if (!/^\d{1,15}$/.test(String(id)))
            throw new HttpError(400, 'invalid_request', `meeting_type_id must be a number, got ${JSON.stringify(id)}`);
        const [m] = await this.db.query('select * from meeting_types where id = $1 and workspace_id = $2', [Number(id), workspaceId]);
        if (!m) {
            const [{ n }] = (await this.db.query('select count(*)::int as n from meeting_types where workspace_id = $1', [workspaceId]));
            throw new HttpError(404, n ? 'unknown_meeting_type' : 'no_meeting_types', n ? `Meeting type ${id} was not found` : 'This workspace has no meeting type to book; add one first');
        }
        return m;
    }
    async slots(workspaceId, meetingTypeId) {
        const m = await this.#meetingType(workspaceId, meetingTypeId);
        const w = await this.company.workspace(workspaceId);
        const now = this.company.now();
        const taken = await this.db.query(`select starts_at, ends_at from bookings where workspace_id = $1 and status = 'confirmed' and ends_at > $2`, [workspaceId, now]);
        return freeSlots({
            now,
            hours: (m.availability ?? w.business_hours),
            timeZone: w.time_zone,
            stepMinutes: Math.min(w.slot_minutes, m.duration_minutes),
            durationMinutes: m.duration_minutes,
            taken: taken.map((b) => ({ start: new Date(b.starts_at), end: new Date(b.ends_at) })),
            limit: 100,
        });
    }
    /**
     * Books a slot; two visitors racing for one: the first wins (bookings of a
     * workspace are serialised by an advisory lock), the other is told and offered
     * the next free slots.
     */
    async book(session, input) {
        if (!EMAIL.test(input.email))
            throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
        const start = parseTime(input.starts_at);
        if (!start)
            throw new HttpError(400, 'invalid_request', `starts_at is not a time: ${JSON.stringify(input.starts_at)}`);
        if (start.getTime() <= this.company.now().getTime())
            throw new HttpError(400, 'scheduled_in_past', `starts_at ${input.starts_at} is in the past`);
        const m = await this.#meetingType(session.workspace_id, input.meeting_type_id);
        const end = new Date(start.getTime() + m.duration_minutes * 60_000);
        const name = pick(m.name, 'en') ?? 'Meeting';
        const taken = async () => {
            const next = (await this.slots(session.workspace_id, m.id)).filter((d) => d.getTime() !== start.getTime()).slice(0, 5).map(formatSlot);
            throw new HttpError(409, 'slot_taken', `${formatSlot(start)} is no longer free; the next free slots: ${next.join(', ')}`, { next_slots: next });
        };
        if (!(await this.slots(session.workspace_id, m.id)).some((d) => d.getTime() === start.getTime()))
            await taken();
        const booking = await this.stream.write(async (q, emit) => {
            // Bookings of a workspace one at a time: of two visitors racing for a slot, the second sees the first's booking.
            await q.query('select pg_advisory_xact_lock(hashtext($1))', [`bookings:${session.workspace_id}`]);
            const [clash] = await q.query(`select 1 from bookings where workspace_id = $1 and status = 'confirmed' and starts_at < $3 and $2 < ends_at`, [session.workspace_id, start, end]);
            if (clash)
                return null;
            const conversation = await this.conversations.current(session, q);
            const [row] = await q.query(`insert into bookings (id, workspace_id, meeting_type_id, session_id, conversation_id, name, email, starts_at, ends_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`, [newId('bkg'), session.workspace_id, m.id, session.id, conversation?.id ?? null, input.name, input.email, start, end]);
            emit(operatorEvent(session.workspace_id, conversation?.id ?? null, 'booking.created', { booking: { id: row.id, starts_at: start.toISOString(), name: input.name } }));
            return { row: row, conversation };
        });
        if (!booking)
            return taken();
        // Confirmed in the conversation, as a system message the visitor and the operators see.
        if (booking.conversation) {
            await this.messages.system(booking.conversation, `Booked: ${name} on ${formatSlot(start)} for ${input.name} <${input.email}>`, { booking_id: booking.row.id });
        }
        return { id: booking.row.id, meeting_type_id: Number(m.id), starts_at: start.toISOString(), ends_at: end.toISOString(), name: input.name, email: input.email, status: 'confirmed' };
    }
    async list(workspaceId) {
        return this.db.query(`select b.id, b.meeting_type_id::int, b.name, b.email, b.status, b.conversation_id,
         to_char(b.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as starts_at
       from bookings b where b.workspace_id = $1 order by b.starts_at`, [workspaceId]);
    }
    async createType(workspaceId, b) {
        const [row] = await this.db.query('insert into meeting_types (workspace_id, name, duration_minutes, availability, position) values ($1, $2, $3, $4, $5) returning id', [
            workspaceId, JSON.stringify(b.name), b.duration_minutes, b.availability ? JSON.stringify(b.availability) : null, b.position ?? 0,
        ]);
        return row;
    }
}

const callJson = (c) => ({
    id: c.id,
    status: c.status,
    menu_id: c.menu_id === null ? null : Number(c.menu_id),
    lang: c.lang,
    phone_number: c.phone_number,
    scheduled_at: c.scheduled_at ? formatSlot(new Date(c.scheduled_at)) : null,
    recording_permission: c.recording_permission,
    created_at: new Date(c.created_at).toISOString(),
});
/** Calls and callbacks: free slots of a topic with the voice channel, the visitor's call, the operators' queue. */
class Calls {
    constructor(db, company) {
        this.db = db;
        this.company = company;
    }
    /** Free callback slots of a menu with the voice channel, in the SDK's format. */
    async timeSlots(workspaceId, menuId) {
        const menu = await this.company.menu(workspaceId, menuId);
        if (!menu.channels.includes('voice_call')) {
            throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls (channels: ${menu.channels.join(', ')})`);
        }
        return (await this.#callSlots(workspaceId)).map(formatSlot);
    }
    async #callSlots(workspaceId) {
        const w = await this.company.workspace(workspaceId);
        const now = this.company.now();
        const taken = await this.db.query('select scheduled_at from calls where workspace_id = $1 and status = $2 and scheduled_at > $3', [workspaceId, 'scheduled', now]);
        return freeSlots({
            now,
            hours: w.business_hours,
            timeZone: w.time_zone,
            stepMinutes: w.slot_minutes,
            durationMinutes: w.slot_minutes,
            taken: taken.map((t) => ({ start: new Date(t.scheduled_at), end: new Date(new Date(t.scheduled_at).getTime() + w.slot_minutes * 60_000) })),
        });
    }
    async create(session, input) {
        if (!E164.test(input.phone_number)) {
            throw new HttpError(400, 'invalid_phone_number', `phone_number must be in E.164 form, such as +14155550123 (a +, the country code, then the number), got ${JSON.stringify(input.phone_number)}`);
        }
        if (input.email !== undefined && !EMAIL.test(input.email))
            throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
        const menu = await this.company.menu(session.workspace_id, input.menu_id);
        if (!menu.channels.includes('voice_call'))
            throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls`);
        let scheduled = null;
        if (input.scheduled_at !== undefined) {
            scheduled = parseTime(input.scheduled_at);
            if (!scheduled)
                throw new HttpError(400, 'invalid_request', `scheduled_at is not a time: ${JSON.stringify(input.scheduled_at)} (use "2023-05-31T11:45+0000" or a slot from getTimeSlots)`);
            if (scheduled.getTime() <= this.company.now().getTime())
                throw new HttpError(400, 'scheduled_in_past', `scheduled_at ${input.scheduled_at} is in the past`);
        }
        else {
            const hours = await this.company.afterHours(session.workspace_id, input.lang);
            if (!hours.open)
                throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours; schedule the call instead');
        }
        if (scheduled) {
            // Hours and what is taken, checked first; the clash check below repeats the second under the lock.
            const free = await this.#callSlots(session.workspace_id);
            if (!free.some((d) => d.getTime() === scheduled.getTime()))
                await this.#refuseCallSlot(session.workspace_id, scheduled, free);
        }
        const row = await this.db.tx(async (q) => {
            await q.query('select pg_advisory_xact_lock(hashtext($1))', [`calls:${session.workspace_id}`]);
            if (scheduled) {
                const [clash] = await q.query(`select 1 from calls where workspace_id = $1 and status = 'scheduled' and scheduled_at = $2`, [session.workspace_id, scheduled]);
                if (clash)
                    return null;
            }
            const [inserted] = await q.query(`insert into calls (id, workspace_id, session_id, menu_id, lang, phone_number, scheduled_at, ticket_id, email, recording_permission, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`, [newId('call'), session.workspace_id, session.id, menu.id, input.lang, input.phone_number, scheduled, input.ticket_id ?? null, input.email ?? null, input.recording_permission ?? false, scheduled ? 'scheduled' : 'queued']);
            return inserted;
        });
        if (!row)
            return this.#refuseCallSlot(session.workspace_id, scheduled, await this.#callSlots(session.workspace_id));
        return callJson(row);
    }
    async #refuseCallSlot(workspaceId, when, free) {
        const w = await this.company.workspace(workspaceId);
        const open = isOpen(w.business_hours, w.time_zone, when);
        const next = free.slice(0, 3).map(formatSlot);
        throw new HttpError(409, open ? 'slot_unavailable' : 'outside_business_hours', `${formatSlot(when)} is ${open ? 'taken or not a slot' : 'outside business hours'}; the next free slots: ${next.join(', ')}`, { next_slots: next });
    }
    async get(session, id) {
        const [c] = await this.db.query('select * from calls where id = $1 and workspace_id = $2 and session_id = $3', [id, session.workspace_id, session.id]);
        if (!c)
            throw notFound(`Call ${id}`);
        return callJson(c);
    }
    async cancel(session, id) {
        const c = await this.get(session, id);
        if (!['queued', 'scheduled'].includes(c.status))
            throw new HttpError(409, `call_${c.status}`, `Call ${id} is ${c.status}; only a waiting call can be cancelled`);
        const [row] = await this.db.query(`update calls set status = 'cancelled' where id = $1 returning *`, [id]);
        return callJson(row);
    }
    async queue(workspaceId) {
        const rows = await this.db.query(`select * from calls where workspace_id = $1 and status in ('queued', 'scheduled') order by coalesce(scheduled_at, created_at)`, [workspaceId]);
        return rows.map(callJson);
    }
    async done(workspaceId, id) {
        const [row] = await this.db.query(`update calls set status = 'done', done_at = now() where id = $1 and workspace_id = $2 and status in ('queued', 'scheduled') returning *`, [id, workspaceId]);
        if (!row) {
            const [exists] = await this.db.query('select status from calls where id = $1 and workspace_id = $2', [id, workspaceId]);
            if (!exists)
                throw notFound(`Call ${id}`);
            throw new HttpError(409, `call_${exists.status}`, `Call ${id} is ${exists.status} already`);
        }
        return callJson(row);
    }
}

const chatJson = (c, agent) => ({
    id: c.id,
    status: c.chat_status,
    menu_id: c.menu_id === null ? null : Number(c.menu_id),
    lang: c.lang,
    created_at: new Date(c.created_at).toISOString(),
    assigned_at: c.assigned_at ? new Date(c.assigned_at).toISOString() : null,
    finished_at: c.finished_at ? new Date(c.finished_at).toISOString() : null,
    agent: agent ? { id: agent.id, name: agent.name } : null,
    rating: c.rating ?? null,
});
/** The headless SDK's chat: a conversation with a topic, a language and a state (va_assigned, queued, assigned, finished, dismissed). */
class Chats {
    constructor(stream, conversations, messages, company, content, files) {
        this.stream = stream;
        this.conversations = conversations;
        this.messages = messages;
        this.company = company;
        this.content = content;
        this.files = files;
    }
    async describe(c) {
        const [agent] = c.assignee_id ? await this.stream.db.query('select id, name from agents where id = $1', [c.assignee_id]) : [];
        return chatJson(c, agent ?? null);
    }
    async get(session, id) {
        return this.describe(await this.conversations.ofVisitor(session, id));
    }
    async ongoing(session) {
        const c = await this.conversations.ongoing(session);
        return c ? this.describe(c) : null;
    }
    async create(session, input) {
        const menu = await this.company.menu(session.workspace_id, input.menu_id);
        if (!menu.enabled)
            throw new HttpError(409, 'menu_disabled', `Menu ${menu.id} is not enabled`);
        if (!menu.channels.includes('chat'))
            throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no chat (channels: ${menu.channels.join(', ')})`);
        const hours = await this.company.afterHours(session.workspace_id, input.lang);
        if (!hours.open)
            throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours');
        const ongoing = await this.ongoing(session);
        if (ongoing)
            throw new HttpError(409, 'chat_ongoing', `Chat ${ongoing.id} is still going on; finish or dismiss it first, or resume it`);
        const status = menu.deflection_enabled ? 'va_assigned' : 'queued';
        const c = await this.stream.write((q, emit) => this.conversations.open(q, emit, session, {
            menu_id: menu.id, lang: input.lang, chat_status: status,
            trigger_id: input.trigger_id === undefined ? null : Number(input.trigger_id) || null,
            ticket_id: input.ticket_id ?? null, email: input.email ?? null, cobrowsable: input.cobrowsable ?? false,
            custom_data: input.custom_data ?? {}, fields: input.custom_data ?? {},
        }));
        if (input.greeting)
            await this.says(session, c.id, input.greeting, `greeting-${c.id}`);
        return this.get(session, c.id);
    }
    /** A visitor message in a chat; in a chat the virtual agent holds, it answers from the help articles. */
    async says(session, chatId, content, clientId, fileId) {
        const result = await this.messages.visitor(session, { client_id: clientId, content, conversation_id: chatId, ...(fileId ? { file_id: fileId } : {}) });
        if (result.created && result.chatStatus === 'va_assigned' && !fileId)
            await this.#virtualAgentAnswer(session, chatId, content);
        return result;
    }
    /** A file sent in a chat that is still going on: checked, stored, then posted as the visitor's message. */
    async sendFile(session, chatId, upload) {
        const c = await this.conversations.ofVisitor(session, chatId);
        if (['finished', 'dismissed'].includes(c.chat_status))
            throw new HttpError(409, 'chat_finished', `Chat ${c.id} is ${c.chat_status}`);
        const file = await this.files.store(session, c.id, await upload());
        return this.says(session, c.id, file.name, `file-${file.id}`, file.id);
    }
    /** The messages of a chat the visitor may see. */
    async history(session, chatId) {
        const c = await this.conversations.ofVisitor(session, chatId);
        return this.messages.of(c.id, { after: 0, limit: 5000, internal: false });
    }
    /**
     * The virtual agent answers each question once, in the chat's language: the articles it has not
     * offered yet (as `data.articles`, which the messenger shows as cards) with the way to a person
     * (`data.escalate`). It never says the same thing twice: a second question it has nothing for
     * hands the chat to a person.
     */
    async #virtualAgentAnswer(session, chatId, question) {
        const c = await this.conversations.ofVisitor(session, chatId);
        const menu = c.menu_id ? await this.company.menuById(c.menu_id) : null;
        const threshold = menu?.deflection_threshold ?? 0.05;
        const said = await this.stream.db.query(`select data from messages where conversation_id = $1 and author = 'bot' and data ? 'escalate' order by seq`, [c.id]);
        const offered = new Set(said.flatMap((m) => (m.data?.articles ?? []).map((a) => a.slug)));
        const relevant = (await this.content.search(session.workspace_id, question, c.lang ?? 'en')).filter((a) => a.rank >= threshold);
        const found = relevant.filter((a) => !offered.has(a.slug));
        const words = VA_WORDS[(c.lang ?? 'en').slice(0, 2)] ?? VA_WORDS.en;
        if (found.length) {
            await this.messages.bot(c, words.found, { articles: found.map(({ rank: _r, ...a }) => a), escalate: true }, words.name);
        }
        else if (!said.length || said.at(-1).data?.articles?.length) {
            await this.messages.bot(c, relevant.length ? words.more : words.none, { articles: [], escalate: true }, words.name);
        }
        else {
            // Nothing new to offer twice in a row: a person takes over rather than the same words again.
            await this.messages.bot(c, words.handover, { articles: [], escalate: false }, words.name);
            await this.transition(session, chatId, ['va_assigned'], 'queued', 'escalate');
        }
    }
    /** Moves a chat from one of `from` to `to`; a clear 409 otherwise. */
    async transition(session, chatId, from, to, verb) {
        const c = await this.stream.write(async (q, emit) => {
            const current = await this.conversations.ofVisitor(session, chatId, q);
            if (!from.includes(current.chat_status)) {
                throw new HttpError(409, `chat_${current.chat_status}`, `Cannot ${verb} chat ${chatId}: it is ${current.chat_status.replace('_', ' ')}`);
            }
            const next = to === 'previous' ? (current.previous_chat_status ?? 'queued') : to;
            const [row] = await q.query(`update conversations set chat_status = $2, previous_chat_status = $3, updated_at = now(),
           escalated_at = case when $2 = 'queued' and chat_status = 'va_assigned' then now() else escalated_at end,
           finished_at = case when $2 = 'finished' then now() else finished_at end,
           status = case when $2 in ('finished', 'dismissed') then 'closed' else 'open' end
         where id = $1 returning *`, [current.id, next, current.chat_status]);
            const r = row;
            emit(forVisitor(r, 'chat.updated', { chat_id: r.id, status: next }));
            emit(forOperators(r, 'conversation.updated', { conversation: { id: r.id, status: r.status, chat_status: next, assignee_id: r.assignee_id } }));
            if (next === 'finished' && r.assignee_id)
                emit(forVisitor(r, 'chat.member_left', { chat_id: r.id, member: { id: r.assignee_id, type: 'agent' } }));
            return r;
        });
        return this.describe(c);
    }
    async deflection(session, chatId) {
        const c = await this.conversations.ofVisitor(session, chatId);
        if (!c.menu_id)
            return null;
        const m = await this.company.menuById(c.menu_id);
        if (!m)
            return null;
        return { enabled: m.deflection_enabled, threshold: m.deflection_threshold, keep_waiting: m.keep_waiting };
    }
}
/** What the virtual agent says, in the languages the messenger ships. */
const VA_WORDS = {
    en: {
        name: 'Virtual agent',
        found: 'These articles may answer your question.',
        none: 'I could not find an article about that. Ask in other words, or talk to a person.',
        more: 'I have no other article about that. Ask in other words, or talk to a person.',
        handover: 'I will pass you to a person. They will answer here.',
    },
    fr: {
        name: 'Agent virtuel',
        found: 'Ces articles répondent peut-être à votre question.',
        none: "Je n'ai pas trouvé d'article à ce sujet. Reformulez votre question, ou parlez à une personne.",
        more: "Je n'ai pas d'autre article à ce sujet. Reformulez votre question, ou parlez à une personne.",
        handover: 'Je vous passe à une personne. Elle vous répondra ici.',
    },
    es: {
        name: 'Agente virtual',
        found: 'Estos artículos pueden responder a tu pregunta.',
        none: 'No encontré ningún artículo sobre eso. Pregúntalo de otra forma o habla con una persona.',
        more: 'No tengo otro artículo sobre eso. Pregúntalo de otra forma o habla con una persona.',
        handover: 'Te paso con una persona. Te responderá aquí.',
    },
    de: {
        name: 'Virtueller Assistent',
        found: 'Diese Artikel beantworten vielleicht Ihre Frage.',
        none: 'Dazu habe ich keinen Artikel gefunden. Fragen Sie mit anderen Worten oder sprechen Sie mit einer Person.',
        more: 'Dazu habe ich keinen weiteren Artikel. Fragen Sie mit anderen Worten oder sprechen Sie mit einer Person.',
        handover: 'Ich verbinde Sie mit einer Person. Sie antwortet Ihnen hier.',
    },
    nl: {
        name: 'Virtuele assistent',
        found: 'Deze artikelen beantwoorden misschien je vraag.',
        none: 'Ik vond daar geen artikel over. Stel je vraag anders, of praat met een persoon.',
        more: 'Ik heb daar geen ander artikel over. Stel je vraag anders, of praat met een persoon.',
        handover: 'Ik verbind je door met een persoon. Die antwoordt je hier.',
    },
    ar: {
        name: 'المساعد الافتراضي',
        found: 'قد تجيب هذه المقالات عن سؤالك.',
        none: 'لم أجد مقالة عن ذلك. اسأل بكلمات أخرى، أو تحدّث إلى شخص.',
        more: 'ليست لدي مقالة أخرى عن ذلك. اسأل بكلمات أخرى، أو تحدّث إلى شخص.',
        handover: 'سأحوّلك إلى شخص. سيجيبك هنا.',
    },
};

const CODE_MINUTES = 10;
/** Co-browsing: a code the visitor reads out, the recording of their page, and the operator watching it. */
class Cobrowse {
    constructor(stream, conversations, company) {
        this.stream = stream;
        this.conversations = conversations;
        this.company = company;
    }
    get db() {
        return this.stream.db;
    }
    /** A six-digit code, valid ten minutes, that the visitor reads to an operator. */
    async code(session) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const expires = new Date(this.company.now().getTime() + CODE_MINUTES * 60_000);
        const conversation = await this.conversations.current(session);
        const [row] = await this.db.query(`insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, code, code_expires_at, status) values ($1, $2, $3, $4, $5, $6, 'waiting') returning id`, [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null, code, expires]);
        return { id: row.id, code, expires_at: expires.toISOString() };
    }
    /** The visitor agreed: recording starts (on the session of the code, or a new one). */
    async start(session, id) {
        const conversation = await this.conversations.current(session);
        const row = await this.stream.write(async (q, emit) => {
            let [c] = id ? await q.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]) : [];
            if (id && !c)
                throw notFound(`Co-browsing session ${id}`);
            if (c) {
                [c] = await q.query(`update cobrowse_sessions set status = 'live', started_at = now() where id = $1 returning *`, [c.id]);
            }
            else {
                [c] = await q.query(`insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, status, started_at) values ($1, $2, $3, $4, 'live', now()) returning *`, [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null]);
            }
            emit(operatorEvent(session.workspace_id, c.conversation_id, 'cobrowse.started', { cobrowse: { id: c.id, code: c.code } }));
            return c;
        });
        return { id: row.id, status: 'live' };
    }
    async #own(session, id) {
        const [c] = await this.db.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]);
        if (!c)
            throw notFound(`Co-browsing session ${id}`);
        return c;
    }
    async record(session, id, events) {
        const c = await this.#own(session, id);
        if (c.status !== 'live')
            throw new HttpError(409, `cobrowse_${c.status}`, `Co-browsing session ${id} is ${c.status}`);
        await this.stream.write(async (q, emit) => {
            const [last] = await q.query(`insert into cobrowse_events (cobrowse_id, payload) select $1, value from jsonb_array_elements($2::jsonb) returning id`, [id, JSON.stringify(events)]).then((rows) => rows.slice(-1));
            emit(operatorEvent(session.workspace_id, c.conversation_id, 'cobrowse.events', { cobrowse_id: id, last: Number(last?.id ?? 0) }));
        });
        return { stored: events.length };
    }
    async stop(session, id) {
        const c = await this.#own(session, id);
        await this.stream.write(async (q, emit) => {
            await q.query(`update cobrowse_sessions set status = 'ended', ended_at = now() where id = $1`, [c.id]);
            emit(operatorEvent(session.workspace_id, c.conversation_id, 'cobrowse.ended', { cobrowse_id: c.id }));
        });
        return { id: c.id, status: 'ended' };
    }
    /** An operator finds a session by the code the visitor read out (while valid) or by conversation. */
    async find(workspaceId, by) {
        const [c] = by.code
            ? await this.db.query('select * from cobrowse_sessions where workspace_id = $1 and code = $2 order by created_at desc limit 1', [workspaceId, by.code])
            : await this.db.query(`select * from cobrowse_sessions where workspace_id = $1 and conversation_id = $2 and status <> 'ended' order by created_at desc limit 1`, [workspaceId, by.conversation_id]);
        if (!c)
            throw notFound(by.code ? `Co-browsing code ${by.code}` : `A co-browsing session of conversation ${by.conversation_id}`);
        if (by.code && new Date(c.code_expires_at).getTime() < this.company.now().getTime() && c.status === 'waiting') {
            throw new HttpError(410, 'code_expired', `Code ${by.code} has expired (codes are valid ${CODE_MINUTES} minutes); ask the visitor for a new one`);
        }
        return { id: c.id, status: c.status, conversation_id: c.conversation_id, started_at: c.started_at ? new Date(c.started_at).toISOString() : null };
    }
    async events(workspaceId, id, after) {
        const [c] = await this.db.query('select id, status from cobrowse_sessions where id = $1 and workspace_id = $2', [id, workspaceId]);
        if (!c)
            throw notFound(`Co-browsing session ${id}`);
        const rows = await this.db.query('select id, payload from cobrowse_events where cobrowse_id = $1 and id > $2 order by id limit 2000', [id, after]);
        return { status: c.status, events: rows.map((r) => r.payload), last: rows.length ? Number(rows.at(-1).id) : after };
    }
}

/** What visitors read: the help articles (listed, searched, opened) and the proactive trigger that fits their page. */
class Content {
    constructor(db) {
        this.db = db;
    }
    /** Full-text search over the workspace's articles in the chat's language (PostgreSQL `tsvector`). */
    async search(workspaceId, text, lang, limit = 3) {
        const config = { en: 'english', fr: 'french', es: 'spanish', de: 'german', nl: 'dutch' }[lang.split('-')[0]] ?? 'simple';
        return this.db.query(`with q as (select nullif(replace(plainto_tsquery($3::regconfig, $2)::text, ' & ', ' | '), '')::tsquery as q)
       select a.title, a.slug, a.locale, left(a.body, 160) as excerpt, ts_rank(a.search, q.q) as rank
         from articles a, q
        where a.workspace_id = $1 and q.q is not null and a.search @@ q.q and (a.locale = $4 or a.locale = split_part($4, '-', 1))
        order by rank desc limit $5`, [workspaceId, text, config, lang, limit]);
    }
    /** The articles of a language (or its base language), by title. */
    async articles(workspaceId, locale) {
        return this.db.query(`select locale, slug, title, left(body, 160) as excerpt from articles where workspace_id = $1 and (locale = $2 or locale = split_part($2, '-', 1)) order by title limit 100`, [workspaceId, locale]);
    }
    /** Searched when there is a query, else listed. */
    async findArticles(workspaceId, q, locale) {
        return q?.trim() ? this.search(workspaceId, q, locale, 10) : this.articles(workspaceId, locale);
    }
    async article(workspaceId, locale, slug) {
        const [row] = await this.db.query('select locale, slug, title, body from articles where workspace_id = $1 and locale = $2 and slug = $3', [workspaceId, locale, slug]);
        if (!row)
            throw notFound(`Article ${locale}/${slug}`);
        return row;
    }
    /**
     * "Was this helpful?": the session's answer on an article of its workspace,
     * replacing its earlier one (a comment not sent is cleared). 404 for an unknown article.
     */
    async rateArticle(session, locale, slug, helpful, comment) {
        const [row] = await this.db.query(`insert into article_feedback (workspace_id, article_id, session_id, helpful, comment)
       select a.workspace_id, a.id, $4, $5, $6 from articles a where a.workspace_id = $1 and a.locale = $2 and a.slug = $3
       on conflict (article_id, session_id) do update set helpful = excluded.helpful, comment = excluded.comment, updated_at = now()
       returning helpful, comment, updated_at`, [session.workspace_id, locale, slug, session.id, helpful, comment?.trim() || null]);
        if (!row)
            throw notFound(`Article ${locale}/${slug}`);
        return { locale, slug, helpful: row.helpful, comment: row.comment, updated_at: new Date(row.updated_at).toISOString() };
    }
    /** The first enabled trigger whose page pattern, seconds on page and visit count match. */
    async trigger(workspaceId, page, lang) {
        const rows = await this.db.query('select * from triggers where workspace_id = $1 and enabled order by position, id', [workspaceId]);
        const match = rows.find((t) => {
            const re = new RegExp(`^${t.url_pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
            return re.test(page.url) && page.seconds >= t.min_seconds_on_page && page.visits >= t.min_visits;
        });
        return match ? { id: String(match.id), name: match.name, message: pick(match.message, lang) ?? '', delay_seconds: match.min_seconds_on_page } : null;
    }
}

/** A rating needs [min, max] (whole numbers, min < max); a choice its choices; a text nothing. */
function checkQuestion(q) {
    const answers = q.valid_answers;
    if (q.type === 'rating' && !(Array.isArray(answers) && answers.length === 2 && answers.every(Number.isInteger) && answers[0] < answers[1])) {
        throw new HttpError(400, 'invalid_request', 'A rating question needs valid_answers [min, max], two whole numbers');
    }
    if (q.type === 'choice' && !Array.isArray(answers))
        throw new HttpError(400, 'invalid_request', 'A choice question needs valid_answers, the choices');
}
const duplicate = (what) => (e) => {
    if (e.code === '23505')
        throw new HttpError(409, 'duplicate_key', what);
    throw e;
};
const Noun = (noun) => `${noun[0].toUpperCase()}${noun.slice(1)}`;
class ContentEditor {
    constructor(db, company) {
        this.db = db;
        this.company = company;
    }
    /** Sets the sent columns of one of the workspace's rows; 404 when it is not there. */
    async #update(table, noun, workspaceId, id, body, json) {
        const keys = Object.keys(body);
        const [row] = await this.db.query(`update ${table} set ${keys.map((k, i) => `${k} = $${i + 3}`).join(', ')} where workspace_id = $1 and id = $2 returning *`, [workspaceId, id, ...keys.map((k) => (json.includes(k) && body[k] !== null ? JSON.stringify(body[k]) : body[k]))]);
        if (!row)
            throw notFound(`${Noun(noun)} ${id}`);
        return row;
    }
    async #remove(table, noun, workspaceId, id) {
        const rows = await this.db.query(`delete from ${table} where workspace_id = $1 and id = $2 returning id`, [workspaceId, id]);
        if (!rows.length)
            throw notFound(`${Noun(noun)} ${id}`);
        return { deleted: true };
    }
    // ---- topics (menus) ----
    menus(workspaceId) {
        return this.db.query('select * from menus where workspace_id = $1 order by position, id', [workspaceId]);
    }
    async createMenu(workspaceId, b) {
        if (b.parent_id)
            await this.company.menu(workspaceId, b.parent_id);
        const [row] = await this.db
            .query(`insert into menus (workspace_id, parent_id, position, key, names, enabled, channels, deflection_enabled, deflection_threshold, keep_waiting)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`, [workspaceId, b.parent_id ?? null, b.position ?? 0, b.key ?? null, JSON.stringify(b.names), b.enabled ?? true, b.channels ?? ['chat'], b.deflection_enabled ?? false, b.deflection_threshold ?? 0.05, b.keep_waiting ?? true])
            .catch(duplicate(`Another menu has the key "${b.key}"`));
        return row;
    }
    async updateMenu(workspaceId, id, b) {
        if (b.parent_id) {
            await this.company.menu(workspaceId, b.parent_id);
            // A topic cannot move under itself or one of its own subtopics.
            const [loop] = await this.db.query(`with recursive up as (select id, parent_id from menus where id = $1
           union all select m.id, m.parent_id from menus m join up on m.id = up.parent_id)
         select 1 from up where id = $2 limit 1`, [b.parent_id, id]);
            if (loop)
                throw new HttpError(400, 'invalid_request', `Menu ${b.parent_id} is menu ${id} or one of its subtopics: it cannot be its parent`);
        }
        return this.#update('menus', 'menu', workspaceId, id, b, ['names']).catch(duplicate(`Another menu has the key "${b.key}"`));
    }
    /** Its subtopics go with it; conversations and tickets keep their text and lose the link. */
    deleteMenu(workspaceId, id) {
        return this.#remove('menus', 'menu', workspaceId, id);
    }
    // ---- help articles ----
    /** With the visitors' "Was this helpful?" answers counted. */
    articles(workspaceId) {
        return this.db.query(`select a.id, a.locale, a.slug, a.title, a.body,
              count(f.helpful) filter (where f.helpful)::int as helpful, count(f.helpful) filter (where not f.helpful)::int as not_helpful
         from articles a left join article_feedback f on f.article_id = a.id
        where a.workspace_id = $1 group by a.id order by a.locale, a.title`, [workspaceId]);
    }
    /** An article's latest answers that came with a comment, newest first. */
    async articleFeedback(workspaceId, id) {
        const [article] = await this.db.query('select id from articles where workspace_id = $1 and id = $2', [workspaceId, id]);
        if (!article)
            throw notFound(`Article ${id}`);
        return this.db.query(`select helpful, comment, updated_at from article_feedback where article_id = $1 and comment is not null order by updated_at desc limit 50`, [id]);
    }
    /** Creates an article, or replaces the one with that language and slug. */
    async saveArticle(workspaceId, b) {
        const [row] = await this.db.query(`insert into articles (workspace_id, locale, slug, title, body) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, locale, slug) do update set title = excluded.title, body = excluded.body returning id, locale, slug, title`, [workspaceId, b.locale, b.slug, b.title, b.body]);
        return row;
    }
    updateArticle(workspaceId, id, b) {
        return this.#update('articles', 'article', workspaceId, id, b, []).catch(duplicate(`Another article has the slug "${b.slug}" in that language`));
    }
    deleteArticle(workspaceId, id) {
        return this.#remove('articles', 'article', workspaceId, id);
    }
    // ---- survey questions ----
    questions(workspaceId) {
        return this.db.query('select * from survey_questions where workspace_id = $1 order by position, id', [workspaceId]);
    }
    async createQuestion(workspaceId, b) {
        checkQuestion(b);
        const [row] = await this.db.query('insert into survey_questions (workspace_id, position, type, display_text, valid_answers) values ($1, $2, $3, $4, $5) returning id', [workspaceId, b.position ?? 0, b.type, JSON.stringify(b.display_text), b.type === 'text' ? null : JSON.stringify(b.valid_answers)]);
        return row;
    }
    async updateQuestion(workspaceId, id, body) {
        const b = { ...body };
        const [current] = await this.db.query('select type, valid_answers from survey_questions where workspace_id = $1 and id = $2', [workspaceId, id]);
        if (!current)
            throw notFound(`Survey question ${id}`);
        const merged = { ...current, ...b };
        checkQuestion(merged);
        if (merged.type === 'text')
            b.valid_answers = null;
        return this.#update('survey_questions', 'survey question', workspaceId, id, b, ['display_text', 'valid_answers']);
    }
    /** Deleted; or, when visitors answered it, retired: it leaves the survey, their answers stay. */
    async deleteQuestion(workspaceId, id) {
        const [answered] = await this.db.query('select 1 from survey_answers a join survey_questions q on q.id = a.question_id where q.workspace_id = $1 and q.id = $2 limit 1', [workspaceId, id]);
        if (!answered) {
            await this.#remove('survey_questions', 'survey question', workspaceId, id);
            return { deleted: true, retired: false };
        }
        await this.#update('survey_questions', 'survey question', workspaceId, id, { retired: true }, []);
        return { deleted: false, retired: true };
    }
    // ---- proactive triggers ----
    triggers(workspaceId) {
        return this.db.query('select * from triggers where workspace_id = $1 order by position, id', [workspaceId]);
    }
    async createTrigger(workspaceId, b) {
        const [row] = await this.db.query('insert into triggers (workspace_id, name, url_pattern, min_seconds_on_page, min_visits, message, enabled, position) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id', [workspaceId, b.name, b.url_pattern ?? '*', b.min_seconds_on_page ?? 0, b.min_visits ?? 1, JSON.stringify(b.message), b.enabled ?? true, b.position ?? 0]);
        return row;
    }
    updateTrigger(workspaceId, id, b) {
        return this.#update('triggers', 'trigger', workspaceId, id, b, ['message']);
    }
    deleteTrigger(workspaceId, id) {
        return this.#remove('triggers', 'trigger', workspaceId, id);
    }
}

const JSON_COLUMNS = new Set(['fields', 'custom_data']);
/** Conversations: the one place that opens them, and how visitors and operators reach them. */
class Conversations {
    constructor(stream, sessions) {
        this.stream = stream;
        this.sessions = sessions;
    }
    get db() {
        return this.stream.db;
    }
    /**
     * Opens a conversation for the session (its contact and agent as the session holds them): the SOLE
     * creator of conversations, in the caller's transaction, announced to the operators.
     */
    async open(q, emit, session, attrs = {}) {
        const keys = Object.keys(attrs).filter((k) => attrs[k] !== undefined);
        const [c] = await q.query(`insert into conversations (id, workspace_id, session_id, contact_id, agent_id, assignee_id${keys.map((k) => `, ${k}`).join('')})
       values ($1, $2, $3, $4, $5, $5${keys.map((_k, i) => `, $${i + 6}`).join('')}) returning *`, [newId('cnv'), session.workspace_id, session.id, session.contact_id, session.agent_id, ...keys.map((k) => (JSON_COLUMNS.has(k) ? JSON.stringify(attrs[k]) : attrs[k]))]);
        emit(forOperators(c, 'conversation.created', { conversation: { id: c.id, status: c.status, ...(attrs.chat_status ? { chat_status: c.chat_status } : {}) } }));
        return c;
    }
    /**
     * The visitor's current conversation: the newest of its contact (when identified) or of its session.
     * The contact is the one the session holds now (read from its row, not from a cached look-up).
     */
    async current(session, q = this.db) {
        const [row] = await q.query('select * from visitor_current_conversation($1)', [session.id]);
        return row ?? null;
    }
    /** A conversation the visitor may reach, or 404. */
    async ofVisitor(session, id, q = this.db) {
        const [c] = await q.query('select * from visitor_conversations($1) where id = $2', [session.id, id]);
        if (!c)
            throw notFound(`Chat ${id}`);
        return c;
    }
    /** The visitor's chat that is still going on (not finished, dismissed or closed), if any. */
    async ongoing(session) {
        const [c] = await this.db.query(`select * from visitor_conversations($1) where chat_status not in ('finished', 'dismissed') and status <> 'closed' order by created_at desc limit 1`, [session.id]);
        return c ?? null;
    }
    /** A conversation of this workspace, or 404 (another workspace's is as unknown as a missing one). */
    async byId(workspaceId, id, q = this.db) {
        const [row] = await q.query('select * from conversations where id = $1 and workspace_id = $2', [id, workspaceId]);
        if (!row)
            throw notFound(`Conversation ${id}`);
        return row;
    }
    async list(workspaceId, limit) {
        return this.db.query(`select c.id, c.status, c.chat_status, c.menu_id::int as menu_id, c.category, c.assignee_id, c.agent_id,
         to_char(c.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
         to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
         (select count(*)::int from messages m where m.conversation_id = c.id and m.author = 'visitor' and m.seq > c.operator_read_seq) as unread_count,
         (select json_build_object('content', m.content, 'author', m.author, 'internal', m.internal) from messages m where m.conversation_id = c.id order by m.seq desc limit 1) as last_message,
         (select json_build_object('name', k.name, 'email', k.email, 'verified', k.verified, 'email_verified', k.email_verified) from contacts k where k.id = c.contact_id) as contact
       from conversations c where c.workspace_id = $1 order by c.updated_at desc, c.created_at desc limit $2`, [workspaceId, limit]);
    }
    async detail(workspaceId, id) {
        const c = await this.byId(workspaceId, id);
        const contact = await this.sessions.contact(c.contact_id);
        const [session] = await this.db.query('select id, data, segments, page_url from sessions where id = $1', [c.session_id]);
        return {
            id: c.id,
            status: c.status,
            chat_status: c.chat_status,
            menu_id: c.menu_id === null ? null : Number(c.menu_id),
            lang: c.lang,
            rating: c.rating,
            feedback: c.feedback,
            category: c.category,
            variables: c.variables,
            fields: c.fields,
            form_id: c.form_id,
            assignee_id: c.assignee_id,
            agent_id: c.agent_id,
            contact: contact ?? { name: null, email: null, phone: null, company: null, external_id: null, verified: false, email_verified: false, custom_data: {} },
            session: session ?? null,
            tickets: [],
            notifications: c.notifications ?? [],
            created_at: c.created_at.toISOString?.() ?? String(c.created_at),
            updated_at: c.updated_at.toISOString?.() ?? String(c.updated_at),
        };
    }
    /** An operator sets the status or the assignee; the visitor hears a status change. */
    async update(workspaceId, id, patch) {
        return this.stream.write(async (q, emit) => {
            const c = await this.byId(workspaceId, id, q);
            if (patch.assignee_id) {
                const [agent] = await q.query('select id from agents where id = $1 and workspace_id = $2', [patch.assignee_id, workspaceId]);
                if (!agent)
                    throw notFound(`Agent ${patch.assignee_id}`);
            }
            const [row] = await q.query(`update conversations set status = coalesce($2, status), assignee_id = case when $3::boolean then $4 else assignee_id end, updated_at = now()
         where id = $1 returning id, status, assignee_id`, [c.id, patch.status ?? null, 'assignee_id' in patch, patch.assignee_id ?? null]);
            emit(forOperators(c, 'conversation.updated', { conversation: row }));
            if (patch.status && patch.status !== c.status) {
                emit(forVisitor(c, 'conversation.status', { conversation_id: c.id, status: row.status }));
            }
            return row;
        });
    }
}

class CsCommandError extends Error {
    constructor(message) {
        super(message);
        this.code = 'invalid_command';
        this.name = 'CsCommandError';
    }
}
const PREFIX = '>cs ';
const NAME = /^[A-Za-z_][\w.-]{0,63}$/;
const ID = /^[\w-]{1,64}$/;
/** Whether a message is a `>cs` command (and so never a chat bubble). */
const isCsCommand = (text) => text.startsWith(PREFIX) || text.trim() === '>cs';
/** Parses one command; a malformed one throws a CsCommandError that says what is wrong. */
function parseCsCommand(text) {
    if (!isCsCommand(text))
        throw new CsCommandError('A command message starts with ">cs "');
    const body = text.slice(PREFIX.length).trim();
    if (!body)
        throw new CsCommandError('">cs" needs a command: .field value, +FORM_ID, /set, /assign, /notify or @ID text');
    const [head = '', ...rest] = body.split(/\s+/);
    const tail = body.slice(head.length).trim();
    switch (head[0]) {
        case '.': {
            const name = head.slice(1);
            if (!NAME.test(name))
                throw new CsCommandError(`">cs .field value": "${name}" is not a field name`);
            if (!tail)
                throw new CsCommandError(`">cs .${name} value": the value is missing`);
            return { kind: 'field', name, value: tail };
        }
        case '+': {
            const formId = head.slice(1);
            if (!ID.test(formId) || rest.length)
                throw new CsCommandError('">cs +FORM_ID": give one form id and nothing after it');
            return { kind: 'form', formId };
        }
        case '@': {
            const id = head.slice(1);
            if (!ID.test(id))
                throw new CsCommandError(`">cs @ID text": "${id}" is not a user or bot id`);
            if (!tail)
                throw new CsCommandError(`">cs @${id} text": the note is missing`);
            return { kind: 'mention', id, text: tail };
        }
        case '/':
            break;
        default:
            throw new CsCommandError(`Unknown command "${head}": use .field value, +FORM_ID, /set, /assign, /notify or @ID text`);
    }
    switch (head) {
        case '/set': {
            const [target = ''] = rest;
            const value = tail.slice(target.length).trim();
            if (!target)
                throw new CsCommandError('">cs /set NAME VALUE": the name is missing');
            if (!value)
                throw new CsCommandError(`">cs /set ${target} VALUE": the value is missing`);
            if (target === '@category')
                return { kind: 'category', value };
            if (!NAME.test(target))
                throw new CsCommandError(`">cs /set NAME VALUE": "${target}" is not a variable name`);
            return { kind: 'variable', name: target, value };
        }
        case '/assign':
            if (rest.length !== 1 || !ID.test(rest[0]))
                throw new CsCommandError('">cs /assign ID": give one user or bot id');
            return { kind: 'assign', id: rest[0] };
        case '/notify':
            if (rest.length > 1 || (rest.length === 1 && !ID.test(rest[0])))
                throw new CsCommandError('">cs /notify [ID]": give one inbox id, or none for all organisations');
            return { kind: 'notify', id: rest[0] ?? null };
        default:
            throw new CsCommandError(`Unknown command "${head}": use /set, /assign or /notify`);
    }
}

/** Contact profile fields a `>cs .field value` sets; any other name is a field of the active form. */
const PROFILE = new Map([['name', 'name'], ['email', 'email'], ['phone', 'phone'], ['company', 'company'], ['location', 'location'], ['avatar', 'avatar_url'], ['avatar_url', 'avatar_url']]);
/** Applies web1on1 `>cs` commands to the visitor's current conversation (opened when there is none). */
class CsCommands {
    constructor(stream, sessions, conversations, messages) {
        this.stream = stream;
        this.sessions = sessions;
        this.conversations = conversations;
        this.messages = messages;
    }
    parse(text) {
        try {
            return parseCsCommand(text);
        }
        catch (error) {
            if (error instanceof CsCommandError)
                throw new HttpError(400, 'invalid_command', error.message);
            throw error;
        }
    }
    async apply(session, text) {
        const command = this.parse(text);
        const workspace = session.workspace_id;
        return this.stream.write(async (q, emit) => {
            // A command targets the current conversation; as with a first message, one is opened if
            // needed, in the same transaction: a refused command leaves nothing behind.
            let found = await this.conversations.current(session, q);
            if (!found || found.status === 'closed')
                found = await this.conversations.open(q, emit, session);
            const c = found;
            const updated = (what) => emit(forOperators(c, 'conversation.updated', { conversation: { id: c.id, ...what } }));
            switch (command.kind) {
                case 'field': {
                    const column = PROFILE.get(command.name.toLowerCase());
                    if (column) {
                        let contactId = session.contact_id ?? c.contact_id;
                        if (!contactId) {
                            const [contact] = await q.query('insert into contacts (id, workspace_id) values ($1, $2) returning id', [newId('con'), workspace]);
                            contactId = contact.id;
                            await q.query('update sessions set contact_id = $2 where id = $1', [session.id, contactId]);
                            await q.query('update conversations set contact_id = $2 where id = $1', [c.id, contactId]);
                            this.sessions.forget(session.id);
                        }
                        await q.query(`update contacts set ${column} = $2 where id = $1`, [contactId, command.value]);
                        updated({ contact: { [column]: command.value } });
                        return { applied: 'contact_field', field: column, value: command.value };
                    }
                    await q.query(`update conversations set fields = fields || jsonb_build_object($2::text, $3::text), updated_at = now() where id = $1`, [c.id, command.name, command.value]);
                    updated({ fields: { [command.name]: command.value }, form_id: c.form_id });
                    return { applied: 'form_field', field: command.name, value: command.value, form_id: c.form_id };
                }
                case 'form':
                    await q.query('update conversations set form_id = $2, updated_at = now() where id = $1', [c.id, command.formId]);
                    updated({ form_id: command.formId });
                    return { applied: 'form', form_id: command.formId };
                case 'category':
                    await q.query('update conversations set category = $2, updated_at = now() where id = $1', [c.id, command.value]);
                    updated({ category: command.value });
                    return { applied: 'category', value: command.value };
                case 'variable':
                    await q.query(`update conversations set variables = variables || jsonb_build_object($2::text, $3::text), updated_at = now() where id = $1`, [c.id, command.name, command.value]);
                    updated({ variables: { [command.name]: command.value } });
                    return { applied: 'variable', name: command.name, value: command.value };
                case 'assign': {
                    const [agent] = await q.query('select id from agents where id = $1 and workspace_id = $2', [command.id, workspace]);
                    if (!agent)
                        throw notFound(`User or bot ${command.id}`);
                    await q.query('update conversations set assignee_id = $2, updated_at = now() where id = $1', [c.id, command.id]);
                    updated({ assignee_id: command.id });
                    return { applied: 'assign', assignee_id: command.id };
                }
                case 'notify': {
                    const note = { inbox: command.id, at: new Date().toISOString() };
                    await q.query(`update conversations set notifications = notifications || $2::jsonb, updated_at = now() where id = $1`, [c.id, JSON.stringify([note])]);
                    emit(forOperators(c, 'notify', { conversation_id: c.id, inbox: command.id }));
                    return { applied: 'notify', inbox: command.id };
                }
                case 'mention': {
                    // A note for the operators, never shown to the visitor.
                    await this.messages.note(q, emit, c, { author_name: 'Mention', content: `@${command.id} ${command.text}`, data: { mention: command.id } });
                    return { applied: 'mention', id: command.id };
                }
            }
        });
    }
}

/** Mail: transcripts of chats (sent by SMTP, or kept in the outbox) and the email form (an email ticket). */
class Email {
    constructor(stream, conversations, messages, company, files, mailer, mailFrom = 'chat-widget <no-reply@localhost>') {
        this.stream = stream;
        this.conversations = conversations;
        this.messages = messages;
        this.company = company;
        this.files = files;
        this.mailer = mailer;
        this.mailFrom = mailFrom;
    }
    get db() {
        return this.stream.db;
    }
    /** Mails the transcript (SMTP_URL), or keeps it in the outbox that operators read. */
    async transcript(session, chatId, emails) {
        const bad = emails.filter((e) => !EMAIL.test(e));
        if (bad.length)
            throw new HttpError(400, 'invalid_email', `Not an email address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
        const c = await this.conversations.ofVisitor(session, chatId);
        const w = await this.company.workspace(session.workspace_id);
        const messages = await this.messages.of(c.id, { after: 0, limit: 5000, internal: false });
        const body = messages
            .map((m) => `[${m.created_at.slice(0, 16).replace('T', ' ')} UTC] ${m.author === 'visitor' ? 'You' : m.author_name ?? m.author}: ${m.content}`)
            .join('\n');
        const subject = `Your conversation with ${w.name}`;
        let status = 'queued';
        let error = null;
        if (this.mailer) {
            try {
                await this.mailer.sendMail({ from: this.mailFrom, to: emails, subject, text: body });
                status = 'sent';
            }
            catch (e) {
                status = 'failed';
                error = e.message;
            }
        }
        const id = newId('trn');
        await this.db.query('insert into transcripts (id, workspace_id, conversation_id, recipients, subject, body, status, error) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
            id, session.workspace_id, c.id, emails, subject, body, status, error,
        ]);
        if (status === 'failed')
            throw new HttpError(502, 'mail_failed', `The transcript could not be mailed: ${error}`);
        return { id, status };
    }
    async create(session, input) {
        if (!EMAIL.test(input.email))
            throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
        const menu = await this.company.menu(session.workspace_id, input.menu_id);
        for (const id of input.file_ids ?? [])
            await this.files.file(id, { session });
        const id = newId('eml');
        await this.stream.write(async (q, emit) => {
            await q.query('insert into email_tickets (id, workspace_id, session_id, menu_id, lang, name, email, content, file_ids) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
                id, session.workspace_id, session.id, menu.id, input.lang, input.name ?? null, input.email, input.content, input.file_ids ?? [],
            ]);
            emit(operatorEvent(session.workspace_id, null, 'email.created', { email: { id, email: input.email, menu_id: Number(menu.id) } }));
        });
        return { id, status: 'open' };
    }
    /** The email form's tickets, newest first. */
    async list(workspaceId) {
        return this.db.query(`select id, menu_id::int, lang, name, email, content, file_ids, status, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
         from email_tickets where workspace_id = $1 order by created_at desc limit 200`, [workspaceId]);
    }
    /** Transcripts sent or waiting in the outbox, newest first. */
    async transcripts(workspaceId) {
        return this.db.query('select id, conversation_id, recipients, subject, body, status, error from transcripts where workspace_id = $1 order by created_at desc limit 200', [workspaceId]);
    }
}

/** What visitors think: a finished chat's rating and survey, and CSAT/NPS scores. */
class Feedback {
    constructor(db, conversations, company) {
        this.db = db;
        this.conversations = conversations;
        this.company = company;
    }
    async rate(session, chatId, rating, feedback) {
        const c = await this.conversations.ofVisitor(session, chatId);
        if (c.chat_status !== 'finished')
            throw new HttpError(409, 'chat_not_finished', `Chat ${chatId} is ${c.chat_status}; rate it once it is finished`);
        await this.db.query('update conversations set rating = $2, feedback = $3 where id = $1', [c.id, rating, feedback ?? null]);
        return { rating, feedback: feedback ?? null };
    }
    async survey(workspaceId, lang) {
        const w = await this.company.workspace(workspaceId);
        const rows = await this.db.query('select * from survey_questions where workspace_id = $1 and not retired order by position, id', [workspaceId]);
        return {
            sign_off_display_text: pick(w.survey_sign_off, lang) ?? 'Thank you for your feedback!',
            questions: rows.map((q) => ({ id: Number(q.id), type: q.type, display_text: pick(q.display_text, lang) ?? '', ...(q.valid_answers ? { valid_answers: q.valid_answers } : {}) })),
        };
    }
    /** Checks every answer against its question, then stores them all, or none. */
    async answerSurvey(session, chatId, answers) {
        const c = await this.conversations.ofVisitor(session, chatId);
        if (c.chat_status !== 'finished')
            throw new HttpError(409, 'chat_not_finished', `Chat ${chatId} is ${c.chat_status}; answer the survey once it is finished`);
        const questions = new Map((await this.db.query('select * from survey_questions where workspace_id = $1 and not retired', [session.workspace_id])).map((q) => [String(q.id), q]));
        const entries = Object.entries(answers);
        if (!entries.length)
            throw new HttpError(400, 'invalid_request', 'Answer at least one question');
        const checked = entries.map(([id, answer]) => {
            const q = questions.get(id);
            if (!q)
                throw new HttpError(400, 'unknown_question', `Question ${id} is not in this workspace's survey`);
            if (q.type === 'rating') {
                const [min, max] = q.valid_answers;
                if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < min || answer > max) {
                    throw new HttpError(400, 'invalid_answer', `Question ${id} takes a whole number from ${min} to ${max}, got ${JSON.stringify(answer)}`);
                }
            }
            else if (q.type === 'choice') {
                if (!q.valid_answers.includes(answer)) {
                    throw new HttpError(400, 'invalid_answer', `Question ${id} takes one of ${q.valid_answers.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(answer)}`);
                }
            }
            else if (typeof answer !== 'string' || answer.length > 2000) {
                throw new HttpError(400, 'invalid_answer', `Question ${id} takes text of at most 2000 characters`);
            }
            return [id, String(answer)];
        });
        await this.db.tx(async (q) => {
            for (const [id, answer] of checked) {
                await q.query('insert into survey_answers (conversation_id, question_id, answer) values ($1, $2, $3) on conflict (conversation_id, question_id) do update set answer = excluded.answer', [c.id, Number(id), answer]);
            }
        });
        return { answered: checked.length };
    }
    /** A CSAT (1-5) or NPS (0-10) score, of the current conversation or the one named (which must be it). */
    async score(session, body) {
        const [min, max] = body.type === 'csat' ? [1, 5] : [0, 10];
        if (body.score < min || body.score > max) {
            throw new HttpError(400, 'invalid_request', `body/score must be between ${min} and ${max} for a ${body.type.toUpperCase()} survey`);
        }
        let conversationId = null;
        if (body.conversation_id) {
            const current = await this.conversations.current(session);
            if (current?.id !== body.conversation_id)
                throw notFound(`Conversation ${body.conversation_id}`);
            conversationId = current.id;
        }
        else {
            conversationId = (await this.conversations.current(session))?.id ?? null;
        }
        const id = `srv_${sha256(`${session.id}:${Date.now()}:${Math.random()}`).slice(0, 24)}`;
        await this.db.query('insert into survey_responses (id, workspace_id, session_id, conversation_id, kind, score, comment) values ($1, $2, $3, $4, $5, $6, $7)', [id, session.workspace_id, session.id, conversationId, body.type, body.score, body.comment ?? null]);
        return { id, type: body.type, score: body.score };
    }
}

/** Files visitors send: the workspace's rules, storing, and who may download one. */
class Files {
    constructor(db, company) {
        this.db = db;
        this.company = company;
    }
    async rules(workspaceId) {
        const w = await this.company.workspace(workspaceId);
        return { prohibited: w.prohibited_file_types, max_bytes: w.max_file_bytes };
    }
    /** Checks a file against the workspace's rules; the same words as the client's check. */
    async check(workspaceId, name, size) {
        const rules = await this.rules(workspaceId);
        const ext = name.includes('.') ? name.split('.').pop().toLowerCase() : '';
        if (rules.prohibited.includes(ext))
            throw new HttpError(415, 'prohibited_file_type', `Files of type .${ext} are not accepted`);
        if (size > rules.max_bytes)
            throw new HttpError(413, 'file_too_large', `The file is ${(size / 1048576).toFixed(1)} MB; at most ${(rules.max_bytes / 1048576).toFixed(0)} MB is accepted`);
        if (size === 0)
            throw new HttpError(400, 'empty_file', 'The file is empty');
    }
    async store(session, conversationId, file) {
        await this.check(session.workspace_id, file.name, file.bytes.length);
        const id = newId('file');
        await this.db.query('insert into files (id, workspace_id, conversation_id, session_id, name, mime, size, bytes) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
            id, session.workspace_id, conversationId, session.id, file.name.slice(0, 255), file.mime || 'application/octet-stream', file.bytes.length, file.bytes,
        ]);
        return { id, name: file.name, mime: file.mime, size: file.bytes.length };
    }
    /** A file for its own visitor (by session or contact) or for its workspace's operators; 404 for anyone else. */
    async file(id, who) {
        const [f] = await this.db.query(`select f.*, c.session_id as conv_session, c.contact_id as conv_contact from files f left join conversations c on c.id = f.conversation_id where f.id = $1`, [id]);
        const s = who.session;
        const allowed = f && (s
            ? f.workspace_id === s.workspace_id &&
                (f.conv_contact ? f.conv_contact === s.contact_id : f.session_id === s.id || f.conv_session === s.id)
            : f.workspace_id === who.workspaceId);
        if (!allowed)
            throw notFound(`File ${id}`);
        return f;
    }
}

/** Messages of conversations: every author's, the history each side reads, read cursors and typing. */
class Messages {
    constructor(stream, conversations) {
        this.stream = stream;
        this.conversations = conversations;
    }
    get db() {
        return this.stream.db;
    }
    /** Stores a message in the caller's transaction; returns it in the shape of `chat_message_json` (migration 003). */
    async insert(q, c, m) {
        const values = { ...m, ...(m.data !== undefined ? { data: m.data === null ? null : JSON.stringify(m.data) } : {}) };
        const keys = Object.keys(values).filter((k) => values[k] !== undefined);
        const [row] = await q.query(`with ins as (insert into messages (id, workspace_id, conversation_id${keys.map((k) => `, ${k}`).join('')})
         values ($1, $2, $3${keys.map((_k, i) => `, $${i + 4}`).join('')}) returning *)
       select chat_message_json(ins) as m from ins`, [newId('msg'), c.workspace_id, c.id, ...keys.map((k) => values[k])]);
        return row.m;
    }
    /** A message both sides see (bot answers, system confirmations). */
    async #shared(c, m) {
        await this.stream.write(async (q, emit) => {
            const message = await this.insert(q, c, m);
            emit(forOperators(c, 'message', { message }));
            emit(forVisitor(c, 'message', { message }));
        });
    }
    async visitorHistory(session, after, limit) {
        const conversation = await this.conversations.current(session);
        if (!conversation)
            return [];
        return this.of(conversation.id, { after, limit, internal: false });
    }
    /** Messages of a conversation in the shape of `chat_message_json` (migration 003); notes only for operators. */
    async of(conversationId, options) {
        const rows = await this.db.query(`select chat_message_json(m) as m from messages m where m.conversation_id = $1 and m.seq > $2 ${options.internal ? '' : 'and not m.internal'} order by m.seq limit $3`, [conversationId, options.after, options.limit]);
        return rows.map((r) => r.m);
    }
    async operatorHistory(workspaceId, id, after, limit) {
        await this.conversations.byId(workspaceId, id);
        return this.of(id, { after, limit, internal: true });
    }
    async unreadForVisitor(session) {
        const conversation = await this.conversations.current(session);
        if (!conversation)
            return 0;
        const [row] = await this.db.query(`select count(*)::int as n from messages where conversation_id = $1 and not internal and author <> 'visitor' and seq > $2`, [conversation.id, conversation.visitor_read_seq]);
        return row.n;
    }
    /**
     * Stores a visitor message once per client id of the session (a retry gets the stored one back), in
     * the chat named, else the current conversation, opened when there is none or it is over.
     */
    async visitor(session, input) {
        const run = () => this.stream.write(async (q, emit) => {
            // One planned statement (migration 011, visitor_message): the hot path, on PGlite mostly planning time otherwise.
            const write = async (conversationId) => {
                const [row] = await q.query('select visitor_message($1, $2, $3, $4, $5, $6) as r', [
                    session.id, input.client_id, input.content, conversationId, input.file_id ?? null, newId('msg'),
                ]);
                return row.r;
            };
            let r = await write(input.conversation_id ?? null);
            if (r.open) {
                // No conversation going on: the one creator opens it (with the session as it is now), then the message goes in.
                const s = r.session;
                const opened = await this.conversations.open(q, emit, { ...session, contact_id: s.contact_id, agent_id: s.agent_id }, { fields: input.conversation_fields ?? {} });
                r = await write(opened.id);
            }
            if (r.stored)
                return { message: r.stored, created: false, chatStatus: r.chat_status };
            if (r.missing)
                throw new HttpError(404, 'not_found', `Chat ${input.conversation_id} was not found`);
            if (r.finished)
                throw new HttpError(409, 'chat_finished', `Chat ${input.conversation_id} is finished or dismissed; create a new chat`);
            const message = r.message;
            const c = r.conversation;
            emit(forOperators(c, 'message', { message }));
            emit(forVisitor(c, 'message', { message }));
            return { message, created: true, chatStatus: c.chat_status };
        });
        try {
            return await run();
        }
        catch (error) {
            // Two requests raced with one client id: the other stored it; answer with that one.
            if (error.code === '23505')
                return run();
            throw error;
        }
    }
    /** An operator's reply or internal note; the first reply of a person moves a waiting chat to assigned. */
    async operator(workspaceId, conversationId, author, input) {
        return this.stream.write(async (q, emit) => {
            let c = await this.conversations.byId(workspaceId, conversationId, q);
            const internal = input.internal ?? false;
            const message = await this.insert(q, c, { author: 'agent', author_id: author.id, author_name: author.name, content: input.content, internal });
            await q.query('update conversations set updated_at = now(), operator_read_seq = $2 where id = $1', [c.id, message.seq]);
            emit(forOperators(c, 'message', { message }));
            if (internal)
                return message;
            emit(forVisitor(c, 'message', { message }));
            const [agent] = author.id ? await q.query(`select kind = 'person' as person from agents where id = $1`, [author.id]) : [];
            if ((agent?.person ?? true) && ['queued', 'va_assigned'].includes(c.chat_status)) {
                [c] = await q.query(`update conversations set chat_status = 'assigned', assigned_at = now(), assignee_id = coalesce(assignee_id, $2) where id = $1 returning *`, [c.id, author.id]);
                emit(forVisitor(c, 'chat.member_joined', { chat_id: c.id, member: { id: author.id, name: author.name, type: 'agent' } }));
                emit(forVisitor(c, 'chat.updated', { chat_id: c.id, status: c.chat_status }));
                emit(forOperators(c, 'conversation.updated', { conversation: { id: c.id, status: c.status, chat_status: c.chat_status, assignee_id: c.assignee_id } }));
            }
            return message;
        });
    }
    /** A message from the system (a booking confirmed...), seen by the visitor and the operators. */
    async system(conversation, content, data = null) {
        await this.#shared(conversation, { author: 'system', content, data });
    }
    /** The virtual agent's answer in a chat it holds. */
    async bot(conversation, content, data, name = 'Virtual agent') {
        await this.#shared(conversation, { author: 'bot', author_name: name, content, data });
    }
    /** A note for the operators only (a `>cs @mention`), in the caller's transaction. */
    async note(q, emit, c, m) {
        const message = await this.insert(q, c, { author: 'system', internal: true, ...m });
        emit(forOperators(c, 'message', { message }));
    }
    /** Typing indicators: stored like every realtime event (so they fan out across processes), shown for a few seconds. */
    async visitorTyping(session, typing) {
        const conversation = await this.conversations.current(session);
        if (!conversation)
            return false;
        await this.stream.emit(forOperators(conversation, 'typing', { conversation_id: conversation.id, typing, who: 'visitor' }));
        return true;
    }
    async operatorTyping(workspaceId, conversationId, name, typing) {
        const c = await this.conversations.byId(workspaceId, conversationId);
        await this.stream.emit(forVisitor(c, 'typing', { chat_id: c.id, typing, name }));
    }
    async markReadByVisitor(session) {
        const conversation = await this.conversations.current(session);
        if (!conversation)
            return;
        await this.db.query(`update conversations set visitor_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1`, [conversation.id]);
    }
    /** An operator read the conversation: the visitor sees "Seen" under their messages up to the last one. */
    async markReadByOperator(workspaceId, id) {
        const c = await this.conversations.byId(workspaceId, id);
        await this.stream.write(async (q, emit) => {
            const [last] = await q.query(`update conversations set operator_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1
         returning (select id from messages where conversation_id = $1 and author = 'visitor' order by seq desc limit 1) as message_id`, [id]);
            if (last?.message_id)
                emit(forVisitor(c, 'read', { chat_id: c.id, message_id: last.message_id }));
        });
    }
}

/** Whether a person is online to answer; operators coming and going. */
class Presence {
    constructor(stream) {
        this.stream = stream;
    }
    async available(workspaceId, q = this.stream.db) {
        const [row] = await q.query(`select exists(select 1 from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as available`, [workspaceId]);
        return row.available;
    }
    /** The faces on the messenger's home: up to three operators, those online first, then the most recently seen. */
    async team(workspaceId) {
        return this.stream.db.query(`select name, avatar_url from agents where workspace_id = $1 and kind = 'person'
        order by (last_seen_at > now() - interval '90 seconds') is true desc, last_seen_at desc nulls last, name limit 3`, [workspaceId]);
    }
    /** An operator's name or picture, as they set it. */
    async profile(workspaceId, agentId, change) {
        const [row] = await this.stream.db.query(`update agents set name = coalesce($3, name), avatar_url = case when $4 then $5 else avatar_url end
        where id = $1 and workspace_id = $2 returning id, name, avatar_url`, [agentId, workspaceId, change.name ?? null, 'avatar_url' in change, change.avatar_url ?? null]);
        return row;
    }
    /** An operator comes online or goes offline; visitors hear when the workspace's availability changes. */
    async agent(workspaceId, agentId, online) {
        return this.stream.write(async (q, emit) => {
            const before = await this.available(workspaceId, q);
            await q.query(`update agents set last_seen_at = ${online ? 'now()' : 'null'} where id = $1 and workspace_id = $2`, [agentId, workspaceId]);
            const after = await this.available(workspaceId, q);
            if (before !== after) {
                emit({ workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: null, type: 'availability', visitor: true, operator: true, payload: { available: after } });
            }
            return after;
        });
    }
}

const SESSION_CACHE_MS = 5_000;
/** Who calls: widget keys, visitor sessions (by token hash), operator keys; and what a session carries. */
class Sessions {
    /**
     * Session look-ups by token hash, kept a few seconds: every widget request
     * authenticates, and this saves a query on each. A process drops its own
     * entry when the session's identity changes, and every process drops it when
     * the `session.switched` event reaches it through the bus. What decides who
     * sees what reads the session's contact afresh anyway: the current
     * conversation (history, unread), chats by id, message writes, and streams.
     */
    #sessions = new Map();
    constructor(db, bus) {
        this.db = db;
        bus.subscribe((e) => {
            if (e.type === 'session.switched' && e.session_id)
                this.forget(e.session_id);
        });
    }
    async workspaceByPublicKey(key) {
        const [row] = await this.db.query(`select w.*, k.agent_id, a.name as agent_name from widget_keys k join workspaces w on w.id = k.workspace_id
       left join agents a on a.id = k.agent_id where k.key = $1`, [key]);
        if (!row)
            throw new HttpError(401, 'invalid_public_key', 'The widget public key is not known; copy it from the workspace settings');
        const { agent_id, agent_name, ...workspace } = row;
        return { workspace: workspace, agent: agent_id ? { id: agent_id, name: agent_name } : null };
    }
    async byToken(tokenHash) {
        const hit = this.#sessions.get(tokenHash);
        if (hit && Date.now() - hit.at < SESSION_CACHE_MS)
            return hit.value;
        const value = await this.#load(tokenHash);
        if (this.#sessions.size > 10_000)
            this.#sessions.clear();
        this.#sessions.set(tokenHash, { at: Date.now(), value });
        return value;
    }
    /** Forgets cached look-ups of a session (its identity changed). */
    forget(sessionId) {
        for (const [key, entry] of this.#sessions)
            if (entry.value.session.id === sessionId)
                this.#sessions.delete(key);
    }
    async #load(tokenHash) {
        const [row] = await this.db.query(`select s.id, s.workspace_id, s.agent_id, s.contact_id, s.data, s.segments,
              w.name, w.identity_secret, w.require_verification, w.allowed_origins
       from sessions s join workspaces w on w.id = s.workspace_id where s.token_hash = $1`, [tokenHash]);
        if (!row)
            throw new HttpError(401, 'invalid_session', 'The session token is not valid; create a session with POST /api/widget/sessions');
        const session = { id: row.id, workspace_id: row.workspace_id, agent_id: row.agent_id, contact_id: row.contact_id, data: row.data, segments: row.segments };
        const workspace = { id: row.workspace_id, name: row.name, identity_secret: row.identity_secret, require_verification: row.require_verification, allowed_origins: row.allowed_origins };
        return { session, workspace };
    }
    async create(workspace, agentId, tokenHash, info) {
        const id = newId('ses');
        await this.db.query(`insert into sessions (id, workspace_id, agent_id, token_hash, locale, page_url) values ($1, $2, $3, $4, $5, $6)`, [id, workspace.id, agentId, tokenHash, info.locale ?? null, info.page_url ?? null]);
        return { id, workspace_id: workspace.id, agent_id: agentId, contact_id: null, data: {}, segments: [] };
    }
    async touch(sessionId, pageUrl) {
        await this.db.query('update sessions set last_seen_at = now(), page_url = coalesce($2, page_url) where id = $1', [sessionId, pageUrl ?? null]);
    }
    async contact(contactId) {
        if (!contactId)
            return null;
        const [row] = await this.db.query('select * from contacts where id = $1', [contactId]);
        return row ?? null;
    }
    /** The contact the session holds now, read from the database (not the cached look-up). */
    async currentContact(sessionId) {
        const [row] = await this.db.query('select contact_id from sessions where id = $1', [sessionId]);
        return row?.contact_id ?? null;
    }
    /** Visitor data: `data` is merged, `segments` replaced (the Convot reference's session:data and session:segments). */
    async setData(sessionId, data, segments) {
        const [row] = await this.db.query('update sessions set data = data || $2::jsonb, segments = coalesce($3, segments) where id = $1 returning data, segments', [sessionId, JSON.stringify(data ?? {}), segments ?? null]);
        return row;
    }
    /** An analytics event the widget reports (opened, closed...). */
    async track(session, name, data) {
        await this.db.query('insert into widget_events (workspace_id, session_id, name, data) values ($1, $2, $3, $4)', [session.workspace_id, session.id, name, JSON.stringify(data ?? {})]);
    }
    /** The workspace and agent an operator key (by its hash) stands for. */
    async operatorByKey(keyHash) {
        const [row] = await this.db.query(`select k.workspace_id, k.agent_id, a.name as agent_name, a.role from operator_keys k left join agents a on a.id = k.agent_id where k.key_hash = $1`, [keyHash]);
        if (!row)
            throw new HttpError(401, 'invalid_operator_key', 'The operator key is not known');
        return { workspaceId: row.workspace_id, agentId: row.agent_id, agentName: row.agent_name, role: row.role ?? null };
    }
}

/** A 400 that names each field that is wrong, so the messenger can show each error beside its field. */
class FieldErrors extends HttpError {
    constructor(fields) {
        super(400, 'invalid_fields', Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; '));
        this.fields = fields;
    }
}
/** Checks one field's value against its definition; the error text, or null. */
function checkField(field, value) {
    const empty = value === undefined || value === null || value === '' || value === false;
    if (empty)
        return field.required ? 'This field is required' : null;
    switch (field.type) {
        case 'checkbox':
            return typeof value === 'boolean' ? null : 'Expected yes or no';
        case 'number':
            return typeof value === 'number' && Number.isFinite(value) ? null : 'Expected a number';
        case 'select':
            return field.options?.includes(String(value)) ? null : `Choose one of: ${field.options?.join(', ')}`;
        case 'email':
            return typeof value === 'string' && EMAIL.test(value) ? null : 'Expected an email address';
        default:
            if (typeof value !== 'string')
                return 'Expected text';
            if (value.length > (field.max ?? (field.type === 'textarea' ? 10_000 : 500)))
                return `At most ${field.max ?? (field.type === 'textarea' ? 10_000 : 500)} characters`;
            return null;
    }
}
/** Ticket forms (the operators define them) and the tickets visitors send with them. */
class Tickets {
    constructor(stream, conversations) {
        this.stream = stream;
        this.conversations = conversations;
    }
    get db() {
        return this.stream.db;
    }
    async forms(workspaceId, lang) {
        const rows = await this.db.query('select * from ticket_forms where workspace_id = $1 order by position, id', [workspaceId]);
        return rows.map((f) => ({
            key: f.key,
            title: pick(f.title, lang) ?? f.key,
            fields: f.fields.map((x) => ({
                name: x.name,
                label: pick(x.label, lang) ?? x.name,
                type: x.type,
                required: !!x.required,
                ...(x.options ? { options: x.options } : {}),
                ...(x.max ? { max: x.max } : {}),
            })),
        }));
    }
    /** Checks every field, then stores the ticket (linked to the current conversation), or nothing. */
    async create(session, formKey, values) {
        const [form] = await this.db.query('select * from ticket_forms where workspace_id = $1 and key = $2', [session.workspace_id, formKey]);
        if (!form)
            throw new HttpError(404, 'unknown_form', `No ticket form has the key "${formKey}"`);
        const fields = form.fields;
        const errors = {};
        for (const name of Object.keys(values)) {
            if (!fields.some((f) => f.name === name))
                errors[name] = 'This form has no such field';
        }
        for (const f of fields) {
            const error = checkField(f, values[f.name]);
            if (error)
                errors[f.name] = error;
        }
        if (Object.keys(errors).length)
            throw new FieldErrors(errors);
        const conversation = await this.conversations.current(session);
        const id = newId('tkt');
        const clean = Object.fromEntries(fields.filter((f) => values[f.name] !== undefined).map((f) => [f.name, values[f.name]]));
        await this.stream.write(async (q, emit) => {
            await q.query('insert into tickets (id, workspace_id, session_id, contact_id, conversation_id, form_key, fields) values ($1, $2, $3, $4, $5, $6, $7)', [
                id, session.workspace_id, session.id, session.contact_id, conversation?.id ?? null, formKey, JSON.stringify(clean),
            ]);
            emit(operatorEvent(session.workspace_id, conversation?.id ?? null, 'ticket.created', { ticket: { id, form_key: formKey } }));
        });
        return { id, form_key: formKey, status: 'open' };
    }
    async forConversation(conversation) {
        return this.db.query(`select id, form_key, fields, status, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at from tickets
        where workspace_id = $1 and (conversation_id = $2 or session_id = $3 or ($4::text is not null and contact_id = $4)) order by created_at`, [conversation.workspace_id, conversation.id, conversation.session_id, conversation.contact_id]);
    }
    /** The tickets of a conversation's visitor (by conversation, session or contact). */
    async ofConversation(workspaceId, conversationId) {
        return this.forConversation(await this.conversations.byId(workspaceId, conversationId));
    }
    /** The workspace's tickets, newest first. */
    async list(workspaceId) {
        return this.db.query(`select id, form_key, fields, status, conversation_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
         from tickets where workspace_id = $1 order by created_at desc limit 200`, [workspaceId]);
    }
    /** Creates or replaces a form (by key). */
    async saveForm(workspaceId, b) {
        const bad = b.fields.find((f) => f.type === 'select' && !f.options?.length);
        if (bad)
            throw new HttpError(400, 'invalid_request', `Field "${bad.name}" is a select and needs options`);
        await this.db.query(`insert into ticket_forms (workspace_id, key, title, fields, position) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, key) do update set title = excluded.title, fields = excluded.fields, position = excluded.position`, [workspaceId, b.key, JSON.stringify(b.title), JSON.stringify(b.fields), b.position ?? 0]);
        return { key: b.key };
    }
    /** Deletes a form; tickets already sent keep their fields and values. */
    async deleteForm(workspaceId, key) {
        const rows = await this.db.query('delete from ticket_forms where workspace_id = $1 and key = $2 returning key', [workspaceId, key]);
        if (!rows.length)
            throw notFound(`Ticket form "${key}"`);
        return { deleted: true };
    }
}

/** How long a browser or CDN may keep a stable entry file (widget.js, chat-widget.js, ...) before asking again (ETag). */
const ENTRY_MAX_AGE = 300;
/**
 * The headers every file under /dist/ leaves with, so that a page of any origin can load it:
 * module scripts and their chunks are CORS requests, and pages with COEP need CORP.
 * A CDN or static host that serves a copy of dist/ must send the same (README, "Hosting dist/ elsewhere").
 */
function distHeaders(reply, file) {
    reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('x-content-type-options', 'nosniff');
    // Content-hashed chunks never change under their name; the entry files do, at each release.
    const hashed = /[\\/](chunks|lib)[\\/]/.test(file);
    reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : `public, max-age=${ENTRY_MAX_AGE}`);
}
/**
 * Serves the built widget: brotli or gzip as the request's Accept-Encoding allows (files
 * precompressed by the build, scripts/precompress.mjs), an ETag on every file.
 */
async function serveDist(app, root) {
    await app.register(fastifyStatic, {
        root,
        prefix: '/dist/',
        decorateReply: false,
        preCompressed: true,
        cacheControl: false,
        etag: true,
        lastModified: true,
        setHeaders: (reply, file) => distHeaders(reply, file),
    });
    // A preflight is never needed for a script, but a fetch() of a chunk or the manifest with headers may ask.
    app.options('/dist/*', async (_request, reply) => {
        reply.header('access-control-allow-origin', '*').header('access-control-allow-methods', 'GET, HEAD').header('access-control-max-age', '86400').status(204);
    });
}

/**
 * Bad bytes refused in one place, for every route: a NUL character or an
 * unpaired UTF-16 surrogate in any string of a JSON body (values and keys, at
 * any depth), of the query string or of the path parameters is answered 400
 * `{error: {code: 'invalid_request', message: 'body/content contains a NUL
 * character'}}` before any handler runs, so nothing is stored. A URL that is
 * not valid percent-encoded UTF-8 is answered the same way (`invalid_url`).
 * Multipart uploads are read in the handler: `checkUpload` holds them to the
 * same rules and caps file names at MAX_FILE_NAME characters.
 *
 * Register with `installInputChecks(app)` before the routes, and give Fastify
 * `frameworkErrors` from here.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Why `text` may not be stored, or null. */
function badText(text) {
    if (text.includes('\u0000'))
        return 'contains a NUL character';
    if (LONE_SURROGATE.test(text))
        return 'contains an unpaired surrogate';
    return null;
}
/** A path segment as it can be shown in a message: its bad characters escaped, at most 60 characters. */
function shown(segment) {
    const safe = segment.replace(/[\u0000-\u001f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}
/**
 * The first bad string in a parsed value, as a message that says where
 * ("body/fields/0/name contains a NUL character"), or null. Walks without
 * recursion, so any depth JSON.parse accepts is fine.
 */
function findBadText(value, where) {
    const stack = [[value, where]];
    while (stack.length) {
        const [v, path] = stack.pop();
        if (typeof v === 'string') {
            const why = badText(v);
            if (why)
                return `${path} ${why}`;
        }
        else if (Array.isArray(v)) {
            for (let i = v.length - 1; i >= 0; i--)
                stack.push([v[i], `${path}/${i}`]);
        }
        else if (v !== null && typeof v === 'object') {
            const entries = Object.entries(v);
            for (let i = entries.length - 1; i >= 0; i--) {
                const [key, child] = entries[i];
                const why = badText(key);
                if (why)
                    return `a key of ${path} (${shown(key)}) ${why}`;
                stack.push([child, `${path}/${shown(key)}`]);
            }
        }
    }
    return null;
}
const refuse = (message) => new HttpError(400, 'invalid_request', message);
const guarded = new WeakMap();
function installInputChecks(app) {
    // JSON bodies: Fastify's own parser (same errors, same prototype-poisoning rules), then the walk.
    const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        parseJson(request, body, (error, value) => {
            if (error)
                return done(error, undefined);
            const bad = findBadText(value, 'body');
            if (bad)
                return done(refuse(bad), undefined);
            done(null, value);
        });
    });
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
        const why = badText(body);
        if (why)
            return done(refuse(`body ${why}`), undefined);
        done(null, body);
    });
    // Path parameters and the query string: after CORS (onRequest) so that a page reads the answer, before validation and handlers.
    app.addHook('preValidation', async (request) => {
        const bad = findBadText(request.params, 'params') ?? findBadText(request.query, 'querystring');
        if (bad)
            throw refuse(bad);
    });
    const routes = [];
    guarded.set(app, routes);
    app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat())
            routes.push({ method, url: route.url, schema: route.schema });
    });
}
/**
 * Fastify's `frameworkErrors`: what it finds before any route runs (a URL that
 * is not valid percent-encoded UTF-8, a path parameter too long) answered as
 * `{error: {code, message}}` like every other error.
 */
function frameworkErrors(error, request, reply) {
    // No route ran, so no CORS hook either: let the page read why.
    const origin = request.headers.origin;
    if (origin)
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    const path = shown(request.url.split('?')[0] ?? '');
    if (error.code === 'FST_ERR_BAD_URL') {
        void reply.status(400).send({ error: { code: 'invalid_url', message: `The URL path ${path} is not valid percent-encoded UTF-8` } });
    }
    else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        void reply.status(414).send({ error: { code: 'uri_too_long', message: 'A path parameter of the URL is too long' } });
    }
    else {
        request.log.error(error);
        void reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the server; try again' } });
    }
}
/** A multipart part (file or field) held to the same rules; file names at most MAX_FILE_NAME characters. */
function checkUpload(part) {
    const fields = Object.values(part.fields ?? {}).flat();
    for (const field of fields) {
        const name = field.fieldname ?? '';
        const why = badText(name);
        if (why)
            throw refuse(`a multipart field name (${shown(name)}) ${why}`);
        if (field.type === 'field' && typeof field.value === 'string') {
            const bad = badText(field.value);
            if (bad)
                throw refuse(`multipart field ${shown(name)} ${bad}`);
        }
    }
    if (part.filename !== undefined) {
        const why = badText(part.filename);
        if (why)
            throw refuse(`The file name ${why}`);
        if ([...part.filename].length > MAX_FILE_NAME_LENGTH)
            throw refuse(`The file name is too long: at most ${MAX_FILE_NAME_LENGTH} characters are accepted; rename the file`);
    }
}

/** The streams each server holds open, to end when it shuts down. */
const open$1 = new WeakMap();
/**
 * Ends every stream `app` holds (a shutdown): each client reconnects after its `retry` with
 * Last-Event-ID, to this process once it is back or to another one, and misses nothing.
 */
function endStreams(app) {
    const streams = open$1.get(app);
    if (!streams)
        return 0;
    const n = streams.size;
    for (const res of streams)
        res.end();
    streams.clear();
    return n;
}
/** The id a client resumes from: the Last-Event-ID header, else `?last_event_id=`. */
function lastEventId(request) {
    const header = request.headers['last-event-id'];
    const query = request.query.last_event_id;
    const raw = (Array.isArray(header) ? header[0] : header) ?? query;
    if (raw === undefined || raw === '')
        return null;
    const n = Number(raw);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
/**
 * Serves Server-Sent Events: first what was stored after `after`, then live
 * events from the bus, in order and without duplicates (live events that
 * arrive while the backlog is read wait, then go out if newer).
 */
async function serveStream(bus, request, reply, options) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
        ...reply.getHeaders(),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const streams = open$1.get(request.server) ?? new Set();
    open$1.set(request.server, streams);
    streams.add(res);
    let lastSent = options.after;
    let live = false;
    const waiting = [];
    const send = (e) => {
        if (e.id <= lastSent)
            return;
        lastSent = e.id;
        const data = options.serialize(e);
        if (data !== null)
            res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${data}\n\n`);
    };
    // `matches` is asked in delivery order, as each event goes out (it may hold state, such as a visitor
    // stream's current contact): events that arrive while the backlog is read wait unasked.
    const unsubscribe = bus.subscribe((e) => {
        if (!live)
            waiting.push(e);
        else if (e.id > lastSent && options.matches(e))
            send(e);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    let closed = false;
    const close = () => {
        if (closed)
            return;
        closed = true;
        streams.delete(res);
        clearInterval(heartbeat);
        unsubscribe();
        options.onClose?.();
    };
    request.raw.on('close', close);
    res.on('close', close);
    try {
        for (const e of await options.backlog(options.after))
            send(e);
        for (const e of waiting.sort((a, b) => a.id - b.id))
            if (e.id > lastSent && options.matches(e))
                send(e);
        live = true;
        // Tell the client the stream is open, with the cursor it is at.
        res.write(`event: ready\ndata: {"cursor":${lastSent}}\n\n`);
    }
    catch (error) {
        request.log.error(error);
        res.end();
        close();
    }
}

/** Whether the workspace allows the widget on this origin (no Origin header: not a browser's cross-origin call). */
function originAllowed(workspace, origin) {
    if (!origin)
        return true;
    return workspace.allowed_origins.includes('*') || workspace.allowed_origins.includes(origin);
}
/** A 403 when the request comes from an origin the workspace does not allow. */
function refuseOrigin(workspace, request) {
    if (!originAllowed(workspace, request.headers.origin)) {
        throw new HttpError(403, 'origin_not_allowed', `This workspace does not allow the widget on ${request.headers.origin}`);
    }
}

/** The token of "Authorization: Bearer TOKEN", else the query parameter `name` (EventSource cannot send headers). */
function bearer(request, name = 'token') {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer '))
        return header.slice(7).trim();
    return request.query?.[name] ?? null;
}
/** A visitor route's preHandler: the session of the bearer token, from an origin its workspace allows; sets request.visitor. */
function visitorAuth(sessions) {
    return async (request) => {
        const token = bearer(request);
        if (!token)
            throw new HttpError(401, 'missing_session', 'Send the session token as "Authorization: Bearer TOKEN" (from POST /api/widget/sessions)');
        const found = await sessions.byToken(sha256(token));
        refuseOrigin(found.workspace, request);
        request.visitor = found;
    };
}
/** The operator API's preHandler: the workspace and agent of the bearer key (or `?key=`); sets request.operator. */
function operatorAuth(sessions) {
    return async (request) => {
        if (request.method === 'OPTIONS')
            return;
        const key = bearer(request, 'key');
        if (!key)
            throw new HttpError(401, 'missing_operator_key', 'Send the operator secret key as "Authorization: Bearer KEY"');
        request.operator = await sessions.operatorByKey(sha256(key));
    };
}

/** Per-minute limits of the routes that write (route `config` of @fastify/rate-limit). */
const perMinute = (max) => ({ rateLimit: { max, timeWindow: '1 minute' } });
/** A per-minute limit counted per visitor session (its bearer token), else per address. */
const perSessionPerMinute = (max) => ({
    rateLimit: { max, timeWindow: '1 minute', keyGenerator: (request) => bearer(request) ?? request.ip },
});
/** The defaults of buildApp's options. */
const MESSAGES_PER_MINUTE = 120;
const SESSIONS_PER_MINUTE = 60;

const nullableString = { type: ['string', 'null'] };
/** A BCP 47 language tag (en, pt-BR). */
const lang = { type: 'string', minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' };
/** A menu (topic) id: a number, or its digits as a string. */
const menuId = { type: ['integer', 'string'], pattern: '^[0-9]{1,15}$', minimum: 1 };
/** Route parameters `:id` (a conversation, call, file... id). */
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } };
/** A visitor route's query with only the language (and the token, for EventSource-style callers). */
const langQuery = { type: 'object', additionalProperties: false, properties: { lang, token: { type: 'string' } } };
/** A message as a visitor may see it: no internal flag, no author ids. */
const widgetMessage = {
    type: 'object',
    properties: {
        id: { type: 'string' },
        client_id: nullableString,
        conversation_id: { type: 'string' },
        author: { type: 'string', enum: ['visitor', 'agent', 'bot', 'system'] },
        author_name: nullableString,
        content: { type: 'string' },
        created_at: { type: 'string' },
        attachment: {
            type: ['object', 'null'],
            properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' } },
        },
        /** Structured content: the virtual agent's article suggestions. */
        data: {
            type: ['object', 'null'],
            properties: {
                articles: {
                    type: 'array',
                    items: { type: 'object', properties: { title: { type: 'string' }, slug: { type: 'string' }, locale: { type: 'string' }, excerpt: { type: 'string' } } },
                },
                escalate: { type: 'boolean' },
            },
        },
    },
    required: ['id', 'author', 'content', 'created_at'],
};
/** A message as an operator sees it. */
const agentMessage = {
    type: 'object',
    properties: { ...widgetMessage.properties, author_id: nullableString, internal: { type: 'boolean' }, seq: { type: 'integer' } },
    required: widgetMessage.required,
};
/** What a visitor may see of their own contact record. */
const widgetContact = {
    type: ['object', 'null'],
    properties: {
        external_id: nullableString,
        email: nullableString,
        name: nullableString,
        phone: nullableString,
        company: nullableString,
        avatar_url: nullableString,
        custom_data: { type: 'object', additionalProperties: true },
        verified: { type: 'boolean' },
    },
};
const agentContact = {
    type: ['object', 'null'],
    // email_verified: the email itself was proven (email_hash, a user_hash of the email, a JWT's email);
    // `verified` with email_verified false proves the external id only.
    properties: { id: { type: 'string' }, location: { type: ['string', 'null'] }, ...widgetContact.properties, email_verified: { type: 'boolean' } },
};
const MAX_CONTENT = MAX_MESSAGE_LENGTH;
const content = { type: 'string', minLength: 1, maxLength: MAX_CONTENT };
const clientId = { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' };
const cursor = { type: 'string', pattern: '^[0-9]{1,15}$' };
/** Opening hours: {"mon": [["09:00", "17:00"]], ...} in the workspace's time zone. */
const openingHours = {
    type: 'object',
    additionalProperties: false,
    patternProperties: {
        '^(mon|tue|wed|thu|fri|sat|sun)$': { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' } } },
    },
};
/** What operators see of a conversation in the list and in its detail. */
const conversationSummary = {
    id: { type: 'string' },
    status: { type: 'string' },
    chat_status: { type: 'string' },
    menu_id: { type: ['integer', 'null'] },
    category: { type: ['string', 'null'] },
    assignee_id: { type: ['string', 'null'] },
    agent_id: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
};

const chat = {
    type: 'object',
    properties: {
        id: { type: 'string' },
        status: { type: 'string' },
        menu_id: { type: ['integer', 'null'] },
        lang: { type: ['string', 'null'] },
        created_at: { type: 'string' },
        assigned_at: { type: ['string', 'null'] },
        finished_at: { type: ['string', 'null'] },
        agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        rating: { type: ['integer', 'null'] },
    },
};
const chatOrNull = { ...chat, type: ['object', 'null'] };
async function sdkRoutes(app, { services, authenticate }) {
    const { company, chats, files, content: help, feedback, email } = services;
    await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 1, fields: 5 } });
    const visitor = (request) => request.visitor;
    const ws = (request) => request.visitor.workspace.id;
    app.get('/company', {
        preHandler: authenticate,
        schema: {
            response: {
                200: {
                    type: 'object',
                    properties: {
                        name: { type: 'string' }, subdomain: { type: 'string' }, support_email: { type: 'string' },
                        languages: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } } },
                        action_tracking: { type: 'boolean' }, email_transcripts: { type: 'boolean' }, message_preview: { type: 'boolean' }, email_enhancement: { type: 'boolean' },
                    },
                },
            },
        },
        handler: (request) => company.company(ws(request)),
    });
    app.get('/after-hours', {
        preHandler: authenticate,
        schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { open: { type: 'boolean' }, message: { type: ['string', 'null'] } } } } },
        handler: (request) => company.afterHours(ws(request), request.query.lang ?? 'en'),
    });
    const menuItem = {
        type: 'object',
        properties: {
            id: { type: 'integer' }, name: { type: 'string' }, enabled: { type: 'boolean' },
            redirection: { type: 'object', properties: { option: { type: 'string' }, data: { type: 'string' } } },
            channels: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, enabled: { type: 'boolean' } } } },
            deflection: { type: 'object', properties: { enabled: { type: 'boolean' }, type: { type: 'string' } } },
            children: { type: 'array', items: { $ref: 'menuItem#' } },
        },
    };
    app.addSchema({ $id: 'menuItem', ...menuItem });
    app.get('/menus', {
        preHandler: authenticate,
        schema: {
            querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string', maxLength: 100 }, lang, token: { type: 'string' } } },
            response: { 200: { type: 'object', properties: { menus: { type: 'array', items: { $ref: 'menuItem#' } }, direct: { type: 'object', properties: { key: { type: 'boolean' }, user: { type: 'boolean' } } } } } },
        },
        handler: (request) => {
            const q = request.query;
            return company.menus(ws(request), visitor(request).session, q.key, q.lang ?? 'en');
        },
    });
    app.get('/menus/:id/wait-times', {
        preHandler: authenticate,
        schema: {
            params: idParams,
            response: { 200: { type: 'object', properties: { chat: { type: ['integer', 'null'] }, voice_call: { type: ['integer', 'null'] }, queued: { type: 'integer' }, operators_online: { type: 'integer' } } } },
        },
        handler: (request) => company.waitTimes(ws(request), request.params.id),
    });
    app.get('/file-types', {
        preHandler: authenticate,
        schema: { response: { 200: { type: 'object', properties: { prohibited: { type: 'array', items: { type: 'string' } }, max_bytes: { type: 'integer' } } } } },
        handler: (request) => files.rules(ws(request)),
    });
    app.get('/trigger', {
        preHandler: authenticate,
        schema: {
            querystring: {
                type: 'object',
                additionalProperties: false,
                required: ['url'],
                properties: { url: { type: 'string', maxLength: 2048 }, seconds: { type: 'string', pattern: '^[0-9]{1,7}$' }, visits: { type: 'string', pattern: '^[0-9]{1,7}$' }, lang, token: { type: 'string' } },
            },
            response: { 200: { type: 'object', properties: { trigger: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' }, message: { type: 'string' }, delay_seconds: { type: 'integer' } } } } } },
        },
        handler: async (request) => {
            const q = request.query;
            return { trigger: await help.trigger(ws(request), { url: q.url, seconds: Number(q.seconds ?? 0), visits: Number(q.visits ?? 1) }, q.lang ?? 'en') };
        },
    });
    // ---- chats ----
    app.post('/chats', {
        preHandler: authenticate,
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['menu_id', 'lang'],
                properties: {
                    menu_id: menuId, lang,
                    trigger_id: { type: ['string', 'integer'], maxLength: 64 },
                    ticket_id: { type: 'string', maxLength: 64 },
                    email: { type: 'string', format: 'email', maxLength: 320 },
                    greeting: { type: 'string', minLength: 1, maxLength: 10_000 },
                    cobrowsable: { type: 'boolean' },
                    custom_data: { type: 'object', maxProperties: 50 },
                },
            },
            response: { 201: chat },
        },
        handler: async (request, reply) => {
            reply.status(201);
            return chats.create(visitor(request).session, request.body);
        },
    });
    app.get('/chats/ongoing', {
        preHandler: authenticate,
        schema: { response: { 200: { type: 'object', properties: { chat: chatOrNull } } } },
        handler: async (request) => ({ chat: await chats.ongoing(visitor(request).session) }),
    });
    app.get('/chats/:id', {
        preHandler: authenticate,
        schema: { params: idParams, response: { 200: chat } },
        handler: async (request) => chats.get(visitor(request).session, request.params.id),
    });
    const move = (path, from, to, verb, method = 'post') => app[method](path, {
        preHandler: authenticate,
        schema: { params: idParams, response: { 200: chat } },
        handler: (request) => chats.transition(visitor(request).session, request.params.id, from, to, verb),
    });
    move('/chats/:id/resume', ['dismissed'], 'previous', 'resume');
    move('/chats/:id/escalate', ['va_assigned'], 'queued', 'escalate');
    move('/chats/:id/finish', ['va_assigned', 'queued', 'assigned'], 'finished', 'finish');
    move('/chats/:id', ['va_assigned', 'queued', 'assigned'], 'dismissed', 'dismiss', 'delete');
    app.get('/chats/:id/deflection', {
        preHandler: authenticate,
        schema: { params: idParams, response: { 200: { type: 'object', properties: { deflection: { type: ['object', 'null'], properties: { enabled: { type: 'boolean' }, threshold: { type: 'number' }, keep_waiting: { type: 'boolean' } } } } } } },
        handler: async (request) => ({ deflection: await chats.deflection(visitor(request).session, request.params.id) }),
    });
    app.get('/chats/:id/messages', {
        preHandler: authenticate,
        schema: { params: idParams, querystring: { type: 'object', properties: { token: { type: 'string' } } }, response: { 200: { type: 'object', properties: { messages: { type: 'array', items: widgetMessage } } } } },
        handler: async (request) => ({ messages: await chats.history(visitor(request).session, request.params.id) }),
    });
    app.post('/chats/:id/messages', {
        preHandler: authenticate,
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['client_id', 'content'], properties: { client_id: clientId, content } },
            response: { 200: { type: 'object', properties: { message: widgetMessage } }, 201: { type: 'object', properties: { message: widgetMessage } } },
        },
        handler: async (request, reply) => {
            const body = request.body;
            if (!body.content.trim())
                throw new HttpError(400, 'invalid_request', 'body/content is empty');
            const { message, created } = await chats.says(visitor(request).session, request.params.id, body.content, body.client_id);
            reply.status(created ? 201 : 200);
            return { message };
        },
    });
    /** One multipart file: checked against the workspace's rules before it is stored. */
    const readUpload = async (request) => {
        if (!request.isMultipart())
            throw new HttpError(415, 'unsupported_media_type', 'Send the file as multipart/form-data in a field named "file"');
        const part = await request.file();
        if (!part)
            throw new HttpError(400, 'invalid_request', 'No file in the request; send it in a field named "file"');
        checkUpload(part);
        await files.check(ws(request), part.filename, 0).catch((e) => {
            if (e.code !== 'empty_file')
                throw e;
        });
        const bytes = await part.toBuffer().catch(() => {
            throw new HttpError(413, 'file_too_large', 'The file is larger than the server accepts');
        });
        return { name: part.filename, mime: part.mimetype, bytes };
    };
    const attachment = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' } } };
    app.post('/chats/:id/files', {
        preHandler: authenticate,
        schema: { params: idParams, response: { 201: { type: 'object', properties: { message: widgetMessage } } } },
        handler: async (request, reply) => {
            const { message } = await chats.sendFile(visitor(request).session, request.params.id, () => readUpload(request));
            reply.status(201);
            return { message };
        },
    });
    app.post('/files', {
        preHandler: authenticate,
        schema: { response: { 201: attachment } },
        handler: async (request, reply) => {
            const file = await files.store(visitor(request).session, null, await readUpload(request));
            reply.status(201);
            return file;
        },
    });
    app.get('/files/:id', {
        preHandler: authenticate,
        schema: { params: idParams, querystring: { type: 'object', properties: { token: { type: 'string' } } } },
        handler: async (request, reply) => {
            const f = await files.file(request.params.id, { session: visitor(request).session });
            return sendFile(reply, f);
        },
    });
    // ---- after a chat ----
    app.post('/chats/:id/rate', {
        preHandler: authenticate,
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['rating'], properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, feedback: { type: 'string', maxLength: 2000 } } },
            response: { 200: { type: 'object', properties: { rating: { type: 'integer' }, feedback: { type: ['string', 'null'] } } } },
        },
        handler: (request) => {
            const body = request.body;
            return feedback.rate(visitor(request).session, request.params.id, body.rating, body.feedback);
        },
    });
    const question = { type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, display_text: { type: 'string' }, valid_answers: { type: 'array' } } };
    app.get('/survey', {
        preHandler: authenticate,
        schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { sign_off_display_text: { type: 'string' }, questions: { type: 'array', items: question } } } } },
        handler: (request) => feedback.survey(ws(request), request.query.lang ?? 'en'),
    });
    app.post('/chats/:id/survey', {
        preHandler: authenticate,
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['answers'], properties: { answers: { type: 'object', maxProperties: 50, propertyNames: { pattern: '^[0-9]{1,15}$' }, additionalProperties: { type: ['string', 'number'] } } } },
            response: { 200: { type: 'object', properties: { answered: { type: 'integer' } } } },
        },
        handler: (request) => feedback.answerSurvey(visitor(request).session, request.params.id, request.body.answers),
    });
    app.post('/chats/:id/transcripts', {
        preHandler: authenticate,
        config: perMinute(10),
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['emails'], properties: { emails: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', maxLength: 320 } } } },
            response: { 202: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } },
        },
        handler: async (request, reply) => {
            reply.status(202);
            return email.transcript(visitor(request).session, request.params.id, request.body.emails);
        },
    });
    app.post('/emails', {
        preHandler: authenticate,
        config: perMinute(10),
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['email', 'content', 'menu_id', 'lang'],
                properties: {
                    name: { type: 'string', maxLength: 255 }, email: { type: 'string', maxLength: 320 }, content, menu_id: menuId, lang,
                    file_ids: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } },
                    recaptcha: { type: 'string', maxLength: 4096 },
                },
            },
            response: { 201: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } },
        },
        handler: async (request, reply) => {
            reply.status(201);
            return email.create(visitor(request).session, request.body);
        },
    });
}
/** Sends a stored file as a download (never rendered inline, whatever its type). */
function sendFile(reply, f) {
    reply
        .header('content-type', f.mime)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .header('x-content-type-options', 'nosniff');
    return reply.send(Buffer.from(f.bytes));
}

/** The free start times of a topic's calls or a meeting type, ISO 8601. */
const slots = { type: 'object', properties: { slots: { type: 'array', items: { type: 'string' } } } };
const call = {
    type: 'object',
    properties: {
        id: { type: 'string' }, status: { type: 'string' }, menu_id: { type: ['integer', 'null'] }, lang: { type: 'string' },
        phone_number: { type: 'string' }, scheduled_at: { type: ['string', 'null'] }, recording_permission: { type: 'boolean' }, created_at: { type: 'string' },
    },
};
/** Calls, time slots, meetings and co-browsing for the widget (visitor side). */
async function schedulingWidgetRoutes(app, { services, authenticate }) {
    const { calls, bookings, cobrowse } = services;
    const session = (r) => r.visitor.session;
    app.get('/menus/:id/time-slots', {
        preHandler: authenticate,
        schema: { params: idParams, querystring: langQuery, response: { 200: slots } },
        handler: async (r) => ({ slots: await calls.timeSlots(r.visitor.workspace.id, r.params.id) }),
    });
    app.post('/calls', {
        preHandler: authenticate,
        config: perMinute(10),
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['menu_id', 'lang', 'phone_number'],
                properties: {
                    menu_id: menuId, lang,
                    phone_number: { type: 'string', maxLength: 20 }, scheduled_at: { type: 'string', maxLength: 40 },
                    ticket_id: { type: 'string', maxLength: 64 }, email: { type: 'string', maxLength: 320 }, recording_permission: { type: 'boolean' },
                },
            },
            response: { 201: call },
        },
        handler: async (r, reply) => {
            reply.status(201);
            return calls.create(session(r), r.body);
        },
    });
    app.get('/calls/:id', { preHandler: authenticate, schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.get(session(r), r.params.id) });
    app.post('/calls/:id/cancel', { preHandler: authenticate, schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.cancel(session(r), r.params.id) });
    app.get('/meeting-types', {
        preHandler: authenticate,
        schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { meeting_types: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, duration_minutes: { type: 'integer' } } } } } } } },
        handler: async (r) => ({ meeting_types: await bookings.types(r.visitor.workspace.id, r.query.lang ?? 'en') }),
    });
    app.get('/meeting-types/:id/slots', {
        preHandler: authenticate,
        schema: { params: idParams, response: { 200: slots } },
        handler: async (r) => ({ slots: (await bookings.slots(r.visitor.workspace.id, r.params.id)).map((d) => d.toISOString()) }),
    });
    app.post('/bookings', {
        preHandler: authenticate,
        config: perMinute(10),
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['meeting_type_id', 'starts_at', 'name', 'email'],
                properties: {
                    meeting_type_id: { type: ['integer', 'string'], pattern: '^[0-9]{1,15}$' }, starts_at: { type: 'string', maxLength: 40 },
                    name: { type: 'string', minLength: 1, maxLength: 200 }, email: { type: 'string', maxLength: 320 },
                },
            },
            response: { 201: { type: 'object', properties: { id: { type: 'string' }, meeting_type_id: { type: 'integer' }, starts_at: { type: 'string' }, ends_at: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, status: { type: 'string' } } } },
        },
        handler: async (r, reply) => {
            reply.status(201);
            return bookings.book(session(r), r.body);
        },
    });
    app.post('/cobrowse/code', {
        preHandler: authenticate,
        config: perMinute(10),
        schema: { response: { 201: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, expires_at: { type: 'string' } } } } },
        handler: async (r, reply) => {
            reply.status(201);
            return cobrowse.code(session(r));
        },
    });
    app.post('/cobrowse/start', {
        preHandler: authenticate,
        schema: { body: { type: ['object', 'null'], additionalProperties: false, properties: { id: { type: 'string', maxLength: 64 } } }, response: { 201: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } } },
        handler: async (r, reply) => {
            reply.status(201);
            return cobrowse.start(session(r), r.body?.id);
        },
    });
    app.post('/cobrowse/:id/events', {
        preHandler: authenticate,
        bodyLimit: 4 * 1024 * 1024,
        schema: { params: idParams, body: { type: 'object', additionalProperties: false, required: ['events'], properties: { events: { type: 'array', minItems: 1, maxItems: 5000, items: { type: 'object' } } } }, response: { 202: { type: 'object', properties: { stored: { type: 'integer' } } } } },
        handler: async (r, reply) => {
            reply.status(202);
            return cobrowse.record(session(r), r.params.id, r.body.events);
        },
    });
    app.post('/cobrowse/:id/stop', {
        preHandler: authenticate,
        schema: { params: idParams, response: { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } } },
        handler: (r) => cobrowse.stop(session(r), r.params.id),
    });
}
/** The operators' side: the callback queue, meeting types and bookings, watching a co-browsing session. */
async function schedulingAgentRoutes(app, { services }) {
    const { calls, bookings, cobrowse } = services;
    const ws = (r) => r.operator.workspaceId;
    app.get('/calls', {
        schema: { response: { 200: { type: 'object', properties: { calls: { type: 'array', items: call } } } } },
        handler: async (r) => ({ calls: await calls.queue(ws(r)) }),
    });
    app.post('/calls/:id/done', { schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.done(ws(r), r.params.id) });
    app.post('/meeting-types', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'duration_minutes'],
                properties: {
                    name: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
                    duration_minutes: { type: 'integer', minimum: 5, maximum: 480 },
                    availability: openingHours,
                    position: { type: 'integer' },
                },
            },
            response: { 201: { type: 'object', properties: { id: { type: 'integer' } } } },
        },
        handler: async (r, reply) => {
            const row = await bookings.createType(ws(r), r.body);
            reply.status(201);
            return row;
        },
    });
    app.get('/bookings', {
        schema: {
            response: {
                200: {
                    type: 'object',
                    properties: {
                        bookings: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: { id: { type: 'string' }, meeting_type_id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' }, status: { type: 'string' }, conversation_id: { type: ['string', 'null'] }, starts_at: { type: 'string' } },
                            },
                        },
                    },
                },
            },
        },
        handler: async (r) => ({ bookings: await bookings.list(ws(r)) }),
    });
    app.get('/cobrowse', {
        schema: {
            querystring: { type: 'object', additionalProperties: false, properties: { code: { type: 'string', pattern: '^[0-9]{6}$' }, conversation_id: { type: 'string', maxLength: 64 }, key: { type: 'string' } } },
            response: { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, conversation_id: { type: ['string', 'null'] }, started_at: { type: ['string', 'null'] } } } },
        },
        handler: async (r) => {
            const q = r.query;
            if (!q.code && !q.conversation_id)
                throw new HttpError(400, 'invalid_request', 'Give a code or a conversation_id');
            return cobrowse.find(ws(r), q);
        },
    });
    app.get('/cobrowse/:id/events', {
        schema: {
            params: idParams,
            querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', pattern: '^[0-9]{1,15}$' }, key: { type: 'string' } } },
            // The recorder's events go out as they came in (they were checked as objects on the way in).
            response: { 200: { type: 'object', properties: { status: { type: 'string' }, events: { type: 'array', items: { type: 'object', additionalProperties: true } }, last: { type: 'integer' } } } },
        },
        handler: (r) => cobrowse.events(ws(r), r.params.id, Number(r.query.after ?? 0)),
    });
}

const rowId = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } } };
const menuFields = {
    parent_id: { type: ['integer', 'null'] },
    position: { type: 'integer' },
    key: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]{1,100}$' },
    names: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1, maxLength: 200 } },
    enabled: { type: 'boolean' },
    channels: { type: 'array', minItems: 1, items: { type: 'string', enum: ['chat', 'voice_call', 'email'] } },
    deflection_enabled: { type: 'boolean' },
    deflection_threshold: { type: 'number', minimum: 0, maximum: 1 },
    keep_waiting: { type: 'boolean' },
};
const articleFields = {
    locale: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
    slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' },
    title: { type: 'string', minLength: 1, maxLength: 300 },
    body: { type: 'string', minLength: 1, maxLength: 100000 },
};
const questionFields = {
    type: { type: 'string', enum: ['rating', 'choice', 'text'] },
    position: { type: 'integer' },
    display_text: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 500 } },
    valid_answers: { type: ['array', 'null'], minItems: 1, maxItems: 20 },
};
const triggerFields = {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    url_pattern: { type: 'string', minLength: 1, maxLength: 1000 },
    min_seconds_on_page: { type: 'integer', minimum: 0, maximum: 86400 },
    min_visits: { type: 'integer', minimum: 1, maximum: 100000 },
    message: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 1000 } },
    enabled: { type: 'boolean' },
    position: { type: 'integer' },
};
// What leaves: the response schemas name every field (ids as numbers; no workspace ids).
const translations = { type: 'object', additionalProperties: { type: 'string' } };
const menu = {
    type: 'object',
    properties: {
        id: { type: 'integer' }, parent_id: { type: ['integer', 'null'] }, position: { type: 'integer' }, key: { type: ['string', 'null'] }, names: translations,
        enabled: { type: 'boolean' }, channels: { type: 'array', items: { type: 'string' } }, deflection_enabled: { type: 'boolean' },
        deflection_threshold: { type: 'number' }, keep_waiting: { type: 'boolean' }, redirection: { type: ['object', 'null'], additionalProperties: true },
    },
};
const article = { type: 'object', properties: { id: { type: 'integer' }, locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' } } };
/** In the listing, with the visitors' "Was this helpful?" counts. */
const listedArticle = { type: 'object', properties: { ...article.properties, helpful: { type: 'integer' }, not_helpful: { type: 'integer' } } };
const articleComment = { type: 'object', properties: { helpful: { type: 'boolean' }, comment: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } };
const question = {
    type: 'object',
    properties: { id: { type: 'integer' }, position: { type: 'integer' }, type: { type: 'string' }, display_text: translations, valid_answers: { type: ['array', 'null'] }, retired: { type: 'boolean' } },
};
const trigger = {
    type: 'object',
    properties: {
        id: { type: 'integer' }, name: { type: 'string' }, url_pattern: { type: 'string' }, min_seconds_on_page: { type: 'integer' }, min_visits: { type: 'integer' },
        message: translations, enabled: { type: 'boolean' }, position: { type: 'integer' },
    },
};
const one = (name, item) => ({ type: 'object', properties: { [name]: item } });
const many = (name, item) => ({ type: 'object', properties: { [name]: { type: 'array', items: item } } });
const created = { type: 'object', properties: { id: { type: 'integer' } } };
const deleted = { type: 'object', properties: { deleted: { type: 'boolean' } } };
const createBody = (properties, required) => ({ type: 'object', additionalProperties: false, required, properties });
/** A PATCH body: the same fields, none required, at least one. */
const patchBody = (properties) => ({ type: 'object', additionalProperties: false, minProperties: 1, properties });
async function agentContentRoutes(app, { services }) {
    const { editor } = services;
    const ws = (request) => request.operator.workspaceId;
    const num = (request) => Number(request.params.id);
    const body = (request) => request.body;
    // ---- topics (menus) ----
    app.get('/menus', {
        schema: { response: { 200: many('menus', menu) } },
        handler: async (request) => ({ menus: await editor.menus(ws(request)) }),
    });
    app.post('/menus', {
        schema: { body: createBody(menuFields, ['names']), response: { 201: one('menu', menu) } },
        handler: async (request, reply) => {
            const row = await editor.createMenu(ws(request), body(request));
            reply.status(201);
            return { menu: row };
        },
    });
    app.patch('/menus/:id', {
        schema: { params: rowId, body: patchBody(menuFields), response: { 200: one('menu', menu) } },
        handler: async (request) => ({ menu: await editor.updateMenu(ws(request), num(request), body(request)) }),
    });
    app.delete('/menus/:id', {
        schema: { params: rowId, response: { 200: deleted } },
        handler: (request) => editor.deleteMenu(ws(request), num(request)),
    });
    // ---- help articles ----
    app.get('/articles', {
        schema: { response: { 200: many('articles', listedArticle) } },
        handler: async (request) => ({ articles: await editor.articles(ws(request)) }),
    });
    app.get('/articles/:id/feedback', {
        schema: { params: rowId, response: { 200: many('feedback', articleComment) } },
        handler: async (request) => ({ feedback: await editor.articleFeedback(ws(request), num(request)) }),
    });
    app.post('/articles', {
        schema: { body: createBody(articleFields, ['locale', 'slug', 'title', 'body']), response: { 201: one('article', article) } },
        handler: async (request, reply) => {
            const row = await editor.saveArticle(ws(request), body(request));
            reply.status(201);
            return { article: row };
        },
    });
    app.patch('/articles/:id', {
        schema: { params: rowId, body: patchBody(articleFields), response: { 200: one('article', article) } },
        handler: async (request) => ({ article: await editor.updateArticle(ws(request), num(request), body(request)) }),
    });
    app.delete('/articles/:id', {
        schema: { params: rowId, response: { 200: deleted } },
        handler: (request) => editor.deleteArticle(ws(request), num(request)),
    });
    // ---- survey questions ----
    app.get('/survey-questions', {
        schema: { response: { 200: many('questions', question) } },
        handler: async (request) => ({ questions: await editor.questions(ws(request)) }),
    });
    app.post('/survey-questions', {
        schema: { body: createBody(questionFields, ['type', 'display_text']), response: { 201: created } },
        handler: async (request, reply) => {
            const row = await editor.createQuestion(ws(request), body(request));
            reply.status(201);
            return row;
        },
    });
    app.patch('/survey-questions/:id', {
        schema: { params: rowId, body: patchBody(questionFields), response: { 200: one('question', question) } },
        handler: async (request) => ({ question: await editor.updateQuestion(ws(request), num(request), body(request)) }),
    });
    app.delete('/survey-questions/:id', {
        schema: { params: rowId, response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' }, retired: { type: 'boolean' } } } } },
        handler: (request) => editor.deleteQuestion(ws(request), num(request)),
    });
    // ---- proactive triggers ----
    app.get('/triggers', {
        schema: { response: { 200: many('triggers', trigger) } },
        handler: async (request) => ({ triggers: await editor.triggers(ws(request)) }),
    });
    app.post('/triggers', {
        schema: { body: createBody(triggerFields, ['name', 'message']), response: { 201: created } },
        handler: async (request, reply) => {
            const row = await editor.createTrigger(ws(request), body(request));
            reply.status(201);
            return row;
        },
    });
    app.patch('/triggers/:id', {
        schema: { params: rowId, body: patchBody(triggerFields), response: { 200: one('trigger', trigger) } },
        handler: async (request) => ({ trigger: await editor.updateTrigger(ws(request), num(request), body(request)) }),
    });
    app.delete('/triggers/:id', {
        schema: { params: rowId, response: { 200: deleted } },
        handler: (request) => editor.deleteTrigger(ws(request), num(request)),
    });
}

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const workspace = {
    type: 'object',
    properties: {
        id: str, name: str, public_key: strOrNull,
        allowed_origins: { type: 'array', items: str },
        require_verification: { type: 'boolean' },
        languages: { type: 'array', items: str },
        business_hours: { type: 'object', additionalProperties: { type: 'array', items: { type: 'array', items: str } } },
        time_zone: str,
        previous_identity_secret_until: strOrNull,
        created_at: str,
    },
};
const operator = {
    type: 'object',
    properties: { id: str, name: str, email: strOrNull, avatar_url: strOrNull, role: str, created_at: str },
};
/**
 * The workspace and its operators, for an admin operator (registered inside the
 * operator API, under /api/agent, behind its key check). Operator keys and the
 * identity secret are answered once, by the request that makes them; nothing
 * else returns them. The domain (server/domain/admin.ts) is the CLI's too.
 */
async function adminRoutes(app, { services }) {
    const { admin } = services;
    app.addHook('preHandler', async (request) => {
        if (request.method === 'OPTIONS')
            return;
        if (request.operator?.role !== 'admin') {
            throw new HttpError(403, 'forbidden', 'Only an admin of the workspace may manage it and its operators; ask an admin, or use the admin CLI');
        }
    });
    app.get('/workspace', {
        schema: { response: { 200: { type: 'object', properties: { workspace } } } },
        handler: async (request) => ({ workspace: await admin.workspace(request.operator.workspaceId) }),
    });
    app.patch('/workspace', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                    name: { type: 'string', minLength: 1, maxLength: 200 },
                    allowed_origins: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 300 } },
                    require_verification: { type: 'boolean' },
                    languages: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', maxLength: 35 } },
                },
            },
            response: { 200: { type: 'object', properties: { workspace } } },
        },
        handler: async (request) => {
            const change = request.body;
            return { workspace: await bodyErrors(() => admin.updateWorkspace(request.operator.workspaceId, change)) };
        },
    });
    app.get('/operators', {
        schema: { response: { 200: { type: 'object', properties: { operators: { type: 'array', items: operator } } } } },
        handler: async (request) => ({ operators: await admin.operators(request.operator.workspaceId) }),
    });
    const withKey = { type: 'object', properties: { operator, key: str } };
    app.post('/operators', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                    name: { type: 'string', minLength: 1, maxLength: 200 },
                    email: { type: ['string', 'null'], maxLength: 320 },
                    avatar_url: { type: ['string', 'null'], maxLength: 2048 },
                    role: { type: 'string', enum: ['admin', 'agent'] },
                },
            },
            response: { 201: withKey },
        },
        handler: async (request, reply) => {
            const added = await bodyErrors(() => admin.addOperator(request.operator.workspaceId, request.body));
            reply.status(201);
            return added;
        },
    });
    app.delete('/operators/:id', {
        schema: { params: idParams, response: { 200: { type: 'object', properties: { removed: operator } } } },
        handler: async (request) => ({ removed: await admin.removeOperator(request.operator.workspaceId, request.params.id) }),
    });
    app.post('/operators/:id/key', {
        schema: { params: idParams, response: { 200: withKey } },
        handler: (request) => admin.rotateOperatorKey(request.operator.workspaceId, request.params.id),
    });
    app.post('/identity-secret', {
        schema: {
            body: { type: 'object', additionalProperties: false, properties: { grace_hours: { type: 'number', minimum: 0, maximum: MAX_GRACE_HOURS } } },
            response: { 200: { type: 'object', properties: { identity_secret: str, previous_valid_until: strOrNull } } },
        },
        handler: (request) => admin.rotateIdentitySecret(request.operator.workspaceId, request.body?.grace_hours),
    });
}
/** The domain's checks name a field ("allowed_origins/1 ..."); the API says where it was: "body/allowed_origins/1 ...". */
async function bodyErrors(run) {
    try {
        return await run();
    }
    catch (error) {
        if (error instanceof HttpError && error.statusCode === 400)
            throw new HttpError(400, error.code, `body/${error.message}`);
        throw error;
    }
}

async function agentRoutes(app, { services, heartbeatMs }) {
    const { conversations, messages, presence, company, tickets, email, files, stream } = services;
    // The operator API authenticates by a bearer key, never by cookies, so any origin may call it (a dashboard of the site's own).
    await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'last-event-id'], maxAge: 600 });
    app.addHook('preHandler', operatorAuth(services.sessions));
    await schedulingAgentRoutes(app, { services });
    // The workspace and its operators (admins only), behind the same key check and CORS.
    await app.register(adminRoutes, { services });
    app.get('/me', {
        schema: { response: { 200: { type: 'object', properties: { workspace_id: { type: 'string' }, agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } }, available: { type: 'boolean' } } } } },
        handler: async (request) => {
            const op = request.operator;
            return { workspace_id: op.workspaceId, agent: op.agentId ? { id: op.agentId, name: op.agentName } : null, available: await presence.available(op.workspaceId) };
        },
    });
    app.patch('/me', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, avatar_url: { type: ['string', 'null'], maxLength: 2048, pattern: '^https://' } },
            },
            response: { 200: { type: 'object', properties: { agent: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, avatar_url: { type: ['string', 'null'] } } } } } },
        },
        handler: async (request) => {
            const op = request.operator;
            if (!op.agentId)
                throw new HttpError(400, 'invalid_request', 'This key belongs to no agent, so it has no profile to change');
            return { agent: await presence.profile(op.workspaceId, op.agentId, request.body) };
        },
    });
    app.get('/conversations', {
        schema: {
            querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'string', pattern: '^[0-9]{1,3}$' }, key: { type: 'string' } } },
            response: {
                200: {
                    type: 'object',
                    properties: {
                        conversations: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    ...conversationSummary,
                                    unread_count: { type: 'integer' },
                                    last_message: { type: ['object', 'null'], properties: { content: { type: 'string' }, author: { type: 'string' }, internal: { type: 'boolean' } } },
                                    contact: { type: ['object', 'null'], properties: { name: { type: ['string', 'null'] }, email: { type: ['string', 'null'] }, verified: { type: 'boolean' }, email_verified: { type: 'boolean' } } },
                                },
                            },
                        },
                    },
                },
            },
        },
        handler: async (request) => {
            const limit = Math.min(Number(request.query.limit ?? 100) || 100, 500);
            return { conversations: await conversations.list(request.operator.workspaceId, limit) };
        },
    });
    app.get('/conversations/:id', {
        schema: {
            params: idParams,
            response: {
                200: {
                    type: 'object',
                    properties: {
                        ...conversationSummary,
                        lang: { type: ['string', 'null'] },
                        rating: { type: ['integer', 'null'] },
                        feedback: { type: ['string', 'null'] },
                        variables: { type: 'object', additionalProperties: true },
                        fields: { type: 'object', additionalProperties: true },
                        form_id: { type: ['string', 'null'] },
                        contact: agentContact,
                        session: { type: ['object', 'null'], properties: { id: { type: 'string' }, data: { type: 'object', additionalProperties: true }, segments: { type: 'array', items: { type: 'string' } }, page_url: { type: ['string', 'null'] } } },
                        tickets: { type: 'array', items: { type: 'object', additionalProperties: true } },
                        notifications: { type: 'array', items: { type: 'object', additionalProperties: true } },
                    },
                },
            },
        },
        handler: async (request) => {
            const detail = await conversations.detail(request.operator.workspaceId, request.params.id);
            return { ...detail, tickets: await tickets.ofConversation(request.operator.workspaceId, detail.id) };
        },
    });
    app.get('/conversations/:id/messages', {
        schema: {
            params: idParams,
            querystring: { type: 'object', additionalProperties: false, properties: { after: cursor, limit: { type: 'string', pattern: '^[0-9]{1,4}$' }, key: { type: 'string' } } },
            response: { 200: { type: 'object', properties: { messages: { type: 'array', items: agentMessage } } } },
        },
        handler: async (request) => {
            const q = request.query;
            const limit = Math.min(Number(q.limit ?? 500) || 500, 1000);
            return { messages: await messages.operatorHistory(request.operator.workspaceId, request.params.id, Number(q.after ?? 0), limit) };
        },
    });
    app.post('/conversations/:id/messages', {
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['content'], properties: { content, internal: { type: 'boolean' } } },
            response: { 201: { type: 'object', properties: { message: agentMessage } } },
        },
        handler: async (request, reply) => {
            const op = request.operator;
            const body = request.body;
            if (!body.content.trim())
                throw new HttpError(400, 'invalid_request', 'body/content is empty');
            const message = await messages.operator(op.workspaceId, request.params.id, { id: op.agentId, name: op.agentName }, body);
            reply.status(201);
            return { message };
        },
    });
    const conversationUpdate = { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, assignee_id: { type: ['string', 'null'] } } } };
    app.post('/conversations/:id/assign', {
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['assignee_id'], properties: { assignee_id: { type: ['string', 'null'], maxLength: 64 } } },
            response: conversationUpdate,
        },
        handler: async (request) => conversations.update(request.operator.workspaceId, request.params.id, { assignee_id: request.body.assignee_id }),
    });
    app.post('/conversations/:id/status', {
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['open', 'pending', 'closed'] } } },
            response: conversationUpdate,
        },
        handler: async (request) => conversations.update(request.operator.workspaceId, request.params.id, { status: request.body.status }),
    });
    app.post('/conversations/:id/typing', {
        schema: {
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['typing'], properties: { typing: { type: 'boolean' } } },
            response: { 202: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
        handler: async (request, reply) => {
            const op = request.operator;
            await messages.operatorTyping(op.workspaceId, request.params.id, op.agentName, request.body.typing);
            reply.status(202);
            return { ok: true };
        },
    });
    app.post('/conversations/:id/read', {
        schema: { params: idParams, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
        handler: async (request) => {
            await messages.markReadByOperator(request.operator.workspaceId, request.params.id);
            return { ok: true };
        },
    });
    app.post('/presence', {
        schema: {
            body: { type: 'object', additionalProperties: false, required: ['online'], properties: { online: { type: 'boolean' } } },
            response: { 200: { type: 'object', properties: { available: { type: 'boolean' } } } },
        },
        handler: async (request) => {
            const op = request.operator;
            if (!op.agentId)
                throw new HttpError(400, 'invalid_request', 'This key belongs to no agent, so it has no presence');
            return { available: await presence.agent(op.workspaceId, op.agentId, request.body.online) };
        },
    });
    // ---- workspace settings the SDK reads: hours, menus, articles, survey, triggers ----
    app.put('/settings', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                properties: {
                    name: { type: 'string', minLength: 1, maxLength: 200 },
                    subdomain: { type: 'string', maxLength: 100 },
                    support_email: { type: 'string', format: 'email' },
                    languages: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }, minItems: 1 },
                    time_zone: { type: 'string', maxLength: 64 },
                    business_hours: openingHours,
                    after_hours_message: { type: 'object', additionalProperties: { type: 'string', maxLength: 2000 } },
                    max_file_bytes: { type: 'integer', minimum: 1, maximum: 26214400 },
                    prohibited_file_types: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]{1,10}$' } },
                    require_verification: { type: 'boolean' },
                    allowed_origins: { type: 'array', items: { type: 'string', maxLength: 300 } },
                    flags: { type: 'object', additionalProperties: { type: 'boolean' } },
                    survey_sign_off: { type: 'object', additionalProperties: { type: 'string', maxLength: 500 } },
                },
            },
            response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
        handler: (request) => company.updateSettings(request.operator.workspaceId, request.body),
    });
    await agentContentRoutes(app, { services });
    app.post('/ticket-forms', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['key', 'title', 'fields'],
                properties: {
                    key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
                    title: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
                    position: { type: 'integer' },
                    fields: {
                        type: 'array',
                        minItems: 1,
                        maxItems: 30,
                        items: {
                            type: 'object',
                            additionalProperties: false,
                            required: ['name', 'label', 'type'],
                            properties: {
                                name: { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' },
                                label: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
                                type: { type: 'string', enum: ['text', 'textarea', 'email', 'number', 'select', 'checkbox'] },
                                required: { type: 'boolean' },
                                options: { type: 'array', minItems: 1, items: { type: 'string', maxLength: 200 } },
                                max: { type: 'integer', minimum: 1, maximum: 10000 },
                            },
                        },
                    },
                },
            },
            response: { 201: { type: 'object', properties: { key: { type: 'string' } } } },
        },
        handler: async (request, reply) => {
            const saved = await tickets.saveForm(request.operator.workspaceId, request.body);
            reply.status(201);
            return saved;
        },
    });
    app.delete('/ticket-forms/:key', {
        schema: {
            params: { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } } },
            response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' } } } },
        },
        handler: (request) => tickets.deleteForm(request.operator.workspaceId, request.params.key),
    });
    const str = { type: 'string' };
    const strOrNull = { type: ['string', 'null'] };
    const list = (name, properties) => ({ 200: { type: 'object', properties: { [name]: { type: 'array', items: { type: 'object', properties } } } } });
    app.get('/tickets', {
        schema: { response: list('tickets', { id: str, form_key: str, fields: { type: 'object', additionalProperties: true }, status: str, conversation_id: strOrNull, created_at: str }) },
        handler: async (request) => ({ tickets: await tickets.list(request.operator.workspaceId) }),
    });
    app.get('/emails', {
        schema: {
            response: list('emails', {
                id: str, menu_id: { type: ['integer', 'null'] }, lang: str, name: strOrNull, email: str, content: str, file_ids: { type: 'array', items: str }, status: str, created_at: str,
            }),
        },
        handler: async (request) => ({ emails: await email.list(request.operator.workspaceId) }),
    });
    app.get('/transcripts', {
        schema: { response: list('transcripts', { id: str, conversation_id: str, recipients: { type: 'array', items: str }, subject: str, body: str, status: str, error: strOrNull }) },
        handler: async (request) => ({ transcripts: await email.transcripts(request.operator.workspaceId) }),
    });
    app.get('/files/:id', {
        schema: { params: idParams },
        handler: async (request, reply) => {
            const f = await files.file(request.params.id, { workspaceId: request.operator.workspaceId });
            return sendFile(reply, f);
        },
    });
    app.get('/stream', {
        schema: { querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' }, last_event_id: cursor } } },
        handler: async (request, reply) => {
            const op = request.operator;
            // An open inbox is an operator online.
            if (op.agentId)
                await presence.agent(op.workspaceId, op.agentId, true);
            const after = lastEventId(request) ?? (await stream.cursor(op.workspaceId));
            const beat = op.agentId ? setInterval(() => void presence.agent(op.workspaceId, op.agentId, true).catch(() => { }), 30_000) : null;
            await serveStream(stream.bus, request, reply, {
                after,
                heartbeatMs,
                ...stream.operatorFeed(op.workspaceId),
                serialize: (e) => JSON.stringify({ ...e.payload, conversation_id: e.conversation_id }),
                onClose: () => {
                    if (beat)
                        clearInterval(beat);
                    if (op.agentId)
                        void presence.agent(op.workspaceId, op.agentId, false).catch(() => { });
                },
            });
        },
    });
}

/** The full messenger's widget routes: ticket forms, the help center, visitor data. */
async function messengerRoutes(app, { services, authenticate }) {
    const { tickets, content, sessions } = services;
    const article = { type: 'object', properties: { locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, excerpt: { type: 'string' } } };
    app.get('/ticket-forms', {
        preHandler: authenticate,
        schema: {
            querystring: langQuery,
            response: {
                200: {
                    type: 'object',
                    properties: {
                        forms: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    key: { type: 'string' },
                                    title: { type: 'string' },
                                    fields: {
                                        type: 'array',
                                        items: {
                                            type: 'object',
                                            properties: { name: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, options: { type: 'array', items: { type: 'string' } }, max: { type: 'integer' } },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        handler: async (request) => ({ forms: await tickets.forms(request.visitor.workspace.id, request.query.lang ?? 'en') }),
    });
    app.post('/tickets', {
        preHandler: authenticate,
        config: perMinute(20),
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['form_key', 'fields'],
                properties: { form_key: { type: 'string', minLength: 1, maxLength: 100 }, fields: { type: 'object', maxProperties: 50, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } },
            },
            response: { 201: { type: 'object', properties: { id: { type: 'string' }, form_key: { type: 'string' }, status: { type: 'string' } } } },
        },
        handler: async (request, reply) => {
            const body = request.body;
            reply.status(201);
            return tickets.create(request.visitor.session, body.form_key, body.fields);
        },
    });
    app.get('/articles', {
        preHandler: authenticate,
        schema: {
            querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 500 }, locale: lang, token: { type: 'string' } } },
            response: { 200: { type: 'object', properties: { articles: { type: 'array', items: article } } } },
        },
        handler: async (request) => {
            const { q, locale = 'en' } = request.query;
            return { articles: await content.findArticles(request.visitor.workspace.id, q, locale) };
        },
    });
    app.get('/articles/:locale/:slug', {
        preHandler: authenticate,
        schema: {
            params: { type: 'object', properties: { locale: lang, slug: { type: 'string', maxLength: 100 } } },
            response: { 200: { type: 'object', properties: { locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' } } } },
        },
        handler: async (request) => {
            const { locale, slug } = request.params;
            return content.article(request.visitor.workspace.id, locale, slug);
        },
    });
    app.post('/articles/:locale/:slug/feedback', {
        preHandler: authenticate,
        config: perMinute(30),
        schema: {
            params: { type: 'object', properties: { locale: lang, slug: { type: 'string', maxLength: 100 } } },
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['helpful'],
                properties: { helpful: { type: 'boolean' }, comment: { type: 'string', maxLength: 1000 } },
            },
            response: {
                200: {
                    type: 'object',
                    properties: { locale: { type: 'string' }, slug: { type: 'string' }, helpful: { type: 'boolean' }, comment: { type: ['string', 'null'] }, updated_at: { type: 'string' } },
                },
            },
        },
        handler: async (request) => {
            const { locale, slug } = request.params;
            const { helpful, comment } = request.body;
            return content.rateArticle(request.visitor.session, locale, slug, helpful, comment);
        },
    });
    app.post('/session-data', {
        preHandler: authenticate,
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                properties: { data: { type: 'object', maxProperties: 100 }, segments: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 100 } } },
            },
            response: { 200: { type: 'object', properties: { data: { type: 'object', additionalProperties: true }, segments: { type: 'array', items: { type: 'string' } } } } },
        },
        handler: async (request) => {
            const body = request.body;
            return sessions.setData(request.visitor.session.id, body.data, body.segments);
        },
    });
}

/** What a visitor's stream may carry, by event type; anything else is left out. */
const serializer = (schema) => fastJson(schema);
const visitorEvents = {
    message: serializer({ type: 'object', properties: { message: widgetMessage } }),
    'conversation.status': serializer({ type: 'object', properties: { conversation_id: { type: 'string' }, status: { type: 'string' } } }),
    'chat.updated': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, status: { type: 'string' } } }),
    'chat.member_joined': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, member: { type: 'object', properties: { name: { type: ['string', 'null'] }, type: { type: 'string' } } } } }),
    'chat.member_left': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, member: { type: 'object', properties: { type: { type: 'string' } } } } }),
    availability: serializer({ type: 'object', properties: { available: { type: 'boolean' } } }),
    read: serializer({ type: 'object', properties: { chat_id: { type: 'string' }, message_id: { type: 'string' } } }),
    typing: serializer({ type: 'object', properties: { chat_id: { type: 'string' }, typing: { type: 'boolean' }, name: { type: ['string', 'null'] } } }),
    'session.switched': serializer({ type: 'object', properties: { switched: { type: 'boolean' } } }),
};
const identityBody = {
    type: 'object',
    additionalProperties: false,
    properties: {
        external_id: { type: 'string', maxLength: 255 },
        id: { type: 'string', maxLength: 255 },
        email: { type: 'string', maxLength: 320, format: 'email' },
        name: { type: 'string', maxLength: 255 },
        phone: { type: 'string', maxLength: 64 },
        company: { type: 'string', maxLength: 255 },
        avatar_url: { type: 'string', maxLength: 2048, pattern: '^https?://' },
        custom_data: { type: 'object', maxProperties: 100 },
        user_hash: { type: 'string', maxLength: 256 },
        email_hash: { type: 'string', maxLength: 256 },
        jwt: { type: 'string', maxLength: 8192 },
    },
};
async function widgetRoutes(app, { services, messagesPerMinute, sessionsPerMinute, heartbeatMs }) {
    const { sessions, conversations, messages, presence, stream, identity, feedback } = services;
    // CORS mechanics from the plugin; which origins a workspace allows is checked per request below.
    await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'last-event-id'], maxAge: 600 });
    const authenticate = visitorAuth(sessions);
    await sdkRoutes(app, { services, authenticate });
    await messengerRoutes(app, { services, authenticate });
    await schedulingWidgetRoutes(app, { services, authenticate });
    const sessionResponse = {
        200: {
            type: 'object',
            properties: {
                session: { type: 'object', properties: { id: { type: 'string' }, token: { type: 'string' } } },
                workspace: { type: 'object', properties: { name: { type: 'string' } } },
                agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
                contact: widgetContact,
                conversation: { type: ['object', 'null'], properties: { id: { type: 'string' }, status: { type: 'string' } } },
                available: { type: 'boolean' },
                team: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, avatar_url: { type: ['string', 'null'] } } } },
                booking: { type: 'boolean' },
                unread_count: { type: 'integer' },
                stream_cursor: { type: 'integer' },
                resumed: { type: 'boolean' },
            },
        },
    };
    app.post('/sessions', {
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['public_key'],
                properties: {
                    public_key: { type: 'string', minLength: 1, maxLength: 200 },
                    session_token: { type: 'string', maxLength: 200 },
                    locale: { type: 'string', maxLength: 35 },
                    page_url: { type: 'string', maxLength: 2048 },
                },
            },
            response: sessionResponse,
        },
        config: perMinute(sessionsPerMinute),
        handler: async (request) => {
            const body = request.body;
            const { workspace, agent } = await sessions.workspaceByPublicKey(body.public_key);
            refuseOrigin(workspace, request);
            let token = body.session_token;
            let session = null;
            if (token) {
                try {
                    const found = await sessions.byToken(sha256(token));
                    if (found.workspace.id === workspace.id)
                        session = found.session;
                }
                catch {
                    session = null; // an old or foreign token: start afresh
                }
            }
            const resumed = session !== null;
            if (!session) {
                token = randomToken();
                session = await sessions.create(workspace, agent?.id ?? null, sha256(token), body);
            }
            else {
                await sessions.touch(session.id, body.page_url);
            }
            const conversation = await conversations.current(session);
            return {
                session: { id: session.id, token },
                workspace: { name: workspace.name },
                agent,
                contact: await sessions.contact(session.contact_id),
                conversation: conversation ? { id: conversation.id, status: conversation.status } : null,
                available: await presence.available(workspace.id),
                team: await presence.team(workspace.id),
                booking: await services.bookings.offered(workspace.id),
                unread_count: await messages.unreadForVisitor(session),
                stream_cursor: await stream.cursor(workspace.id),
                resumed,
            };
        },
    });
    app.post('/identify', {
        preHandler: authenticate,
        schema: {
            body: identityBody,
            response: {
                200: {
                    type: 'object',
                    properties: {
                        contact: widgetContact,
                        verified: { type: 'boolean' },
                        // true: the session now holds another person than before (not the same one enriched, nor an anonymous
                        // visitor identified): the client drops everything of the previous one (chat, history, drafts, outbox).
                        switched: { type: 'boolean' },
                        conversation: { type: ['object', 'null'], properties: { id: { type: 'string' }, status: { type: 'string' } } },
                        unread_count: { type: 'integer' },
                    },
                },
            },
        },
        handler: async (request) => {
            const { session, workspace } = request.visitor;
            const { contact, switched } = await identity.identify(session, workspace, request.body);
            const updated = { ...session, contact_id: contact.id };
            const conversation = await conversations.current(updated);
            return { contact, verified: contact.verified, switched, conversation: conversation ? { id: conversation.id, status: conversation.status } : null, unread_count: await messages.unreadForVisitor(updated) };
        },
    });
    app.post('/identity-token', {
        preHandler: authenticate,
        schema: { response: { 200: { type: 'object', properties: { token: { type: ['string', 'null'] }, expires_in: { type: 'integer' } } } } },
        handler: (request) => identity.token(request.visitor.session, request.visitor.workspace),
    });
    app.get('/messages', {
        preHandler: authenticate,
        schema: {
            querystring: { type: 'object', additionalProperties: false, properties: { after: cursor, limit: { type: 'string', pattern: '^[0-9]{1,4}$' }, token: { type: 'string' } } },
            response: { 200: { type: 'object', properties: { messages: { type: 'array', items: widgetMessage }, cursor: { type: 'string' } } } },
        },
        handler: async (request) => {
            const q = request.query;
            const limit = Math.min(Math.max(Number(q.limit ?? 200), 1), 1000);
            const rows = await messages.visitorHistory(request.visitor.session, Number(q.after ?? 0), limit);
            return { messages: rows, cursor: String(rows.at(-1)?.seq ?? q.after ?? 0) };
        },
    });
    app.post('/messages', {
        preHandler: authenticate,
        config: perSessionPerMinute(messagesPerMinute),
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['client_id', 'content'],
                properties: { client_id: clientId, content, conversation_fields: { type: 'object', maxProperties: 50 } },
            },
            response: { 200: { type: 'object', properties: { message: widgetMessage } }, 201: { type: 'object', properties: { message: widgetMessage } } },
        },
        handler: async (request, reply) => {
            const body = request.body;
            if (!body.content.trim())
                throw new HttpError(400, 'invalid_request', 'body/content is empty');
            const { message, created } = await messages.visitor(request.visitor.session, body);
            reply.status(created ? 201 : 200);
            return { message };
        },
    });
    app.post('/commands', {
        preHandler: authenticate,
        config: perSessionPerMinute(60),
        schema: {
            body: { type: 'object', additionalProperties: false, required: ['command'], properties: { command: { type: 'string', minLength: 1, maxLength: 2000 } } },
            response: { 200: { type: 'object', properties: { applied: { type: 'string' } } } },
        },
        handler: async (request) => services.csCommands.apply(request.visitor.session, request.body.command),
    });
    app.post('/typing', {
        preHandler: authenticate,
        config: perSessionPerMinute(60),
        schema: {
            body: { type: 'object', additionalProperties: false, required: ['typing'], properties: { typing: { type: 'boolean' } } },
            response: { 202: { type: 'object', properties: { delivered: { type: 'boolean' } } } },
        },
        handler: async (request, reply) => {
            reply.status(202);
            return { delivered: await messages.visitorTyping(request.visitor.session, request.body.typing) };
        },
    });
    app.post('/read', {
        preHandler: authenticate,
        schema: { response: { 200: { type: 'object', properties: { unread_count: { type: 'integer' } } } } },
        handler: async (request) => {
            await messages.markReadByVisitor(request.visitor.session);
            return { unread_count: 0 };
        },
    });
    app.get('/stream', {
        preHandler: authenticate,
        schema: { querystring: { type: 'object', additionalProperties: false, properties: { token: { type: 'string' }, last_event_id: cursor } } },
        handler: async (request, reply) => {
            const { session, workspace } = request.visitor;
            const after = lastEventId(request) ?? (await stream.cursor(workspace.id));
            await serveStream(stream.bus, request, reply, {
                after,
                heartbeatMs,
                ...stream.visitorFeed({ workspace_id: workspace.id, id: session.id, contact_id: session.contact_id }, () => sessions.currentContact(session.id)),
                serialize: (e) => visitorEvents[e.type]?.(e.payload) ?? null,
            });
        },
    });
    app.post('/events', {
        preHandler: authenticate,
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, data: { type: 'object', maxProperties: 50 } },
            },
            response: { 202: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
        handler: async (request, reply) => {
            const body = request.body;
            await sessions.track(request.visitor.session, body.name, body.data);
            reply.status(202);
            return { ok: true };
        },
    });
    app.post('/presence', {
        preHandler: authenticate,
        schema: {
            body: { type: ['object', 'null'], additionalProperties: false, properties: { page_url: { type: 'string', maxLength: 2048 } } },
            response: { 200: { type: 'object', properties: { available: { type: 'boolean' } } } },
        },
        handler: async (request) => {
            const { session } = request.visitor;
            await sessions.touch(session.id, request.body?.page_url);
            return { available: await presence.available(session.workspace_id) };
        },
    });
    app.post('/csat', {
        preHandler: authenticate,
        schema: {
            body: {
                type: 'object',
                additionalProperties: false,
                required: ['type', 'score'],
                properties: {
                    type: { type: 'string', enum: ['csat', 'nps'] },
                    score: { type: 'integer' },
                    comment: { type: 'string', maxLength: 2000 },
                    conversation_id: { type: 'string', maxLength: 64 },
                },
            },
            response: { 201: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, score: { type: 'integer' } } } },
        },
        handler: async (request, reply) => {
            reply.status(201);
            return feedback.score(request.visitor.session, request.body);
        },
    });
}

const ROOT = `${ROOT$1}/`;
/** A strict Content-Security-Policy: no inline script or style, no eval. The demo page and inbox are served with it. */
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
function buildServices(options) {
    const stream = new Stream(options.db, options.bus);
    const sessions = new Sessions(options.db, options.bus);
    const company = new Company(options.db, options.now ?? systemClock);
    const conversations = new Conversations(stream, sessions);
    const messages = new Messages(stream, conversations);
    const content = new Content(options.db);
    const files = new Files(options.db, company);
    const mailer = options.smtpUrl ? createTransport(options.smtpUrl) : null;
    return {
        stream, sessions, company, conversations, messages, content, files,
        identity: new Identity(stream, sessions, options.now ?? systemClock),
        admin: new Admin(options.db, options.now ?? systemClock),
        presence: new Presence(stream),
        chats: new Chats(stream, conversations, messages, company, content, files),
        feedback: new Feedback(options.db, conversations, company),
        email: new Email(stream, conversations, messages, company, files, mailer, options.mailFrom),
        editor: new ContentEditor(options.db, company),
        tickets: new Tickets(stream, conversations),
        calls: new Calls(options.db, company),
        bookings: new Bookings(stream, conversations, messages, company),
        cobrowse: new Cobrowse(stream, conversations, company),
        csCommands: new CsCommands(stream, sessions, conversations, messages),
    };
}
async function buildApp(options) {
    const app = Fastify({
        logger: (options.logger ? { ...(options.logger === true ? {} : options.logger), serializers: { req: requestForLog } } : false),
        trustProxy: typeof options.trustProxy === 'number' ? hops(options.trustProxy) : (options.trustProxy ?? false),
        requestIdHeader: false,
        bodyLimit: 256 * 1024,
        frameworkErrors,
        ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, allowUnionTypes: true } },
    });
    const services = buildServices(options);
    installErrorHandling(app);
    // NUL characters, unpaired surrogates and malformed URLs refused for every route below.
    installInputChecks(app);
    await app.register(rateLimit, {
        global: false,
        errorResponseBuilder: (_request, context) => new HttpError(429, 'rate_limited', `Too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
    });
    await app.register(widgetRoutes, {
        prefix: '/api/widget', services, heartbeatMs: options.heartbeatMs,
        messagesPerMinute: options.messagesPerMinute ?? MESSAGES_PER_MINUTE, sessionsPerMinute: options.sessionsPerMinute ?? SESSIONS_PER_MINUTE,
    });
    await app.register(agentRoutes, { prefix: '/api/agent', services, heartbeatMs: options.heartbeatMs });
    // Alive (the process answers) and ready (the database answers, every migration applied): for a load balancer or an orchestrator.
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/readyz', async (_request, reply) => {
        try {
            const missing = await pendingMigrations(options.db);
            if (missing.length)
                return reply.status(503).send({ ready: false, reason: `migrations not applied: ${missing.join(', ')}` });
            return { ready: true };
        }
        catch (error) {
            return reply.status(503).send({ ready: false, reason: `database unreachable: ${error.message}` });
        }
    });
    // A shutdown ends the open streams first (their clients reconnect elsewhere or later), then waits for requests in flight.
    app.addHook('preClose', async () => {
        endStreams(app);
    });
    if (options.pages !== false)
        await pages(app, options.demoPages === false ? null : (options.demoPublicKey ?? ''));
    return app;
}
/** Trust the `n` nearest proxies' X-Forwarded-For entries, no more. */
const hops = (n) => (_address, hop) => hop < n;
/** A request as the log shows it: never a token from the query (files, streams), never a body or a header. */
const requestForLog = (request) => ({
    method: request.method,
    url: request.url.replace(/([?&](?:token|key|session_token)=)[^&]*/g, '$1[hidden]'),
    ip: request.ip,
});
async function pages(app, demoPublicKey) {
    await serveDist(app, `${ROOT}dist`);
    // The inbox's script, built by this package (server/rollup.config.mjs), brotli/gzip when asked.
    await app.register(fastifyStatic, { root: `${ROOT}server/public`, prefix: '/assets/', decorateReply: false, preCompressed: true });
    const page = async (file) => (await readFile(`${ROOT}${file}`, 'utf8')).replaceAll('%DEMO_PUBLIC_KEY%', demoPublicKey ?? '');
    app.get('/inbox', async (_request, reply) => {
        reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
        return page('server/inbox/index.html');
    });
    if (demoPublicKey === null) {
        app.get('/', async (_request, reply) => reply.redirect('/inbox'));
        return;
    }
    await app.register(fastifyStatic, { root: `${ROOT}demo`, prefix: '/demo/', decorateReply: false });
    app.get('/', async (_request, reply) => {
        reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
        return page('index.html');
    });
    app.get('/script-tag', async (_request, reply) => {
        reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
        return page('demo/script-tag.html');
    });
}

/** One process (PGlite): events go straight to this process's streams. */
class LocalBus {
    #emitter = new EventEmitter().setMaxListeners(0);
    async publish(event) {
        this.#emitter.emit('event', event);
    }
    subscribe(listener) {
        this.#emitter.on('event', listener);
        return () => this.#emitter.off('event', listener);
    }
    async close() {
        this.#emitter.removeAllListeners();
    }
}
const CHANNEL = 'chat_widget_events';
/** The advisory lock class of a workspace's event writers (the key's second half is the workspace id's hash). */
const EVENT_LOCK = 0x5e7e;
/**
 * Several processes on one PostgreSQL: NOTIFY carries the event's id (a
 * payload stays far under NOTIFY's 8 kB limit), each process LISTENs and
 * loads the row, then hands it to its own streams.
 */
async function pgBus(db) {
    const { default: pg } = await import('pg');
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    await listener.query(`listen ${CHANNEL}`);
    const local = new LocalBus();
    // Loads run one after another, so that events reach the streams in the order they were notified.
    let queue = Promise.resolve();
    listener.on('notification', (note) => {
        const id = Number(note.payload);
        if (!Number.isSafeInteger(id))
            return;
        queue = queue
            .then(async () => {
            const [row] = await db.query('select * from stream_events where id = $1', [id]);
            if (row)
                await local.publish(row);
        })
            .catch((error) => console.error('chat-widget: could not load a notified event', error));
    });
    return {
        async publish(event) {
            await db.query('select pg_notify($1, $2)', [CHANNEL, String(event.id)]);
        },
        inTransaction: {
            // One writer of a workspace's events at a time, from its first event id until its commit: ids are
            // taken in commit order. Held only for the end of a write (events are stored last), released at commit.
            async lock(q, workspaceIds) {
                for (const id of [...new Set(workspaceIds)].sort())
                    await q.query('select pg_advisory_xact_lock($1, hashtext($2))', [EVENT_LOCK, id]);
            },
            // Notified in the transaction: PostgreSQL delivers notifications in commit order, so in id order.
            async notify(q, events) {
                for (const e of events)
                    await q.query('select pg_notify($1, $2)', [CHANNEL, String(e.id)]);
            },
        },
        subscribe: (fn) => local.subscribe(fn),
        async close() {
            await listener.end();
            await local.close();
        },
    };
}

/** Creates a workspace with one operator, one bot, a widget key each and an operator key. */
async function createWorkspace(db, seed = {}) {
    const keys = {
        workspaceId: newId('ws'),
        publicKey: seed.publicKey ?? `pk_${randomToken(18)}`,
        operatorKey: seed.operatorKey ?? `sk_${randomToken(24)}`,
        identitySecret: seed.identitySecret ?? randomToken(32),
        agentId: newId('ag'),
        agentName: seed.agentName ?? 'Ada from Support',
        botId: newId('ag'),
        botKey: `pk_${randomToken(18)}`,
    };
    await db.tx(async (q) => {
        await q.query('insert into workspaces (id, name, identity_secret, require_verification, allowed_origins) values ($1, $2, $3, $4, $5)', [
            keys.workspaceId, seed.name ?? 'Demo workspace', keys.identitySecret, seed.requireVerification ?? false, seed.allowedOrigins ?? ['*'],
        ]);
        await q.query("insert into agents (id, workspace_id, name, kind, role) values ($1, $2, $3, 'person', 'admin'), ($4, $2, 'Helper bot', 'bot', 'agent')", [keys.agentId, keys.workspaceId, keys.agentName, keys.botId]);
        await q.query('insert into widget_keys (key, workspace_id, agent_id) values ($1, $2, null), ($3, $2, $4)', [keys.publicKey, keys.workspaceId, keys.botKey, keys.botId]);
        await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(keys.operatorKey), keys.workspaceId, keys.agentId]);
    });
    return keys;
}
/** What the demo workspace ships so that every feature can be tried at once: topics, help articles, a survey, a trigger. */
async function seedDemoContent(db, workspaceId) {
    await db.tx(async (q) => {
        // Two more faces for the messenger's home (they have no key: a demo of the team, not logins).
        await q.query(`insert into agents (id, workspace_id, name, kind) values ($2, $1, 'Ben Carter', 'person'), ($3, $1, 'Chloé Martin', 'person')`, [workspaceId, newId('ag'), newId('ag')]);
        await q.query(`update workspaces set subdomain = 'demo', support_email = 'support@demo.example', languages = array['en', 'fr', 'es', 'de', 'nl', 'ar'] where id = $1`, [workspaceId]);
        const [support] = await q.query(`insert into menus (workspace_id, position, key, names, channels) values ($1, 0, 'support', $2, array['chat', 'email']) returning id`, [workspaceId, JSON.stringify({ en: 'Product support', fr: 'Assistance produit', es: 'Soporte', de: 'Produktsupport', nl: 'Productondersteuning', ar: 'دعم المنتج' })]);
        await q.query(`insert into menus (workspace_id, position, parent_id, names, channels, deflection_enabled) values
         ($1, 0, $2, $3, array['chat', 'voice_call', 'email'], false), ($1, 1, $2, $4, array['chat', 'email'], true)`, [workspaceId, support.id, JSON.stringify({ en: 'Billing', fr: 'Facturation' }), JSON.stringify({ en: 'Technical problem', fr: 'Problème technique' })]);
        await q.query(`insert into menus (workspace_id, position, key, names, channels) values ($1, 1, 'sales', $2, array['chat', 'email'])`, [
            workspaceId, JSON.stringify({ en: 'Talk to sales', fr: 'Parler aux ventes' }),
        ]);
        const articles = [
            ['reset-password', 'Resetting your password', 'Open Settings, choose Security, then Reset password. We email you a link that works for one hour.'],
            ['refunds', 'Refunds and returns', 'Return any item within 30 days. Refunds reach your card within five working days of our receiving it.'],
            ['shipping', 'Shipping times', 'Orders ship within one working day. Delivery takes two to four days in Europe and five to eight elsewhere.'],
            ['install-widget', 'Installing the chat widget', 'Add one script tag with your public key, or the two HTML tags. Everything else is optional.'],
        ];
        for (const [slug, title, body] of articles) {
            await q.query('insert into articles (workspace_id, locale, slug, title, body) values ($1, $2, $3, $4, $5)', [workspaceId, 'en', slug, title, body]);
        }
        await q.query(`insert into survey_questions (workspace_id, position, type, display_text, valid_answers) values
      ($1, 0, 'rating', '{"en": "How easy was it to get help?"}', '[1, 5]'),
      ($1, 1, 'choice', '{"en": "Was your problem solved?"}', '["yes", "no", "partly"]'),
      ($1, 2, 'text', '{"en": "Anything we could do better?"}', null)`, [workspaceId]);
        const forms = [
            ['bug_report', { en: 'Report a bug', fr: 'Signaler un bug' }, [
                    { name: 'subject', label: { en: 'Subject', fr: 'Sujet' }, type: 'text', required: true, max: 200 },
                    { name: 'description', label: { en: 'What happened?', fr: 'Que s’est-il passé ?' }, type: 'textarea', required: true },
                    { name: 'priority_hint', label: { en: 'Priority', fr: 'Priorité' }, type: 'select', options: ['low', 'medium', 'high'] },
                    { name: 'email', label: { en: 'Email for updates', fr: 'E-mail pour le suivi' }, type: 'email' },
                ]],
            ['feature_request', { en: 'Request a feature', fr: 'Proposer une fonctionnalité' }, [
                    { name: 'title', label: { en: 'Feature', fr: 'Fonctionnalité' }, type: 'text', required: true, max: 200 },
                    { name: 'details', label: { en: 'Why would it help?', fr: 'En quoi cela aiderait-il ?' }, type: 'textarea' },
                ]],
        ];
        for (const [i, [key, title, fields]] of forms.entries()) {
            await q.query('insert into ticket_forms (workspace_id, key, title, fields, position) values ($1, $2, $3, $4, $5)', [workspaceId, key, JSON.stringify(title), JSON.stringify(fields), i]);
        }
        await q.query(`insert into meeting_types (workspace_id, name, duration_minutes, availability) values ($1, $2, 30, $3)`, [
            workspaceId, JSON.stringify({ en: 'Product demo', fr: 'Démonstration' }),
            JSON.stringify({ mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }),
        ]);
        await q.query(`insert into triggers (workspace_id, name, url_pattern, min_seconds_on_page, message) values ($1, 'Welcome', '*', 20, '{"en": "Hi! Questions about the demo? We are here."}')`, [workspaceId]);
    });
}
/**
 * The demo workspace (`DEMO=1`, which `npm start` sets): created and seeded on the first such start, found
 * again afterwards. Its secrets are returned once, at creation, for the start to print; only its public
 * key and ids are kept (demo_settings), never a secret. DEMO_PUBLIC_KEY and DEMO_OPERATOR_KEY fix its keys.
 */
async function demoWorkspace(db, env) {
    await db.exec('create table if not exists demo_settings (name text primary key, value jsonb not null)');
    const [saved] = await db.query("select value from demo_settings where name = 'keys'");
    if (saved) {
        const kept = saved.value;
        if (env.DEMO_PUBLIC_KEY && env.DEMO_PUBLIC_KEY !== kept.publicKey) {
            await db.query('update widget_keys set key = $1 where key = $2', [env.DEMO_PUBLIC_KEY, kept.publicKey]);
            kept.publicKey = env.DEMO_PUBLIC_KEY;
        }
        if (env.DEMO_OPERATOR_KEY) {
            await db.query('update operator_keys set key_hash = $1 where workspace_id = $2 and agent_id = $3', [sha256(env.DEMO_OPERATOR_KEY), kept.workspaceId, kept.agentId]);
        }
        // Earlier versions kept the secrets here too: no more.
        const value = { workspaceId: kept.workspaceId, publicKey: kept.publicKey, agentId: kept.agentId };
        await db.query("update demo_settings set value = $1 where name = 'keys'", [JSON.stringify(value)]);
        return { publicKey: kept.publicKey, agentId: kept.agentId, created: false };
    }
    const keys = await createWorkspace(db, {
        name: 'Demo workspace',
        publicKey: env.DEMO_PUBLIC_KEY || undefined,
        operatorKey: env.DEMO_OPERATOR_KEY || undefined,
        identitySecret: env.DEMO_IDENTITY_SECRET || undefined,
    });
    await seedDemoContent(db, keys.workspaceId);
    await db.query("insert into demo_settings (name, value) values ('keys', $1)", [JSON.stringify({ workspaceId: keys.workspaceId, publicKey: keys.publicKey, agentId: keys.agentId })]);
    return { publicKey: keys.publicKey, agentId: keys.agentId, created: true, operatorKey: keys.operatorKey, identitySecret: keys.identitySecret };
}

/**
 * The admin CLI: workspaces and operators managed without SQL, through the same
 * domain as the operator API's admin routes (server/domain/admin.ts). Run as
 * `node server/main.ts <subcommand>` / the package's bin. It opens the
 * database itself: DATABASE_URL (PostgreSQL; fine beside running servers), else
 * PGlite in DATA_DIR (default .data), which one process may hold at a time, so
 * with PGlite stop the server first (the CLI refuses while it runs).
 */
const USAGE = `Usage: chat-widget-server <command> [options]

Commands:
  migrate                                  apply the database migrations not applied yet
  workspace create --name N [--origins a,b] [--admin-name N] [--admin-email E]
                                           a workspace, its widget key, identity secret and first admin operator
  workspace list                           every workspace
  workspace set ID [--name N] [--origins a,b] [--require-verification true|false] [--languages en,fr]
                   [--hours "mon-fri 09:00-17:00, sat 10:00-13:00"|none] [--time-zone Europe/Paris]
                                           change a workspace (the rest of its settings: PUT /api/agent/settings)
  operator add --workspace ID --name N [--email E] [--avatar-url U] [--admin]
                                           an operator with their own key
  operator list --workspace ID             a workspace's operators
  operator remove ID                       remove an operator (their messages stay; their key stops working)
  operator rotate-key ID                   a new key for an operator (the old one stops working at once)
  identity-secret rotate --workspace ID [--grace-hours ${DEFAULT_GRACE_HOURS}]
                                           a new identity secret; the old one verifies for the grace period
  help                                     this text

Database: DATABASE_URL (PostgreSQL), else PGlite in DATA_DIR (default .data).
PGlite's data directory is one process's at a time: stop the server before running these,
or use PostgreSQL, where the CLI may run beside the servers.
Secrets (keys, identity secret) are printed once, when made: store them then.`;
class UsageError extends Error {
}
const COMMANDS = {
    migrate: { positional: 0, values: [] },
    help: { positional: 0, values: [] },
    'workspace create': { positional: 0, values: ['name', 'origins', 'admin-name', 'admin-email'], required: ['name'] },
    'workspace list': { positional: 0, values: [] },
    'workspace set': { positional: 1, values: ['name', 'origins', 'require-verification', 'languages', 'hours', 'time-zone'] },
    'operator add': { positional: 0, values: ['workspace', 'name', 'email', 'avatar-url'], switches: ['admin'], required: ['workspace', 'name'] },
    'operator list': { positional: 0, values: ['workspace'], required: ['workspace'] },
    'operator remove': { positional: 1, values: [] },
    'operator rotate-key': { positional: 1, values: [] },
    'identity-secret rotate': { positional: 0, values: ['workspace', 'grace-hours'], required: ['workspace'] },
};
function parse(argv) {
    const words = argv.filter((a) => a !== '--');
    if (!words.length || words.includes('--help') || words.includes('-h'))
        return { command: 'help', args: [], flags: {} };
    const one = words[0];
    const two = words.length > 1 ? `${one} ${words[1]}` : '';
    const command = COMMANDS[two] ? two : COMMANDS[one] ? one : null;
    if (!command) {
        const known = Object.keys(COMMANDS).filter((c) => c.startsWith(`${one} `));
        throw new UsageError(known.length ? `Unknown ${one} command ${JSON.stringify(words[1] ?? '')}: use ${known.join(', ')}` : `Unknown command ${JSON.stringify(one)}`);
    }
    const spec = COMMANDS[command];
    const rest = words.slice(command.split(' ').length);
    const args = [];
    const flags = {};
    for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        if (!word.startsWith('--')) {
            args.push(word);
            continue;
        }
        const [name, inline] = word.slice(2).split(/=(.*)/s, 2);
        if (spec.switches?.includes(name)) {
            if (inline !== undefined)
                throw new UsageError(`--${name} takes no value`);
            flags[name] = true;
        }
        else if (spec.values.includes(name)) {
            const value = inline ?? rest[++i];
            if (value === undefined || (inline === undefined && value.startsWith('--')))
                throw new UsageError(`--${name} needs a value`);
            flags[name] = value;
        }
        else {
            throw new UsageError(`Unknown option --${name} for "${command}"${spec.values.length || spec.switches?.length ? `: it takes ${[...spec.values, ...(spec.switches ?? [])].map((f) => `--${f}`).join(', ')}` : ''}`);
        }
    }
    if (args.length !== spec.positional) {
        throw new UsageError(spec.positional ? `"${command}" needs ${spec.positional === 1 ? 'an id' : `${spec.positional} arguments`}${args.length > 1 ? `, got ${args.length} arguments` : ''}` : `"${command}" takes no argument ${JSON.stringify(args[0])}`);
    }
    for (const name of spec.required ?? [])
        if (flags[name] === undefined)
            throw new UsageError(`"${command}" needs --${name}`);
    return { command, args, flags };
}
const list = (value) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);
const text = (value) => (typeof value === 'string' ? value : undefined);
function bool(value, name) {
    if (value === undefined)
        return undefined;
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new UsageError(`--${name} must be true or false`);
}
/** Opens the database the environment names (applying the migrations), and says what it applied. */
async function open(env) {
    const url = env.DATABASE_URL;
    const dataDir = resolve(env.DATA_DIR || '.data');
    const db = url ? await openPostgres(url) : await openPglite(dataDir);
    try {
        return { db, applied: await migrate(db), where: url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}` };
    }
    catch (error) {
        await db.close();
        throw error;
    }
}
function describeWorkspace(w) {
    return [
        `  widget public key      ${w.public_key ?? '(none)'}`,
        `  allowed origins        ${w.allowed_origins.join(', ')}`,
        `  require verification   ${w.require_verification}`,
        `  languages              ${w.languages.join(', ')}`,
        `  opening hours          ${describeHours(w.business_hours)} (${w.time_zone})`,
        ...(w.previous_identity_secret_until ? [`  previous identity secret verifies until ${w.previous_identity_secret_until}`] : []),
    ];
}
function describeHours(hours) {
    const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const days = Object.entries(hours).filter(([, spans]) => spans.length).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    return days.length ? days.map(([day, spans]) => `${day} ${spans.map(([a, b]) => `${a}-${b}`).join(' ')}`).join(', ') : 'always open';
}
const describeOperator = (o) => `${o.id}  ${o.role.padEnd(5)}  ${o.name}${o.email ? ` <${o.email}>` : ''}`;
/** The option each field of the domain's messages came from. */
const FLAG_OF = {
    'body/time_zone': 'time-zone', hours: 'hours', allowed_origins: 'origins', require_verification: 'require-verification', languages: 'languages', avatar_url: 'avatar-url', email: 'email', name: 'name', grace_hours: 'grace-hours',
};
const SHOWN_ONCE = 'Shown once, store it now:';
/**
 * Runs one admin command; answers the exit code: 0 done, 1 refused or failed
 * (the reason on stderr), 2 a command or option it does not know (with the usage).
 */
async function runCli(argv, env, out = process.stdout, err = process.stderr) {
    const say = (...lines) => void out.write(`${lines.join('\n')}\n`);
    let parsed;
    try {
        parsed = parse(argv);
        if (parsed.flags['require-verification'] !== undefined)
            bool(parsed.flags['require-verification'], 'require-verification');
        if (parsed.flags['grace-hours'] !== undefined && !/^\d+(\.\d+)?$/.test(String(parsed.flags['grace-hours']))) {
            throw new UsageError(`--grace-hours must be a number of hours from 0 to ${MAX_GRACE_HOURS}`);
        }
    }
    catch (error) {
        if (!(error instanceof UsageError))
            throw error;
        err.write(`${error.message}\n\n${USAGE}\n`);
        return 2;
    }
    const { command, args, flags } = parsed;
    if (command === 'help') {
        say(USAGE);
        return 0;
    }
    let opened;
    try {
        opened = await open(env);
    }
    catch (error) {
        err.write(`${error instanceof DataDirInUse ? error.message : `Could not open the database: ${error.message}`}\n`);
        return 1;
    }
    const { db, applied, where } = opened;
    const admin = new Admin(db);
    try {
        switch (command) {
            case 'migrate':
                say(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}` : `${where} is up to date: no migration to apply`);
                break;
            case 'workspace create': {
                const made = await admin.createWorkspace({
                    name: text(flags.name),
                    allowed_origins: list(flags.origins),
                    admin: { name: text(flags['admin-name']) ?? 'Admin', email: text(flags['admin-email']) ?? null },
                });
                say(`Created workspace "${made.workspace.name}" (${made.workspace.id}) in ${where}`, ...describeWorkspace(made.workspace), `  first admin            ${describeOperator(made.operator)}`, '', SHOWN_ONCE, `  identity secret        ${made.identity_secret}`, `  operator key           ${made.operator_key}   (${made.operator.name}, admin)`);
                if (made.workspace.allowed_origins.includes('*'))
                    say('', 'Any origin may load the widget: restrict it with  workspace set ID --origins https://your-site.example');
                break;
            }
            case 'workspace list': {
                const all = await admin.listWorkspaces();
                if (!all.length)
                    say(`No workspace yet in ${where}: create one with  workspace create --name "Your company"`);
                for (const w of all)
                    say(`${w.id}  ${w.name}  (${w.operators} operator${w.operators === 1 ? '' : 's'})`, ...describeWorkspace(w));
                break;
            }
            case 'workspace set': {
                const change = {
                    name: text(flags.name),
                    allowed_origins: list(flags.origins),
                    require_verification: bool(flags['require-verification'], 'require-verification'),
                    languages: list(flags.languages),
                };
                const hours = text(flags.hours) === undefined ? undefined : parseHours(text(flags.hours));
                const timeZone = text(flags['time-zone']);
                if (Object.values(change).every((v) => v === undefined) && hours === undefined && timeZone === undefined) {
                    err.write(`"workspace set" needs something to change: --name, --origins, --require-verification, --languages, --hours or --time-zone\n\n${USAGE}\n`);
                    return 2;
                }
                await admin.workspace(args[0]);
                // Hours and time zone are the settings' (PUT /api/agent/settings): the same checks and writes.
                if (hours !== undefined || timeZone !== undefined) {
                    await new Company(db).updateSettings(args[0], { ...(hours ? { business_hours: hours } : {}), ...(timeZone ? { time_zone: timeZone } : {}) });
                }
                const w = await admin.updateWorkspace(args[0], change);
                say(`Updated workspace "${w.name}" (${w.id})`, ...describeWorkspace(w));
                break;
            }
            case 'operator add': {
                const { operator, key } = await admin.addOperator(text(flags.workspace), {
                    name: text(flags.name), email: text(flags.email) ?? null, avatar_url: text(flags['avatar-url']) ?? null, role: flags.admin ? 'admin' : 'agent',
                });
                say(`Added operator ${describeOperator(operator)}`, '', SHOWN_ONCE, `  operator key           ${key}`);
                break;
            }
            case 'operator list': {
                const operators = await admin.operators(text(flags.workspace));
                say(...(operators.length ? operators.map(describeOperator) : ['No operator']));
                break;
            }
            case 'operator remove': {
                const removed = await admin.removeOperator(null, args[0]);
                say(`Removed operator ${removed.name} (${removed.id}): their key no longer works; their messages stay, signed with their name`);
                break;
            }
            case 'operator rotate-key': {
                const { operator, key } = await admin.rotateOperatorKey(null, args[0]);
                say(`New key for ${operator.name} (${operator.id}); the previous one no longer works`, '', SHOWN_ONCE, `  operator key           ${key}`);
                break;
            }
            case 'identity-secret rotate': {
                const grace = flags['grace-hours'] === undefined ? DEFAULT_GRACE_HOURS : Number(flags['grace-hours']);
                const rotated = await admin.rotateIdentitySecret(text(flags.workspace), grace);
                say(`New identity secret for workspace ${flags.workspace}`, rotated.previous_valid_until
                    ? `The previous one still verifies until ${rotated.previous_valid_until}: switch your site's signing to the new one before then`
                    : 'The previous one no longer verifies', '', SHOWN_ONCE, `  identity secret        ${rotated.identity_secret}`);
                break;
            }
        }
        return 0;
    }
    catch (error) {
        if (error instanceof HttpError) {
            // The domain names the field as the API does ("allowed_origins/1 ..."); here it came from an option.
            const flag = Object.entries(FLAG_OF).find(([field]) => error.message.startsWith(field));
            const message = flag ? `--${flag[1]}${error.message.slice(flag[0].length)}`.replace(/^(--[a-z-]+)\/(\d+) /, (_, f, n) => `${f} (entry ${Number(n) + 1}) `) : error.message;
            err.write(`${message}\n`);
            return 1;
        }
        err.write(`Failed: ${error.message}\n`);
        return 1;
    }
    finally {
        await db.close();
    }
}

var cli = /*#__PURE__*/Object.freeze({
    __proto__: null,
    USAGE: USAGE,
    parse: parse,
    runCli: runCli
});

/**
 * The server's entry: `node server/main.ts` (development, through tsx) or
 * `server/build/main.js` (production, `npm run serve`, the `chat-widget-server` bin).
 * With a subcommand (`migrate`, `workspace create`...) it is the admin CLI instead.
 * Its environment is README's table ("Deploying").
 */
const env = process.env;
const argv = process.argv.slice(2);
if (argv.length && argv[0] !== 'serve') {
    const { runCli } = await Promise.resolve().then(function () { return cli; });
    process.exit(await runCli(argv, env));
}
const began = performance.now();
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.DATA_DIR ?? '.data');
/** TRUST_PROXY: a number of proxy hops, `true`, or addresses/CIDRs (comma-separated) whose X-Forwarded-For is believed. */
function trustProxy(value) {
    if (!value || value === 'false')
        return undefined;
    if (value === 'true')
        return true;
    return /^\d+$/.test(value) ? Number(value) : value;
}
/** LOG: `0` none; else JSON lines on stdout at LOG_LEVEL (default info): request ids, never bodies, tokens or keys. */
const logger = env.LOG === '0' ? false : { level: env.LOG_LEVEL ?? 'info' };
const db = await openDb(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir });
const bus = db.kind === 'pg' ? await pgBus(db) : new LocalBus();
// The demo workspace only when asked (`npm start` asks; a production start seeds nothing).
const demo = env.DEMO === '1' ? await demoWorkspace(db, env) : null;
const app = await buildApp({
    db, bus, logger, trustProxy: trustProxy(env.TRUST_PROXY), demoPublicKey: demo?.publicKey ?? '', demoPages: !!demo,
    smtpUrl: env.SMTP_URL || undefined, mailFrom: env.MAIL_FROM || undefined,
});
await app.listen({ port, host });
const base = `http://${host}:${port}`;
const [{ n: workspaces }] = (await db.query('select count(*)::int as n from workspaces'));
const lines = [`chat-widget server up in ${Math.round(performance.now() - began)} ms (${db.kind === 'pg' ? 'PostgreSQL' : `PGlite in ${dataDir}`}, process ${process.pid})`, ''];
if (demo) {
    lines.push(`  demo page        ${base}/`, `  one script tag   ${base}/script-tag`, `  operator inbox   ${base}/inbox`);
}
lines.push(`  widget API       ${base}/api/widget`, `  operator API     ${base}/api/agent`, `  health           ${base}/healthz, ${base}/readyz`, '');
if (demo?.created) {
    lines.push('  The demo workspace was just created. Its secrets are shown this once: store them now.', `  widget public key    ${demo.publicKey}`, `  operator secret key  ${demo.operatorKey}`, `  identity secret      ${demo.identitySecret}`, '');
}
else if (demo) {
    lines.push(`  demo widget key  ${demo.publicKey}`, `  (its operator key was shown when it was created; a new one: npm run admin -- operator rotate-key ${demo.agentId})`, '');
}
else if (!workspaces) {
    lines.push('  No workspace yet. Create the first one (it prints its keys once):', '    npx chat-widget-server workspace create --name "My site" --origins https://www.example.com', '  (with PGlite, stop the server first: its data directory is one process\'s at a time)', '');
}
console.log(lines.join('\n'));
/** SHUTDOWN_TIMEOUT_MS: how long a shutdown waits for requests in flight before it stops anyway. */
const shutdownBound = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
let stopping = false;
const stop = async (signal) => {
    if (stopping)
        return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: no new connections; open streams told to reconnect');
    setTimeout(() => {
        app.log.error(`shutdown took over ${shutdownBound} ms: stopping anyway`);
        process.exit(1);
    }, shutdownBound).unref();
    await app.close();
    await bus.close();
    await db.close();
    process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
//# sourceMappingURL=main.js.map
