/**
 * Prometheus metrics of one service (`GET /metrics`): requests and their latency by operation name,
 * errors by code, and what each kind of service adds (subgraph fetch latency at the gateway, database
 * pool use in a subgraph). Operation names are client-chosen, so their labels are bounded: the operations the
 * service knows (the gateway's trusted documents) always have theirs, and the first 50 other names that signed-in
 * callers send get one; the rest count as `other`. An anonymous caller's names never take one of the 50 (else
 * one could send 50 made-up names and leave every real operation `other` until a restart).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestContext } from './server';

const MAX_OPERATION_NAMES = 50;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  readonly requests: Counter<'operation'>;
  readonly latency: Histogram<'operation'>;
  readonly errors: Counter<'code'>;
  readonly subgraphFetch: Histogram<'subgraph' | 'outcome'>;
  readonly subgraphFetchesShared: Counter<'subgraph' | 'how'>;
  readonly answersKept: Counter<'how' | 'path'>;
  readonly subgraphReleaseMismatches: Counter<'subgraph'>;

  /** `knownOperations`: operation names that always have their label (the trusted documents'). */
  constructor(
    service: string,
    private readonly knownOperations: ReadonlySet<string> = new Set(),
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name.',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in responses by extensions.code.',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.subgraphFetch = new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Latency of the gateway fetches to each subgraph.',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.subgraphFetchesShared = new Counter({
      name: 'gateway_subgraph_fetches_shared_total',
      help: 'Subgraph queries not sent because the identical query was in flight (same viewer) or its kept answer was still current (how: in_flight, cached).',
      labelNames: ['subgraph', 'how'],
      registers: [this.registry],
    });
    this.answersKept = new Counter({
      name: 'gateway_answers_kept_total',
      help: 'Whole responses kept until their data changes (how: kept, used, stale; path: short, before Apollo Server, or apollo).',
      labelNames: ['how', 'path'],
      registers: [this.registry],
    });
    this.subgraphReleaseMismatches = new Counter({
      name: 'gateway_subgraph_release_mismatches_total',
      help: "Subgraph fetches refused as not fitting the subgraph's schema: it runs another release than the gateway's supergraph (a deployment under way).",
      labelNames: ['subgraph'],
      registers: [this.registry],
    });
  }

  /** The label for an operation name, bounded in number; `signedIn` whether its caller is (only they earn one). */
  operationLabel(name: string | null | undefined, signedIn: boolean): string {
    if (!name) return 'anonymous';
    if (this.knownOperations.has(name) || this.operations.has(name)) return name;
    if (!signedIn || this.operations.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return 'other';
    this.operations.add(name);
    return name;
  }

  /** A gauge read when scraped (e.g. database pool use). */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** A counter read when scraped from a running total kept elsewhere (e.g. SQL statements sent). */
  counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  /** Counts one answered request: by operation, its duration and its errors' codes. */
  countRequest(operationName: string | null | undefined, signedIn: boolean, seconds: number, errorCodes: unknown[]): void {
    const operation = this.operationLabel(operationName, signedIn);
    this.requests.inc({ operation });
    this.latency.observe({ operation }, seconds);
    for (const code of errorCodes) this.errors.inc({ code: String(code ?? 'UNKNOWN') });
  }

  plugin<C extends RequestContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ response, operationName, contextValue }) => {
            const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            this.countRequest(
              operationName,
              Boolean(contextValue.viewer?.role),
              (performance.now() - started) / 1000,
              errors.map((error) => error.extensions?.code),
            );
          },
        };
      },
    };
  }
}
