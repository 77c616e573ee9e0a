export type Listener<T> = (next: T, prev: T) => void;

/**
 * Holds one immutable snapshot and publishes a new one on every change.
 * `update` takes a patch (or a function of the current snapshot); a patch that
 * changes nothing publishes nothing.
 */
export class Store<T extends object> {
  #state: T;
  readonly #listeners = new Set<Listener<T>>();

  constructor(initial: T) {
    this.#state = Object.freeze({ ...initial });
  }

  get state(): T {
    return this.#state;
  }

  update(patch: Partial<T> | ((state: T) => Partial<T>)): T {
    const prev = this.#state;
    const changes = typeof patch === 'function' ? patch(prev) : patch;
    const keys = Object.keys(changes) as (keyof T)[];
    if (!keys.some((k) => !Object.is(prev[k], changes[k]))) return prev;
    const next = Object.freeze({ ...prev, ...changes });
    this.#state = next;
    for (const listener of [...this.#listeners]) listener(next, prev);
    return next;
  }

  subscribe(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
