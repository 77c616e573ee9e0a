/** dist/recorder.js: the co-browsing recorder, loaded by the script-tag build only when a visitor agrees to share. */
export { record } from '@rrweb/record';
