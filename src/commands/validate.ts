/** Argument checks for the canonical commands: each throws a TypeError that names the command and says what is wrong. */

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

export function fail(command: string, what: string, value: unknown): never {
  throw new TypeError(`chat-widget: ${command}: ${what}, got ${describe(value)}`);
}

export function oneOf<T extends string>(command: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(command, `expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`, value);
  }
  return value as T;
}

export function string(command: string, value: unknown, { max = 10_000, empty = true } = {}): string {
  if (typeof value !== 'string') fail(command, 'expected a string', value);
  if (!empty && !value.trim()) fail(command, 'expected a non-empty string', value);
  if (value.length > max) fail(command, `expected at most ${max} characters`, `${value.length} characters`);
  return value;
}

export function boolean(command: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(command, 'expected true or false', value);
  return value;
}

export function plainObject(command: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) ||
      (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) {
    fail(command, 'expected a plain object', value);
  }
  return value as Record<string, unknown>;
}

export function color(command: string, value: unknown): string {
  const text = string(command, value, { max: 100 });
  const ok = typeof CSS !== 'undefined' && typeof CSS.supports === 'function'
    ? CSS.supports('color', text)
    : /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(text);
  if (!ok && text !== '') fail(command, 'expected a CSS colour such as "#2563eb"', value);
  return text;
}

/** A BCP 47 tag, checked with Intl; '' means "the browser's language". */
export function locale(command: string, value: unknown): string {
  const text = string(command, value, { max: 35 });
  if (text === '') return text;
  try {
    return Intl.getCanonicalLocales(text)[0]!;
  } catch {
    return fail(command, 'expected a BCP 47 language tag such as "en" or "fr-CA"', value);
  }
}
