/**
 * OpenTelemetry: one trace from the gateway through the subgraphs down to SQL, exported over OTLP/HTTP
 * to a collector (here a small HTTP server that keeps what it receives).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestStack } from '../helpers/stack';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP (JSON) traces receiver. */
async function startCollector() {
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{
            spans: Array<Omit<ExportedSpan, 'service' | 'attributes'> & { attributes: Array<{ key: string; value: Record<string, unknown> }> }>;
          }>;
        }>;
      };
      for (const resourceSpans of payload.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const { spans: list } of resourceSpans.scopeSpans) {
          for (const span of list) {
            const attributes = Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const KEPT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4737';
const NOTE = 'trace-test-note-must-not-be-exported';

let collector: Awaited<ReturnType<typeof startCollector>>;
let spans: ExportedSpan[];
beforeAll(async () => {
  collector = await startCollector();
  const stack = await startTestStack({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url });
  try {
    // The headline question, continuing a caller's trace: it crosses municipalities, support-centers and dispatch.
    const headline = await stack.query(
      '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code visits(first: 2) { totalCount } } } }',
      undefined,
      { ...stack.asAdmin, traceparent: `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01` },
    );
    expect(headline.body.errors).toBeUndefined();
    // The same question again, in another trace: a kept answer, handed out before Apollo Server (the short path).
    const kept = await stack.query(
      '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code visits(first: 2) { totalCount } } } }',
      undefined,
      { ...stack.asAdmin, traceparent: `00-${KEPT_TRACE_ID}-00f067aa0ba902b8-01` },
    );
    expect(kept.body).toEqual(headline.body);
    // A write whose variables hold a note: neither its text nor the SQL parameters may reach a span.
    const [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
    const { body } = await stack.query('mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }', {
      input: {
        prefectureCode: '01',
        date: '2025-06-01',
        advisorIds: [advisorId],
        municipalityCodes: ['011002'],
        format: 'ONLINE',
        purposes: ['COUNCIL'],
        notes: NOTE,
      },
    });
    expect(body.errors).toBeUndefined();
  } finally {
    await stack.stop(); // stopping flushes every service's spans to the collector
  }
  spans = collector.spans;
});
afterAll(() => collector?.close());

it('follows the caller’s trace from the gateway through each subgraph down to SQL', () => {
  const trace = spans.filter((s) => s.traceId === CALLER_TRACE_ID);
  const services = new Set(trace.map((s) => s.service));
  expect([...services].sort()).toEqual(['dispatch', 'gateway', 'municipalities', 'support-centers']);
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  // The gateway's server span continues the caller's span; Apollo Gateway's plan/fetch spans sit under it.
  const root = trace.find((s) => s.service === 'gateway' && s.name === 'POST /graphql')!;
  expect(root.parentSpanId).toBe('00f067aa0ba902b7');
  expect(trace.filter((s) => s.name === 'gateway.fetch').length).toBeGreaterThanOrEqual(3);
  // Each subgraph's server span is the child of a gateway fetch span (traceparent crossed HTTP) …
  const subgraphRoots = trace.filter((s) => s.service !== 'gateway' && s.name === 'POST /graphql');
  expect(subgraphRoots.length).toBeGreaterThanOrEqual(3);
  for (const span of subgraphRoots) expect(byId.get(span.parentSpanId!)?.name).toBe('gateway.fetch');
  // … and its SQL statements are children of that server span, in the same service.
  const sql = trace.filter((s) => s.name.startsWith('SQL '));
  expect(new Set(sql.map((s) => s.service))).toEqual(new Set(['municipalities', 'support-centers', 'dispatch']));
  for (const span of sql) {
    expect(byId.get(span.parentSpanId!)).toMatchObject({ service: span.service, name: 'POST /graphql' });
    expect(span.attributes['db.system']).toBe('postgresql');
    expect(span.attributes['db.query.text']).toMatch(/^\s*SELECT/i);
  }
});

it('gives a kept answer one server span in the caller’s trace, and no fetches', () => {
  const trace = spans.filter((s) => s.traceId === KEPT_TRACE_ID);
  expect(trace).toHaveLength(1);
  expect(trace[0]).toMatchObject({ service: 'gateway', name: 'POST /graphql', parentSpanId: '00f067aa0ba902b8' });
  expect(trace[0].attributes['url.path']).toBe('/graphql');
});

it('starts a new trace per request when the caller sends none', () => {
  const writeRoots = spans.filter((s) => s.service === 'gateway' && s.name === 'POST /graphql' && s.traceId !== CALLER_TRACE_ID && s.traceId !== KEPT_TRACE_ID);
  expect(writeRoots).toHaveLength(1);
  expect(writeRoots[0].parentSpanId).toBeUndefined();
  const writeSpans = spans.filter((s) => s.traceId === writeRoots[0].traceId);
  expect(writeSpans.some((s) => s.service === 'dispatch' && s.name.startsWith('SQL INSERT'))).toBe(true);
});

it('never exports a note or any SQL parameter', () => {
  expect(JSON.stringify(spans)).not.toContain(NOTE);
});
