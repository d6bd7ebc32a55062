/**
 * Asking a NATS server's monitoring endpoint what KEDA's scaler asks: `eds preflight` and
 * `eds dev` read the same `/jsz` query, within a time and a size limit.
 */

/** An answer larger than this is refused rather than held in memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** `host:port`, or `[v6]:port`. */
export const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;

/** The query KEDA's nats-jetstream scaler makes for `account` (nats_jetstream_scaler.go). */
export function jszQuery(endpoint: string, account: string): string {
  return `http://${endpoint}/jsz?acc=${encodeURIComponent(account)}&consumers=true&config=true`;
}

/** The body of `url` as JSON, within the time and size limits; a one-line reason otherwise. */
export async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (reader === undefined) throw new Error('an empty answer');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(`an answer over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('an answer that is not JSON');
  }
}

/** One line saying why a request failed. */
export function reason(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return 'no answer in time';
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
