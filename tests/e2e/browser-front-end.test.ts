/**
 * A browser front end on its own origin (CORS_ORIGINS), in headless Chromium: every request header the API
 * documents for clients passes the browser's preflight — a fresh read (`Cache-Control: no-cache`), OpenTelemetry's
 * `traceparent`, a request id of its own, Apollo Client's name and version and its CSRF header — and the page reads
 * what it needs of the answers (`x-request-id`, an export's file name). A header left out of the gateway's
 * preflight answer blocks the whole request in the browser, which no test outside a browser notices.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { todayInJapan } from '../../shared/dates';
import { browserTestFor, launchChromium } from '../helpers/browser';
import { startTestStack } from '../helpers/stack';

let page: Server;
let pageOrigin: string;
let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  // The front end's own origin: a page of its own, on another port than the gateway.
  page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>front end</title>'));
  await new Promise<void>((done) => page.listen(0, '127.0.0.1', done));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  stack = await startTestStack({ CORS_ORIGINS: pageOrigin });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((done) => page?.close(done));
});

const browserTest = browserTestFor('the browser front-end test');

browserTest('sends every documented header from another origin, and reads the request id and an export’s file name', async () => {
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    await tab.goto(pageOrigin);
    const staff = (await stack.as('PREFECTURE_STAFF', '01', 'browser-staff')).authorization;
    const origin = new URL(stack.gateway.url).origin;
    const results = await tab.evaluate(
      async ({ origin, authorization }) => {
        const headers = {
          authorization,
          'content-type': 'application/json',
          'cache-control': 'no-cache',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          tracestate: 'vendor=value',
          'x-request-id': 'front-end-0001',
          'accept-language': 'ja',
          'apollographql-client-name': 'advisor-web',
          'apollographql-client-version': '1.4.0',
          'x-apollo-operation-name': 'Towns',
        };
        const read = async (url: string, init: RequestInit) => {
          try {
            const response = await fetch(url, init);
            return {
              status: response.status,
              requestId: response.headers.get('x-request-id'),
              disposition: response.headers.get('content-disposition'),
              challenge: response.headers.get('www-authenticate'),
              text: (await response.text()).slice(0, 200),
            };
          } catch (error) {
            return { blocked: String(error) }; // what the browser does when the preflight refuses a header
          }
        };
        return {
          graphql: await read(`${origin}/graphql`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ query: 'query Towns { prefecture(code: "01") { name } }' }),
          }),
          get: await read(`${origin}/graphql?query=${encodeURIComponent('query Towns { prefectures { code } }')}`, { headers }),
          export: await read(`${origin}/export/municipality-status.csv?prefecture=01`, { headers: { authorization, 'cache-control': 'no-cache' } }),
          // A token the gateway refuses (expired, say): the page reads the 401 and how to sign in again.
          refused: await read(`${origin}/export/municipality-status.csv?prefecture=01`, { headers: { authorization: 'Bearer expired.token.here' } }),
        };
      },
      { origin, authorization: staff },
    );
    expect(results.graphql).toEqual({
      status: 200,
      requestId: 'front-end-0001',
      disposition: null,
      challenge: null,
      text: `${JSON.stringify({ data: { prefecture: { name: '北海道' } } })}\n`,
    });
    expect(results.get).toMatchObject({ status: 200, requestId: 'front-end-0001' });
    expect(results.export).toMatchObject({
      status: 200,
      requestId: expect.any(String),
      disposition: `attachment; filename="municipality-status_01_${todayInJapan()}.csv"`,
    });
    expect(results.refused).toMatchObject({
      status: 401,
      requestId: expect.any(String),
      challenge: 'Bearer realm="advisor-api", error="invalid_token", ApiKey realm="advisor-api"',
    });
  } finally {
    await browser.close();
  }
});

browserTest('saves an export under a name that says what it holds and as of when, in Japanese with ?lang=ja', async () => {
  const browser = await launchChromium();
  try {
    const staff = await stack.as('PREFECTURE_STAFF', '01', 'browser-staff');
    const context = await browser.newContext({ acceptDownloads: true, extraHTTPHeaders: staff });
    const tab = await context.newPage();
    const origin = new URL(stack.gateway.url).origin;
    const savedAs = async (path: string) => {
      const [download] = await Promise.all([tab.waitForEvent('download'), tab.goto(`${origin}${path}`).catch(() => undefined)]);
      return download.suggestedFilename();
    };
    expect(await savedAs('/export/municipality-status.xlsx?asOf=2025-04-01&lang=ja')).toBe('市町村別の整備状況_01_2025-04-01.xlsx');
    expect(await savedAs('/export/municipality-status.xlsx?asOf=2025-04-01')).toBe('municipality-status_01_2025-04-01.xlsx');
    expect(await savedAs('/export/visits.csv?fiscalYear=2024')).toBe('visits_01_FY2024_2025-03-31.csv');
    expect(await savedAs('/export/coverage-statistics.csv?asOf=2025-04-01&lang=ja')).toBe('整備状況（人口規模別・都道府県別）_2025-04-01.csv');
    expect(await savedAs('/import/bases.xlsx')).toBe(`bases_01_${todayInJapan()}.xlsx`);
  } finally {
    await browser.close();
  }
});
