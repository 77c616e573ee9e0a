/** Co-browsing: a code the visitor reads to an operator, then the page recorded and streamed once they agree. */
import { recordPage, type Recording } from '../record-page.js';
import type { Core } from '../core.js';

export class CobrowseApi {
  #current: { id: string; recording: Recording | null } | null = null;

  readonly #core: Core;

  constructor(core: Core) {
    this.#core = core;
  }

  async createCode(): Promise<{ id: string; code: string; expires_at: string }> {
    await this.#core.ready();
    const code = await this.#core.request<{ id: string; code: string; expires_at: string }>('POST', '/cobrowse/code');
    this.#current = { id: code.id, recording: null };
    return code;
  }

  async start(): Promise<{ id: string }> {
    const core = this.#core;
    await core.ready();
    if (this.#current?.recording) return { id: this.#current.id };
    const started = await core.request<{ id: string }>('POST', '/cobrowse/start', this.#current ? { id: this.#current.id } : {});
    const id = started.id;
    const recording = await recordPage(async (events, final) => {
      if (events.length) await core.request('POST', `/cobrowse/${id}/events`, { events }, true, final);
      if (final) await core.request('POST', `/cobrowse/${id}/stop`, undefined, true, true).catch(() => {});
    });
    this.#current = { id, recording };
    core.events.emit('cobrowse.started', { id });
    return { id };
  }

  async stop(): Promise<void> {
    const current = this.#current;
    if (!current?.recording) return;
    this.#current = null;
    current.recording.stop();
    this.#core.events.emit('cobrowse.ended', { id: current.id });
  }
}
