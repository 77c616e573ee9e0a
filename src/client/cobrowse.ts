/**
 * Co-browsing's recorder glue. The one part of src/ that reads the page: it
 * records it (rrweb, every input value masked) once the visitor has agreed,
 * and writes nothing to it. The recorder is loaded only then: each build says
 * where from (`setRecorderLoader`). The recording itself (record-page.ts) comes
 * with co-browsing's part of the client, on first use.
 */
export interface RecorderModule {
  record(options: { emit: (event: unknown) => void; maskAllInputs?: boolean; blockSelector?: string; sampling?: Record<string, unknown> }): (() => void) | undefined;
}

let loadRecorder: (() => Promise<RecorderModule>) | null = null;

/** Where the recorder comes from (a chunk of the ES build, or dist/recorder.js for the script-tag build). */
export function setRecorderLoader(loader: () => Promise<RecorderModule>): void {
  loadRecorder = loader;
}

/** The loader set for this build, if any. */
export const recorderLoader = (): (() => Promise<RecorderModule>) | null => loadRecorder;
