/** Keys this widget keeps in the page's storage (through the consent storage), per widget public key. */
export const storageKey = (publicKey: string, name: string): string => `chat-widget:${publicKey}:${name}`;

/** The last known unread count: the script-tag bootstrap answers `Convot.get('chat:unread:count')` from it before the elements arrive. */
export const UNREAD_KEY = (publicKey: string): string => storageKey(publicKey, 'unread');
