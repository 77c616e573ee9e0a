import type { Store } from '../state/store.js';
import type { WidgetState } from '../state/types.js';
import { Core, type CommandNotices, type CommandsOptions, type Cross, type Ports } from './core.js';
import { panel } from './features/panel.js';
import { messaging } from './features/messaging.js';
import { identity } from './features/identity.js';
import { tickets } from './features/tickets.js';
import { help } from './features/help.js';
import { schedule } from './features/schedule.js';
import { cobrowse } from './features/cobrowse.js';
import { lifecycle } from './features/lifecycle.js';

export { MAX_MESSAGE_LENGTH, type IdentityInput } from '../protocol/index.js';
export { THEMES, POSITIONS, type WidgetOptions } from './features/panel.js';
export { COMMAND_NAMES, dispatch, type CommandName } from './registry.js';
export type { CommandNotices, CommandsOptions, Ports };

/** The features the dispatcher is composed of: each a set of commands over the one store, with its own pending state. */
export const FEATURES = { panel, messaging, identity, tickets, help, schedule, cobrowse, lifecycle };
export type Features = { [F in keyof typeof FEATURES]: ReturnType<(typeof FEATURES)[F]> };
type Panel = ReturnType<typeof panel>;
type Messaging = ReturnType<typeof messaging>;
type Identity = ReturnType<typeof identity>;
type Tickets = ReturnType<typeof tickets>;
type Help = ReturnType<typeof help>;
type Schedule = ReturnType<typeof schedule>;
type Cobrowse = ReturnType<typeof cobrowse>;
type Lifecycle = ReturnType<typeof lifecycle>;

/** Every feature's commands, as methods of the one dispatcher. */
export interface Commands extends Panel, Messaging, Identity, Tickets, Help, Schedule, Cobrowse, Lifecycle {}

/**
 * The canonical command set, the one writer of the store. Element methods, the
 * three dialects, the widget's own controls and the client's events (through
 * src/runtime/bind.ts) all come here; each command checks its arguments first
 * (a TypeError that says what is wrong, and nothing changes), then makes one
 * new snapshot. The commands live in features/, one file per feature.
 */
export class Commands {
  readonly #core: Core;

  constructor(store: Store<WidgetState>, options: CommandsOptions = {}) {
    this.#core = new Core(store, options);
    for (const feature of Object.values(FEATURES)) Object.assign(this, feature(this.#core, this));
  }

  readonly #extended = new Set<unknown>();

  /**
   * Adds the commands of a feature that loads with the views that call it (a chunk of its own, such as
   * ./features/schedule-flow.ts), once; returns the dispatcher with them.
   */
  extend<T extends object>(feature: (core: Core, c: Cross) => T): this & T {
    if (!this.#extended.has(feature)) {
      this.#extended.add(feature);
      Object.assign(this, feature(this.#core, this));
    }
    return this as this & T;
  }

  /** Notifications that are not a change of state: `error`, `identify`, `track`, `interaction`. */
  get notices(): Core['notices'] {
    return this.#core.notices;
  }

  get state(): WidgetState {
    return this.#core.state;
  }

  /** Connects the server (src/runtime/ports.ts); returns a function that disconnects it. */
  connect(ports: Ports): () => void {
    this.#core.port = ports;
    return () => {
      if (this.#core.port === ports) this.#core.port = null;
    };
  }

  /** Reports a failure to the page as `chat-error`. */
  error(code: string, message: string): void {
    this.#core.error(code, message);
  }
}
