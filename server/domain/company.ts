import type { Db, Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import { systemClock, type Clock } from '../http/clock.js';
import type { Session } from './sessions.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DEFAULT_HANDLE_SECONDS = 300;

/** Picks a translation: the language asked, its base language, English, then any. */
export function pick(texts: Record<string, string> | null | undefined, lang: string): string | null {
  if (!texts) return null;
  const base = lang.split('-')[0]!;
  return texts[lang] ?? texts[base] ?? texts['en'] ?? Object.values(texts)[0] ?? null;
}

/** Whether `now` falls in the workspace's business hours (in its time zone). No hours set: always open. */
export function isOpen(hours: Record<string, [string, string][]>, timeZone: string, now = new Date()): boolean {
  if (!hours || Object.keys(hours).length === 0) return true;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const day = DAYS[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday']!)]!;
  const time = `${parts['hour']}:${parts['minute']}`;
  return (hours[day] ?? []).some(([from, to]) => time >= from && time < to);
}

/** The workspace as the messenger shows it: company details, settings, business hours, menus (topics) and wait times. */
export class Company {
  constructor(
    readonly db: Db,
    /** What time it is, for every decision on hours and slots. */
    readonly now: Clock = systemClock,
  ) {}

  async workspace(id: string): Promise<Row> {
    const [row] = await this.db.query('select * from workspaces where id = $1', [id]);
    return row!;
  }

  async company(workspaceId: string) {
    const w = await this.workspace(workspaceId);
    const names = new Intl.DisplayNames(['en'], { type: 'language' });
    return {
      name: w.name,
      subdomain: w.subdomain ?? '',
      support_email: w.support_email ?? '',
      languages: (w.languages as string[]).map((code) => ({ code, name: names.of(code) ?? code })),
      action_tracking: !!w.flags.action_tracking,
      email_transcripts: !!w.flags.email_transcripts,
      message_preview: !!w.flags.message_preview,
      email_enhancement: !!w.flags.email_enhancement,
    };
  }

  async afterHours(workspaceId: string, lang: string, now = this.now()): Promise<{ open: boolean; message: string | null }> {
    const w = await this.workspace(workspaceId);
    const open = isOpen(w.business_hours, w.time_zone, now);
    return { open, message: open ? null : pick(w.after_hours_message, lang) ?? 'We are away right now. Leave us an email and we will answer when we are back.' };
  }

  async menus(workspaceId: string, session: Session, key: string | undefined, lang: string) {
    const rows = await this.db.query('select * from menus where workspace_id = $1 order by position, id', [workspaceId]);
    const item = (m: Row): Row => {
      const children = rows.filter((c) => c.parent_id === m.id).map(item);
      return {
        id: Number(m.id),
        name: pick(m.names, lang) ?? undefined,
        enabled: m.enabled,
        ...(m.redirection ? { redirection: m.redirection } : {}),
        ...(children.length ? { children } : {}),
        channels: (m.channels as string[]).map((type) => ({ type, enabled: m.enabled })),
        deflection: { enabled: m.deflection_enabled, type: 'virtual_agent' },
      };
    };
    if (key) {
      const direct = rows.find((m) => m.key === key);
      if (!direct) throw new HttpError(404, 'unknown_menu_key', `No menu has the direct key "${key}"`);
      return { menus: [item(direct)], direct: { key: true, user: session.contact_id !== null } };
    }
    return { menus: rows.filter((m) => m.parent_id === null).map(item), direct: { key: false, user: session.contact_id !== null } };
  }

  async menu(workspaceId: string, menuId: number | string): Promise<Row> {
    if (!/^\d{1,15}$/.test(String(menuId))) throw new HttpError(400, 'invalid_request', `menu_id must be a menu's number, got ${JSON.stringify(menuId)}`);
    const [m] = await this.db.query('select * from menus where id = $1 and workspace_id = $2', [Number(menuId), workspaceId]);
    if (!m) throw new HttpError(404, 'unknown_menu', `Menu ${menuId} was not found`);
    return m;
  }

  /** A menu by its id alone (a chat's own menu), or null. */
  async menuById(id: number | string): Promise<Row | null> {
    const [m] = await this.db.query('select * from menus where id = $1', [id]);
    return m ?? null;
  }

  /**
   * Expected waits in seconds, from the live queue: the chats waiting for this
   * menu, the operators online, and the recent handle time (finished chats of
   * the last 7 days, else 5 minutes). Null when nobody is online.
   */
  async waitTimes(workspaceId: string, menuId: number | string) {
    const menu = await this.menu(workspaceId, menuId);
    const [row] = await this.db.query(
      `select
         (select count(*)::int from conversations where workspace_id = $1 and menu_id = $2 and chat_status = 'queued') as queued,
         (select count(*)::int from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as online,
         (select extract(epoch from avg(finished_at - coalesce(assigned_at, created_at)))::float from conversations
           where workspace_id = $1 and finished_at > now() - interval '7 days') as handle`,
      [workspaceId, menu.id],
    );
    const handle = row!.handle ?? DEFAULT_HANDLE_SECONDS;
    const estimate = row!.online > 0 ? Math.round((row!.queued / row!.online) * handle) : null;
    const channels = menu.channels as string[];
    return {
      chat: channels.includes('chat') ? estimate : null,
      voice_call: channels.includes('voice_call') ? estimate : null,
      queued: row!.queued,
      operators_online: row!.online,
    };
  }

  /** Changes the workspace's settings (the names are the body schema's; a time zone is checked). */
  /** What PUT /settings changes, as it is now: for the inbox's settings screen. */
  async settings(workspaceId: string) {
    const w = await this.workspace(workspaceId);
    return {
      name: w.name, subdomain: w.subdomain ?? '', support_email: w.support_email ?? '', languages: w.languages, time_zone: w.time_zone,
      business_hours: w.business_hours, after_hours_message: w.after_hours_message, max_file_bytes: w.max_file_bytes,
      prohibited_file_types: w.prohibited_file_types, flags: w.flags, survey_sign_off: w.survey_sign_off, appearance: w.appearance,
    };
  }

  async updateSettings(workspaceId: string, body: Record<string, unknown>): Promise<{ ok: true }> {
    if (typeof body.time_zone === 'string') {
      try {
        new Intl.DateTimeFormat('en', { timeZone: body.time_zone });
      } catch {
        throw new HttpError(400, 'invalid_request', `body/time_zone "${body.time_zone}" is not an IANA time zone`);
      }
    }
    const json = new Set(['business_hours', 'after_hours_message', 'flags', 'survey_sign_off', 'appearance']);
    const keys = Object.keys(body);
    if (!keys.length) return { ok: true };
    await this.db.query(
      `update workspaces set ${keys.map((k, i) => `${k} = $${i + 2}${json.has(k) ? '::jsonb' : ''}`).join(', ')} where id = $1`,
      [workspaceId, ...keys.map((k) => (json.has(k) ? JSON.stringify(body[k]) : body[k]))],
    );
    return { ok: true };
  }
}
