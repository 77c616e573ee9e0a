import { randomUUID } from 'node:crypto';

/** A new row id with its kind's prefix (cnv_, msg_, ses_...). */
export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;
