/**
 * The subgraphs' data versions as the gateway asks them (shared/data-version.ts says what moves one): every
 * reuse of something a subgraph said — a kept answer, a subgraph's answer, a sign-in's check — asks first
 * whether that subgraph's version still stands.
 */
import { DATA_VERSION_PATH } from '../shared/data-version';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { postToSubgraph } from './subgraph-http';

/**
 * The versions one request has asked for, by subgraph: every check it makes (its sign-in's, its kept
 * answer's) reuses the one answer, which was sent after the request arrived.
 */
export type VersionsAsked = Map<string, Promise<string | undefined>>;

/** Each subgraph's current data version, asked anew for every request (one question in flight per subgraph). */
export class DataVersions {
  private readonly probes = new Map<string, () => Promise<string | undefined>>();

  constructor(urls: Record<string, string>, gatewaySecret: string, timeoutMs: number) {
    for (const [name, url] of Object.entries(urls)) {
      const ask = async () => {
        const answer = await postToSubgraph(
          new URL(DATA_VERSION_PATH, url).href,
          { method: 'GET', headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret } },
          timeoutMs,
        );
        if (answer.status !== 200) return undefined;
        const { version } = JSON.parse(answer.body) as { version?: unknown };
        return typeof version === 'string' ? version : undefined;
      };
      this.probes.set(name, coalesced(ask));
    }
  }

  /** Whether every subgraph named is still at the version given (false if one cannot tell); `asked`: this request's answers so far. */
  async unchanged(versions: Iterable<[string, string]>, asked?: VersionsAsked): Promise<boolean> {
    const checks = [...versions].map(async ([name, version]) => (await this.current(name, asked)) === version);
    return (await Promise.all(checks)).every(Boolean);
  }

  private current(name: string, asked?: VersionsAsked): Promise<string | undefined> {
    let answer = asked?.get(name);
    if (!answer) {
      answer = this.probes.get(name)?.() ?? Promise.resolve(undefined);
      asked?.set(name, answer);
    }
    return answer;
  }
}

/**
 * A question whose answer was sent after the call: joins the one waiting to be sent, or sends one now
 * if none is in flight, or waits for the one in flight and then sends the next.
 */
export function coalesced<T>(ask: () => Promise<T>): () => Promise<T | undefined> {
  let sending: Promise<T | undefined> | undefined;
  let waiting: Promise<T | undefined> | undefined;
  const send = () => {
    const sent: Promise<T | undefined> = ask()
      .catch(() => undefined)
      .finally(() => {
        if (sending === sent) sending = undefined;
      });
    sending = sent;
    return sent;
  };
  return () => {
    if (waiting) return waiting;
    if (!sending) return send();
    waiting = sending.then(() => {
      waiting = undefined;
      return send();
    });
    return waiting;
  };
}
