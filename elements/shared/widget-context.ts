import { ContextConsumer } from '@lit/context';
import type { ReactiveElement } from 'lit';
import { commandsContext, stateContext } from '../../src/context.js';
import type { Commands } from '../../src/commands/commands.js';
import type { WidgetState } from '../../src/state/types.js';

/**
 * The widget's snapshot and commands, for a part of the panel: both consumed
 * from the enclosing `<chat-widget>`; a new snapshot re-renders the host.
 */
export class WidgetContext {
  readonly #state: ContextConsumer<typeof stateContext, ReactiveElement>;
  readonly #commands: ContextConsumer<typeof commandsContext, ReactiveElement>;

  constructor(host: ReactiveElement) {
    this.#state = new ContextConsumer(host, { context: stateContext, subscribe: true });
    this.#commands = new ContextConsumer(host, { context: commandsContext });
  }

  get state(): WidgetState | undefined {
    return this.#state.value;
  }

  get commands(): Commands | undefined {
    return this.#commands.value;
  }
}
