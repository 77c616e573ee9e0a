export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a Server-Sent Events body (fetch, so that headers such as
 * Authorization and Last-Event-ID can be set) and calls `onEvent` per event.
 * Resolves when the body ends; rejects when it fails.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (e: SseMessage) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const e: SseMessage = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') e.id = value;
        else if (field === 'event') e.event = value;
        else if (field === 'data') data.push(value);
      }
      if (!data.length) continue;
      e.data = data.join('\n');
      onEvent(e);
    }
  }
}
