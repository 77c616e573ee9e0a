/** Limits and patterns that the widget, the headless client and the server all check the same way. */

/** The longest chat message, in UTF-16 code units (as `String.length` counts). */
export const MAX_MESSAGE_LENGTH = 10_000;

/** A page of a conversation's messages: as many as asked, 50 when not said, never more than 200. */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** A page's cursor: a message's position, as an earlier page gave it. */
export const PAGE_CURSOR = /^[0-9]{1,15}$/;

/** The longest file name an upload may carry. */
export const MAX_FILE_NAME_LENGTH = 255;

/** What counts as an email address (a local part, an @, a domain with a dot). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isEmail = (value: unknown): value is string => typeof value === 'string' && EMAIL.test(value);

/** A phone number in E.164 form: a +, the country code, then the number (7 to 15 digits in all). */
export const E164 = /^\+[1-9]\d{6,14}$/;
