import type { Core } from '../core.js';

/** What co-browsing asks of the server. */
export interface CobrowsePort {
  cobrowseCode(): Promise<string>;
  startCobrowse(): Promise<void>;
  stopCobrowse(): Promise<void>;
}

/** Co-browsing: the visitor's consent, sharing, stopping. */
export const cobrowse = (core: Core) => ({
  /** The visitor asks to share their screen: the code to read out, and a consent question. */
  shareScreen(): Promise<boolean> {
    core.store.update({ cobrowse: Object.freeze({ phase: 'consent', code: null }) });
    return core.run('cobrowse', async (port) => {
      const code = await port.cobrowseCode();
      core.store.update((s) => ({ cobrowse: s.cobrowse && Object.freeze({ ...s.cobrowse, code }) }));
    });
  },

  /** The visitor agreed: recording starts now, not before. */
  allowCobrowse(): Promise<boolean> {
    return core.run('cobrowse', async (port) => {
      await port.startCobrowse();
      core.store.update((s) => ({ cobrowse: Object.freeze({ phase: 'live', code: s.cobrowse?.code ?? null }) }));
    });
  },

  /** Stops sharing (or declines). */
  async stopCobrowse(): Promise<void> {
    const live = core.state.cobrowse?.phase === 'live';
    core.store.update({ cobrowse: null });
    if (live) await core.port?.stopCobrowse();
  },
});
