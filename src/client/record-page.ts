/** Co-browsing's recording: the page recorded (rrweb, inputs masked) and handed over in batches. */
import { recorderLoader } from './cobrowse.js';

export interface Recording {
  stop(): void;
}

/**
 * Records the page and hands the events over in batches (`flush` every
 * `intervalMs`, and when the page goes away). Returns the recording to stop.
 */
export async function recordPage(send: (events: unknown[], final: boolean) => Promise<void>, intervalMs = 500): Promise<Recording> {
  const loadRecorder = recorderLoader();
  if (!loadRecorder) throw new Error('co-browsing: no recorder is configured for this build');
  const { record } = await loadRecorder();
  let buffer: unknown[] = [];
  let stopped = false;
  const flush = (final = false) => {
    if (!buffer.length && !final) return;
    const batch = buffer;
    buffer = [];
    void send(batch, final).catch(() => {
      if (!final) buffer = [...batch, ...buffer]; // try again with the next batch
    });
  };
  const stopRecording = record({
    emit: (event) => buffer.push(event),
    maskAllInputs: true,
    // The messenger itself is not part of what the operator sees.
    blockSelector: 'chat-widget, chat-launcher',
  });
  const timer = setInterval(() => flush(), intervalMs);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    stopRecording?.();
    globalThis.removeEventListener?.('pagehide', stop);
    flush(true);
  };
  // The recording ends with the page.
  globalThis.addEventListener?.('pagehide', stop);
  return { stop };
}
