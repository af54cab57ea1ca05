/**
 * OpenTelemetry tracing, off unless an OTLP endpoint is configured. One trace follows a request:
 * a server span at the gateway (continuing the caller's `traceparent` if any), Apollo Gateway's own
 * plan/execute/fetch spans, the W3C `traceparent` sent with each subgraph fetch, a server span in the
 * subgraph, and a span per SQL statement.
 *
 * Each service has its own tracer provider, so spans carry the right `service.name` even when
 * `npm start` runs every service in one process. The gateway's provider is also the global one,
 * because Apollo Gateway creates its spans through the global API.
 */
import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { type Context, SpanKind, SpanStatusCode, type Tracer, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RequestHandler } from 'express';
import { Client } from 'pg';
import type { TracingConfig } from './config';

/** A service's tracing: its tracer (a no-op one when tracing is off) and how to flush on stop. */
export interface ServiceTracing {
  enabled: boolean;
  tracer: Tracer;
  /** Express middleware: a server span around each request, in whose context the request runs. */
  middleware: RequestHandler;
  /** Runs `handle` in the request's server span before express has routed it (the same span express's middleware then uses). */
  around<T>(req: IncomingMessage, res: ServerResponse, path: string, handle: () => T): T;
  /** Exports the spans still buffered and stops the provider. */
  shutdown(): Promise<void>;
}

/** The tracer of the service handling the current request, for spans made in shared code (SQL). */
const SERVICE_TRACER = createContextKey('advisor.service-tracer');

let processWideSetUp = false;
/** The context manager, the propagator and the SQL spans are process-wide: set them up once. */
function setUpProcessWide(): void {
  if (processWideSetUp) return;
  processWideSetUp = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  traceSqlStatements();
}

export function createTracing(serviceName: string, config: TracingConfig, options: { global?: boolean } = {}): ServiceTracing {
  if (!config.endpoint) {
    const tracer = trace.getTracer('advisor-supergraph'); // no provider registered: spans are no-ops
    return {
      enabled: false,
      tracer,
      middleware: (_req, _res, next) => next(),
      around: (_req, _res, _path, handle) => handle(),
      shutdown: async () => undefined,
    };
  }
  setUpProcessWide();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint, httpAgentOptions: exporterAgent }))],
  });
  if (options.global) trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer('advisor-supergraph');
  return {
    enabled: true,
    tracer,
    middleware: serverSpanMiddleware(tracer),
    around: (req, res, path, handle) => context.with(serverSpanContext(tracer, req, res, path, req.url ?? path), handle),
    shutdown: () => provider.shutdown(),
  };
}

/** The exporter's own default loads `http` with import(), which Jest's CommonJS runtime cannot run. */
const exporterAgent = (protocol: string) => (protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));

/** Reads the caller's `traceparent`, if any, so the request's spans join the caller's trace. */
function extractFrom(headers: IncomingHttpHeaders): Context {
  return propagation.extract(context.active(), headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => carrier[key],
  });
}

/** Each request's server span, made once: by express's middleware, or before express (gateway/answer-cache.ts's short path). */
const serverSpans = new WeakMap<IncomingMessage, Context>();

function serverSpanContext(tracer: Tracer, req: IncomingMessage, res: ServerResponse, path: string, url: string): Context {
  const made = serverSpans.get(req);
  if (made) return made;
  const parent = extractFrom(req.headers).setValue(SERVICE_TRACER, tracer);
  const span = tracer.startSpan(
    `${req.method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': url.split('?')[0] } },
    parent,
  );
  res.on('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  const within = trace.setSpan(parent, span);
  serverSpans.set(req, within);
  return within;
}

function serverSpanMiddleware(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    context.with(serverSpanContext(tracer, req, res, `${req.baseUrl}${req.path === '/' ? '' : req.path}`, req.originalUrl), next);
  };
}

/** Adds the current trace context (`traceparent`) to an outgoing request's headers. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/**
 * One span per SQL statement, child of the request's span: pg's `Client#query` is wrapped once per
 * process. The span holds the statement's text, never its parameters (they may hold notes).
 */
function traceSqlStatements(): void {
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function tracedQuery(this: Client, ...args: unknown[]) {
    const active = context.active();
    const tracer = active.getValue(SERVICE_TRACER) as Tracer | undefined;
    const first = args[0] as string | { text?: unknown; submit?: unknown } | undefined;
    const text = typeof first === 'string' ? first : typeof first?.submit === 'function' ? undefined : first?.text;
    if (!tracer || !trace.getSpan(active) || typeof text !== 'string') return query.apply(this, args);
    const span = tracer.startSpan(`SQL ${text.trim().split(/\s+/, 1)[0]?.toUpperCase() ?? ''}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'postgresql', 'db.namespace': this.database ?? '', 'db.query.text': text.slice(0, 4000) },
    });
    const end = (error?: unknown) => {
      // The driver's code only: its message and detail may quote the data.
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as { code?: unknown }).code ?? 'error') });
      span.end();
    };
    const callbackAt = args.findIndex((arg) => typeof arg === 'function');
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (error: unknown, result: unknown) => void;
      args[callbackAt] = (error: unknown, result: unknown) => {
        end(error);
        callback(error, result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown> | undefined;
    if (!result || typeof result.then !== 'function') {
      end();
      return result;
    }
    return result.then(
      (value) => {
        end();
        return value;
      },
      (error: unknown) => {
        end(error);
        throw error;
      },
    );
  } as typeof Client.prototype.query;
}
