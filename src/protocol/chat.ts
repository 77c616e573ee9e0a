/** A chat's lifecycle, as the server keeps it and the client and the messenger show it. */
export const CHAT_STATUSES = ['va_assigned', 'queued', 'assigned', 'finished', 'dismissed'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

/** A chat that is still going on (a visitor may write in it, an operator may take it). */
export const OPEN_CHAT_STATUSES = ['va_assigned', 'queued', 'assigned'] as const satisfies readonly ChatStatus[];
