/** What the client needs of a storage: the three methods of Web Storage. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type StoragePolicy = 'none' | 'session' | 'local';

/**
 * Storage that writes nothing until it is allowed (the visitor's first
 * interaction, or the page saying so): until then writes are kept in memory,
 * and reads see them first. `allow()` writes what is pending to the real
 * storage; with the 'none' policy it never does.
 */
export class ConsentStorage implements KeyValueStorage {
  readonly #pending = new Map<string, string | null>();
  readonly #onAllow = new Set<() => void>();
  #allowed: boolean;

  constructor(readonly policy: StoragePolicy, allowed: boolean) {
    this.#allowed = allowed && policy !== 'none';
  }

  get allowed(): boolean {
    return this.#allowed;
  }

  #target(): KeyValueStorage | null {
    try {
      if (this.policy === 'local') return globalThis.localStorage ?? null;
      if (this.policy === 'session') return globalThis.sessionStorage ?? null;
    } catch {
      // Storage denied (sandboxed frame, privacy settings): memory only.
    }
    return null;
  }

  getItem(key: string): string | null {
    if (this.#pending.has(key)) return this.#pending.get(key)!;
    try {
      return this.#target()?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  setItem(key: string, value: string): void {
    if (this.#allowed) this.#write(key, value);
    else this.#pending.set(key, value);
  }

  removeItem(key: string): void {
    if (this.#allowed) this.#write(key, null);
    else this.#pending.set(key, null);
  }

  /** From now on writes go to the real storage; what waited is written now. */
  allow(): void {
    if (this.#allowed || this.policy === 'none') return;
    this.#allowed = true;
    for (const [key, value] of this.#pending) this.#write(key, value);
    this.#pending.clear();
    for (const fn of this.#onAllow) fn();
  }

  /** Runs `fn` when writing becomes allowed. */
  onAllow(fn: () => void): () => void {
    this.#onAllow.add(fn);
    return () => this.#onAllow.delete(fn);
  }

  #write(key: string, value: string | null): void {
    try {
      const target = this.#target();
      if (value === null) target?.removeItem(key);
      else target?.setItem(key, value);
    } catch {
      this.#pending.set(key, value); // full or denied: keep it in memory
    }
  }
}
