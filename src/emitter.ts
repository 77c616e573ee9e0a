/** A small typed event emitter for the headless core (no DOM). */
export class Emitter<Events extends object> {
  readonly #handlers = new Map<keyof Events, Set<(detail: never) => void>>();

  on<K extends keyof Events>(name: K, handler: (detail: Events[K]) => void): () => void {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    set.add(handler as (detail: never) => void);
    return () => this.off(name, handler);
  }

  /** Without a handler, removes every handler of `name`. */
  off<K extends keyof Events>(name: K, handler?: (detail: Events[K]) => void): void {
    if (!handler) this.#handlers.delete(name);
    else this.#handlers.get(name)?.delete(handler as (detail: never) => void);
  }

  emit<K extends keyof Events>(name: K, detail: Events[K]): void {
    for (const handler of [...(this.#handlers.get(name) ?? [])]) {
      try {
        (handler as (d: Events[K]) => void)(detail);
      } catch (error) {
        // One faulty listener must not stop the others, nor the widget.
        console.error(`chat-widget: a "${String(name)}" listener threw`, error);
      }
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}
