/**
 * The offline explorer (GraphiQL at /explorer): its page and assets come from the gateway alone, its
 * saved operations run, and in headless Chromium the page loads the schema docs and runs a query.
 * The browser part needs Chromium (Debian's `chromium`); without it that part is skipped with a
 * warning, unless REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { savedOperations } from '../../gateway/explorer/explorer';
import { projectPath } from '../../shared/paths';
import { startTestStack } from '../helpers/stack';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
/** Git-ignored: where the screenshot goes. */
const REPORTS = projectPath('reports');

let stack: Awaited<ReturnType<typeof startTestStack>>;
let origin: string;
beforeAll(async () => {
  stack = await startTestStack();
  origin = new URL(stack.gateway.url).origin;
});
afterAll(() => stack?.stop());

it('serves the page and every asset itself, under a policy that forbids other origins', async () => {
  const page = await fetch(`${origin}/explorer`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  expect(assets).toHaveLength(5);
  for (const asset of assets) {
    expect(asset).toMatch(/^\/explorer\/assets\//); // same origin: no CDN
    const response = await fetch(`${origin}${asset}`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(500);
  }
  expect((await fetch(`${origin}/explorer/assets/../../package.json`)).status).toBe(404);
});

it('has saved operations that are valid and run without errors', async () => {
  const operations = savedOperations();
  expect(operations.map((o) => o.file)).toEqual([
    '1-headline-gaps.graphql',
    '2-advisor-worklist.graphql',
    '3-coverage-statistics.graphql',
    '4-municipality.graphql',
    '5-activity-indicators.graphql',
    '6-prefectural-programs.graphql',
    '7-self-plans-by-class.graphql',
  ]);
  for (const { file, query } of operations) {
    const { body } = await stack.query(query);
    expect({ file, errors: body.errors }).toEqual({ file, errors: undefined });
    expect(Object.values(body.data!)[0]).not.toBeNull();
  }
  // A saved operation that no longer matches the schema would fail above; this checks the check.
  const broken = await stack.query(operations[0].query.replace('population', 'populationX'));
  expect(broken.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

const browserTest = CHROMIUM || process.env.REQUIRE_BROWSER ? it : it.skip;
if (!CHROMIUM) {
  const message = "Chromium not found (install Debian's chromium or set CHROMIUM_PATH): the explorer browser test";
  if (process.env.REQUIRE_BROWSER) it('has a browser to test the explorer in', () => expect(message).toBe('found'));
  else console.warn(`${message} is skipped`);
}

browserTest('loads in headless Chromium, shows the schema docs and runs a saved query', async () => {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => void requested.push(request.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => void pageErrors.push(error.message));

    await page.goto(`${origin}/explorer`);
    await page.waitForSelector('.graphiql-container', { timeout: 20_000 });

    // The docs come from introspection of the supergraph, with the schema's descriptions.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer-root-type', { timeout: 20_000 });
    await page.click('.graphiql-doc-explorer-root-type + a.graphiql-doc-explorer-type-name:text-is("Query")');
    await page.waitForSelector('.graphiql-doc-explorer-title:has-text("Query")', { timeout: 20_000 });
    const docs = await page.textContent('.graphiql-doc-explorer');
    expect(docs).toContain('coverageStatistics'); // a field of Query …
    expect(docs).toContain('協議会ガイドラインのセルフチェック'); // … with the descriptions

    // The first tab holds the headline query; run it and wait for the answer.
    await page.click('.graphiql-execute-button');
    await page.locator('.result-window', { hasText: 'coreCenterGaps' }).waitFor({ timeout: 20_000 });
    const result = (await page.textContent('.result-window')) ?? '';
    expect(result).toContain('"name": "北海道"');
    expect(result).not.toContain('"errors"');

    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: `${REPORTS}/explorer.png` });
    expect(existsSync(`${REPORTS}/explorer.png`)).toBe(true);

    expect(pageErrors).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]); // nothing from the internet
  } finally {
    await browser.close();
  }
});
