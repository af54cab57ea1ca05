/**
 * Deduplication of identical subgraph queries in flight: when the same viewer's identical query to
 * the same subgraph is already on its way (many advisors opening the same page, a dashboard's
 * polling), later callers wait for that answer instead of sending another. Safe by construction:
 * the key holds the viewer header, so no answer is shared between viewers; mutations are never
 * shared; and each caller parses the shared text on its own, so no caller sees another's objects.
 */
import { VIEWER_HEADER } from '../shared/context';
import type { SubgraphAnswer, SubgraphCall } from './subgraph-http';

const headerOf = (headers: RequestInit['headers'], name: string): string => {
  if (!headers) return '';
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  if (Array.isArray(headers)) return headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
  return (headers as Record<string, string>)[name] ?? '';
};

/** The operation the gateway sends a subgraph starts with its type: `query …`, `mutation …` or `{`. */
const isQuery = (body: string) => {
  const { query } = JSON.parse(body) as { query?: unknown };
  return typeof query === 'string' && !/^\s*(mutation|subscription)\b/.test(query);
};

export function dedupeInFlight(call: SubgraphCall, onShared?: () => void): SubgraphCall {
  const inFlight = new Map<string, Promise<SubgraphAnswer>>();
  return (input, init) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined || !isQuery(body)) return call(input, init);
    const key = `${input}\n${headerOf(init.headers, VIEWER_HEADER)}\n${body}`;
    let answer = inFlight.get(key);
    if (answer) onShared?.();
    else {
      answer = call(input, init).finally(() => inFlight.delete(key));
      inFlight.set(key, answer);
    }
    return answer;
  };
}
