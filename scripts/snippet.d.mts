/** The inline snippet for a page (scripts/snippet.mjs). */
export function inlineSnippet(options: { server: string; publicKey: string; nonce?: string; attributes?: Record<string, string | true>; label?: string }): Promise<string>;
