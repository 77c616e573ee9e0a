import type { Commands } from '../commands.js';
import type { ChatEventDetails, ChatEventName } from '../../state/events.js';

/** What a dialect needs of a mounted widget: its commands, its events, and when it is ready. */
export interface WidgetHandle {
  readonly commands: Commands;
  on<K extends ChatEventName>(name: K, listener: (detail: ChatEventDetails[K]) => void): () => void;
  /**
   * Resolves when the widget can take commands (rendered; its session may come later);
   * `settled` is true from then on, so that a dialect installed later runs calls at once.
   */
  readonly ready: Promise<void> & { settled?: boolean };
  /** `session:reset` with `true`: reload the page. */
  reload(): void;
}

/** Runs a dialect call: a mistake in the page's call is a console error, never an exception in the page. */
export function guard(dialect: string, name: string, fn: () => unknown): unknown {
  try {
    const result = fn();
    if (result instanceof Promise) {
      return result.catch((error: Error) => {
        console.error(`${dialect}: ${name} failed: ${error.message}`);
        return undefined;
      });
    }
    return result;
  } catch (error) {
    console.error(`${dialect}: ${(error as Error).message}`);
    return undefined;
  }
}

/** A queue that holds calls until the widget is ready, then runs them (and later ones) in order. */
export function readyQueue(ready: Promise<void> & { settled?: boolean }): (call: () => unknown) => void {
  let isReady = ready.settled === true;
  const waiting: (() => unknown)[] = [];
  void ready.then(() => {
    isReady = true;
    for (const call of waiting.splice(0)) call();
  });
  return (call) => {
    if (isReady) call();
    else waiting.push(call);
  };
}
