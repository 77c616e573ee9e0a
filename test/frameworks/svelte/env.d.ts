// The tags' typings for svelte-check and editors, generated from the manifest.
import type {} from 'chat-widget/svelte';
