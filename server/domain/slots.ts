import { isOpen } from './company.js';

export type Hours = Record<string, [string, string][]>;

/** "2023-05-31 11:45 +0000", the headless SDK's slot format (UTC). */
export function formatSlot(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} +0000`;
}

/**
 * Parses a time a visitor sends: ISO 8601 ("2023-05-31T11:45+0000",
 * "2023-05-31T11:45:00Z") or the slot format ("2023-05-31 11:45 +0000").
 * Null when it is not a time.
 */
export function parseTime(text: string): Date | null {
  const normal = text.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) ?/, '$1T$2').replace(/ ?([+-]\d{2}):?(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(normal)) return null;
  const date = new Date(normal);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Free slots from now on: starts every `stepMinutes`, each of `durationMinutes`
 * inside the opening hours (in the time zone), none overlapping what is taken,
 * none sooner than `leadMinutes` from now. At most `limit`, within `days`.
 */
export function freeSlots(options: {
  hours: Hours;
  timeZone: string;
  stepMinutes: number;
  durationMinutes: number;
  taken: { start: Date; end: Date }[];
  now?: Date;
  days?: number;
  leadMinutes?: number;
  limit?: number;
}): Date[] {
  const { hours, timeZone, stepMinutes, durationMinutes, taken } = options;
  const now = options.now ?? new Date();
  const step = stepMinutes * 60_000;
  const first = Math.ceil((now.getTime() + (options.leadMinutes ?? 15) * 60_000) / step) * step;
  const last = now.getTime() + (options.days ?? 7) * 86_400_000;
  const out: Date[] = [];
  for (let t = first; t < last && out.length < (options.limit ?? 200); t += step) {
    const start = new Date(t);
    const end = new Date(t + durationMinutes * 60_000);
    // Open at the start and through the last minute of the slot.
    if (!isOpen(hours, timeZone, start) || !isOpen(hours, timeZone, new Date(end.getTime() - 60_000))) continue;
    if (taken.some((b) => start < b.end && b.start < end)) continue;
    out.push(start);
  }
  return out;
}
