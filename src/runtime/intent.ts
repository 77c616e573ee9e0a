/**
 * Set on `<chat-widget>` by the script tag's bootstrap (src/entries/loader.ts) when the visitor's
 * intent (a pointer over it, focus, a click) brought the elements in: the runtime then connects a
 * returning visitor at once instead of in the next idle moment. A module of its own so that the
 * bootstrap takes only this symbol.
 */
export const INTENT = Symbol.for('chat-widget/intent');
