/**
 * The server's notion of "now" for decisions (business hours, free slots,
 * "in the past", code expiry). Injected through buildApp's `now` option so
 * tests choose the hour; the system clock otherwise.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
