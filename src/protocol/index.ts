/** The protocol shared by the widget, the headless client and the reference server. */
export * from './limits.js';
export * from './chat.js';
export * from './identity.js';
export * from './stream.js';
export * from './cs-parser.js';
