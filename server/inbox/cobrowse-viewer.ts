import type { InboxClient } from './inbox-client.js';

interface ReplayerLike {
  startLive(baseline?: number): void;
  addEvent(event: unknown): void;
  destroy(): void;
  iframe: HTMLIFrameElement;
}

/**
 * Watches a co-browsing session live: the page as the visitor sees it, rebuilt
 * by rrweb's replayer from the recorded events (inputs arrive masked).
 * `refresh()` fetches what was recorded since; the inbox calls it on each
 * `cobrowse.events` notice.
 */
export class CobrowseViewer {
  #last = 0;
  #replayer: ReplayerLike | null = null;
  #pending: Promise<void> = Promise.resolve();

  constructor(readonly client: InboxClient, readonly id: string, readonly root: HTMLElement) {}

  /** Loads the replayer and what is recorded so far. */
  async start(): Promise<void> {
    const { Replayer } = await import('@rrweb/replay');
    const { events, last } = await this.client.call<{ events: { timestamp: number }[]; last: number }>('GET', `/cobrowse/${this.id}/events?after=0`);
    this.#last = last;
    const replayer = new Replayer([], { root: this.root, liveMode: true, mouseTail: false }) as unknown as ReplayerLike;
    this.#replayer = replayer;
    replayer.startLive(events[0]?.timestamp ?? Date.now());
    for (const e of events) replayer.addEvent(e);
  }

  /** Adds the events recorded since the last call (one fetch at a time). */
  refresh(): Promise<void> {
    this.#pending = this.#pending.then(async () => {
      if (!this.#replayer) return;
      const { events, last } = await this.client.call<{ events: unknown[]; last: number }>('GET', `/cobrowse/${this.id}/events?after=${this.#last}`);
      this.#last = last;
      for (const e of events) this.#replayer.addEvent(e);
    });
    return this.#pending;
  }

  /** The rebuilt page's document (for checks). */
  get document(): Document | null {
    return this.#replayer?.iframe.contentDocument ?? null;
  }

  stop(): void {
    this.#replayer?.destroy();
    this.#replayer = null;
  }
}
