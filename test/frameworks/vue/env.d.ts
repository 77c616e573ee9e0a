// The tags' typings for vue-tsc and editors: GlobalComponents generated from the manifest.
import type {} from 'chat-widget/vue';
