/**
 * The gateway's HTTP client for subgraph calls: undici (Node's own HTTP/1.1 client, as a library) with
 * kept-alive connections, a timeout, and the answer read whole into plain data (which
 * gateway/subgraph-cache.ts can share). Apollo Gateway gets a minimal fetch-like response over it.
 * Measured on loopback (README, Performance): about half the CPU per call of node's http client, which
 * in turn cost markedly less than WHATWG fetch with its streams.
 */
import { STATUS_CODES } from 'node:http';
import { Agent } from 'undici';

/** A subgraph's answer, read whole. */
export interface SubgraphAnswer {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export type SubgraphCall = (url: string, init: RequestInit) => Promise<SubgraphAnswer>;

// Idle connections are closed after 30 s, before a subgraph would close them (shared/http.ts: 65 s);
// the cap also applies to a subgraph's Keep-Alive hint, which undici would otherwise follow.
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000 });

/** Each URL's origin and path, parsed once (the gateway calls the same few URLs). */
const targets = new Map<string, { origin: string; path: string }>();
function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size < 1000) targets.set(url, target);
  }
  return target;
}

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Sends a request to a subgraph (POST unless `init.method` says otherwise); rejects with the socket's
 * error (e.g. ECONNREFUSED, UND_ERR_SOCKET) or, when no answer comes within `timeoutMs`, a TimeoutError.
 */
export async function postToSubgraph(url: string, init: RequestInit, timeoutMs: number): Promise<SubgraphAnswer> {
  const { origin, path } = targetOf(url);
  try {
    const response = await dispatcher.request({
      origin,
      path,
      method: (init.method ?? 'POST') as 'POST',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : undefined,
      // Subgraphs send an answer whole once it is ready: waiting for its headers is waiting for it.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const body = await response.body.text();
    const headers: Record<string, string> = {};
    for (const name in response.headers) {
      const value = response.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { url, status: response.statusCode, statusText: STATUS_CODES[response.statusCode] ?? '', headers, body };
  } catch (error) {
    if (TIMEOUTS.has((error as { code?: string }).code ?? '')) {
      const timeout = new Error(`no answer within ${timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      throw timeout;
    }
    throw error;
  }
}

/** What Apollo Gateway reads of a fetch response, over an answer; each caller gets its own. */
export function asFetchResponse(answer: SubgraphAnswer) {
  return {
    ok: answer.status >= 200 && answer.status < 300,
    status: answer.status,
    statusText: answer.statusText,
    url: answer.url,
    headers: { get: (name: string) => answer.headers[name.toLowerCase()] ?? null },
    text: async () => answer.body,
    json: async () => JSON.parse(answer.body) as unknown,
  };
}
