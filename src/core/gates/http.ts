import { redactUrls } from '../db/url.js';
import { GateUnknown, type GateDeps } from './outcome.js';

/** Bodies larger than this are not read: a gate needs a small JSON document or page. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_HEADERS_TIMEOUT: 'no answer (headers timeout)',
  UND_ERR_BODY_TIMEOUT: 'no answer (body timeout)',
};

/** Why a request failed below HTTP (refused, DNS, TLS…), in a few words. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (code && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) return `TLS error (${code})`;
  const message = typeof cause?.message === 'string' ? cause.message : String(error);
  return redactUrls(message);
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  redirect?: 'follow' | 'manual' | 'error';
}

/**
 * Sends one request with the gate's signal. A failure below HTTP ends the gate ⚪ with
 * its reason; an abort is rethrown for the runner (it knows timeout from interruption).
 * The response is returned whatever its status.
 */
export async function send(
  url: string,
  request: HttpRequest,
  deps: Pick<GateDeps, 'signal'>,
): Promise<Response> {
  try {
    return await fetch(url, { ...request, signal: deps.signal });
  } catch (error) {
    if (deps.signal.aborted) throw error;
    throw new GateUnknown(networkReason(error));
  }
}

function retryAfterSeconds(headers: Headers, now: Date): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    if (/^\s*\d+\s*$/.test(retryAfter)) return Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
  }
  // GitHub and Sentry name the moment the window resets, in epoch seconds.
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-sentry-rate-limit-reset');
  if (reset !== null && /^\s*\d+(\.\d+)?\s*$/.test(reset)) {
    return Math.max(0, Math.ceil(Number(reset) - now.getTime() / 1000));
  }
  return undefined;
}

/** The ⚪ reason a response gives (`HTTP 401`, `rate limited (retry after 60s)`), or undefined on 2xx. */
export function statusProblem(response: Response, now: Date): string | undefined {
  if (response.ok) return undefined;
  const limited =
    response.status === 429 ||
    (response.status === 403 &&
      (response.headers.get('x-ratelimit-remaining') === '0' ||
        response.headers.has('retry-after')));
  if (!limited) return `HTTP ${response.status}`;
  const wait = retryAfterSeconds(response.headers, now);
  return wait === undefined ? 'rate limited' : `rate limited (retry after ${wait}s)`;
}

/** Drops a body that will not be read, so the connection is freed at once. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/** Reads a body as text, up to MAX_BODY_BYTES. */
export async function readText(
  response: Response,
  deps: Pick<GateDeps, 'signal'>,
): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        await response.body.cancel().catch(() => {});
        throw new GateUnknown(`answer larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof GateUnknown || deps.signal.aborted) throw error;
    throw new GateUnknown(networkReason(error));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET a JSON document: any non-2xx status ends the gate ⚪ with its reason. */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  deps: Pick<GateDeps, 'signal' | 'clock'>,
): Promise<{ body: unknown; response: Response }> {
  const response = await send(url, { headers: { accept: 'application/json', ...headers } }, deps);
  const problem = statusProblem(response, deps.clock());
  if (problem) {
    await discard(response);
    throw new GateUnknown(problem);
  }
  const text = await readText(response, deps);
  try {
    return { body: JSON.parse(text) as unknown, response };
  } catch {
    throw new GateUnknown(`answer from ${new URL(url).host} is not JSON`);
  }
}
