import type { ChatMessage, VisitorIdentity } from '../../state/types.js';
import { IDENTITY_STRINGS, type IdentityInput } from '../../protocol/index.js';
import type { Core } from '../core.js';
import * as v from '../validate.js';

/** What identity and the session ask of the server. */
export interface IdentityPort {
  identify(identity: IdentityInput): Promise<void>;
  identityToken(): Promise<string | null>;
  reset(): Promise<void>;
  track(name: string, data: Record<string, unknown>): void;
  sessionData(update: { data?: Record<string, unknown>; segments?: readonly string[] }): void;
}

/** Nothing of the previous visitor stays on screen. */
const FORGET = {
  messages: Object.freeze([]) as readonly ChatMessage[],
  preview: null,
  draft: '',
  user: Object.freeze({}),
} as const;

/** Who the visitor is, and what the page tells about them and their session. */
export const identity = (core: Core) => ({
  /**
   * Connects the visitor to a customer identity: plain, or verified with
   * `user_hash`, `email_hash` or `jwt`. The details show at once; the server
   * checks the proof. Resolves when the server has it.
   */
  identify(identity: unknown): Promise<void> {
    const given = v.plainObject('identify(identity)', identity);
    for (const key of Object.keys(given)) {
      if (!(IDENTITY_STRINGS as readonly string[]).includes(key) && key !== 'custom_data') {
        v.fail('identify(identity)', `unknown field "${key}"; known: ${[...IDENTITY_STRINGS, 'custom_data'].join(', ')}`, identity);
      }
    }
    for (const key of IDENTITY_STRINGS) {
      if (given[key] !== undefined) v.string(`identify({${key}})`, given[key], { max: key === 'jwt' ? 8192 : 2048 });
    }
    if (given['custom_data'] !== undefined) v.plainObject('identify({custom_data})', given['custom_data']);
    const input = given as IdentityInput;
    const user: VisitorIdentity = Object.freeze({
      ...core.state.user,
      ...(input.id || input.external_id ? { external_id: input.external_id ?? input.id } : {}),
      ...(input.email ? { email: input.email } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
      ...(input.company ? { company: input.company } : {}),
      ...(input.avatar_url ? { avatar_url: input.avatar_url } : {}),
      ...(input.custom_data ? { custom_data: input.custom_data } : {}),
    });
    if (!core.port) {
      core.store.update({ user });
      core.notices.emit('identify', { identity: user });
      return Promise.resolve();
    }
    // Checked above, synchronously (a TypeError throws at the call); the server's answer comes later.
    return core.port.identify(input).catch((error: { code?: string; message?: string }) => {
      core.error(error.code ?? 'identify_failed', error.message ?? String(error));
      throw error;
    });
  },

  /** A short-lived signed identity token for a verified visitor, or null. */
  async identityToken(): Promise<string | null> {
    return core.port ? core.port.identityToken() : null;
  },

  /** Forgets the visitor in place: a new anonymous session, nothing of the previous one on screen. */
  async resetSession(): Promise<void> {
    core.store.update({
      ...FORGET,
      unreadCount: 0,
      sessionId: null,
      conversationFields: Object.freeze({}),
      sessionData: Object.freeze({}),
      segments: Object.freeze([]) as readonly string[],
    });
    await core.port?.reset();
  },

  setSessionData(data: unknown): void {
    const given = v.plainObject('setSessionData(data)', data);
    core.store.update((s) => ({ sessionData: Object.freeze({ ...s.sessionData, ...given }) }));
    core.port?.sessionData({ data: given });
  },

  setSegments(list: unknown): void {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      v.fail('setSegments(list)', 'expected an array of strings', list);
    }
    core.store.update({ segments: Object.freeze([...list]) });
    core.port?.sessionData({ segments: list });
  },

  setConversationFields(fields: unknown): void {
    const given = v.plainObject('setConversationFields(fields)', fields);
    core.store.update((s) => ({ conversationFields: Object.freeze({ ...s.conversationFields, ...given }) }));
  },

  trackEvent(name: unknown, data?: unknown): void {
    const event = v.string('trackEvent(name)', name, { max: 100, empty: false });
    const payload = data === undefined ? {} : v.plainObject('trackEvent(name, data)', data);
    core.notices.emit('track', { name: event, data: payload });
    core.port?.track(event, payload);
  },

  // ---- what the server says ----

  /** The server identified the visitor (their profile as it has it). */
  identified(identity: VisitorIdentity): void {
    core.store.update({ user: identity });
    core.notices.emit('identify', { identity });
  },

  /**
   * Another person now: nothing of the previous one stays (their chat, messages, unread, preview, draft);
   * the new person's history and lifecycle (topics, an ongoing chat of theirs) load next.
   */
  switched(unreadCount: number): void {
    core.store.update((s) => ({
      ...FORGET,
      unreadCount: s.open ? 0 : unreadCount,
      chat: null,
      topic: null,
      survey: null,
      upload: null,
      notice: null,
      typing: null,
      readUpTo: null,
      view: 'conversation',
    }));
  },
});
