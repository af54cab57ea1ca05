/**
 * The offline explorer (GraphiQL at /explorer): its page and assets come from the gateway alone, its
 * saved operations (the common questions, titled in Japanese) run, and in headless Chromium the page loads
 * the schema docs, builds a question by clicking in the explorer plugin, and runs a saved query.
 * The browser part needs Chromium (Debian's `chromium`); without it that part is skipped with a
 * warning, unless REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { savedOperations } from '../../gateway/explorer/explorer';
import { projectPath } from '../../shared/paths';
import { browserTestFor, launchChromium } from '../helpers/browser';
import { startTestStack } from '../helpers/stack';

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
  expect(assets).toHaveLength(7);
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
  // The common questions of prefectural staff, each with a Japanese title and a one-line explanation.
  expect(operations.map((o) => o.file)).toEqual([
    '01-headline-gaps.graphql',
    '02-advisor-worklist.graphql',
    '03-coverage-by-bracket-and-prefecture.graphql',
    '04-bases-without-coordinator.graphql',
    '05-overdue-base-reviews.graphql',
    '06-visits-by-purpose.graphql',
    '07-activity-indicators.graphql',
    '08-prefectural-programs.graphql',
    '09-self-plans-by-class.graphql',
    '10-municipality.graphql',
    '11-worklist-on-two-dates.graphql',
  ]);
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
  for (const { file, title, explanation } of operations) {
    expect({ file, title: japanese.test(title), explanation: japanese.test(explanation) && explanation.length > 20 }).toEqual({
      file,
      title: true,
      explanation: true,
    });
  }
  // The docs list them with their titles.
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  expect(operations.filter((o) => !readme.includes(o.title)).map((o) => o.file)).toEqual([]);
  for (const { file, query } of operations) {
    const { body } = await stack.query(query);
    expect({ file, errors: body.errors }).toEqual({ file, errors: undefined });
    expect(Object.values(body.data!)[0]).not.toBeNull();
  }
  // A saved operation that no longer matches the schema would fail above; this checks the check.
  const broken = await stack.query(operations[0].query.replace('population', 'populationX'));
  expect(broken.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

const browserTest = browserTestFor('the explorer browser test');

browserTest('loads in headless Chromium, shows the schema docs and runs a saved query', async () => {
  const browser = await launchChromium();
  try {
    // Each part in a fresh browser context: GraphiQL keeps the tabs' text in the browser's storage.
    let page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => void requested.push(request.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => void pageErrors.push(error.message));

    await page.goto(`${origin}/explorer`);
    await page.waitForSelector('.graphiql-container', { timeout: 20_000 });
    mkdirSync(REPORTS, { recursive: true });

    // The explorer plugin's pane is open first, with its Japanese title, and lists the fields of Query.
    const pane = page.locator('.graphiql-plugin');
    await pane.getByText('エクスプローラー').first().waitFor({ timeout: 20_000 });
    const fieldNames = await pane.locator('.graphiql-explorer-root .graphiql-explorer-field-view, .graphiql-explorer-root [data-field-name]').allTextContents();
    const listed = fieldNames.join(' ') || ((await pane.textContent()) ?? '');
    for (const field of ['coverageStatistics', 'municipalities', 'prefectures', 'selfPlanStatistics']) expect(listed).toContain(field);
    // Clicking a field adds it to the operation in the editor.
    const editorText = async () =>
      (await page
        .locator('.graphiql-query-editor .CodeMirror')
        .first()
        .evaluate((el: any) => el.CodeMirror.getValue())) as string;
    expect(await editorText()).not.toContain('prefecturalPrograms');
    await pane.getByText('prefecturalPrograms', { exact: true }).first().click();
    await page.waitForFunction(
      () => ((document.querySelector('.graphiql-query-editor .CodeMirror') as any)?.CodeMirror.getValue() ?? '').includes('prefecturalPrograms'),
      undefined,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: `${REPORTS}/explorer-plugin.png` });
    // Back to the saved questions as they are (the click edited the first tab), in a fresh context.
    await page.context().close();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('request', (request) => void requested.push(request.url()));
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
    // What is typed (a visit's notes in a mutation's variables, say) is kept for the tab only, never in the browser's
    // localStorage, which outlives it and every later user of a shared PC reads.
    // GraphiQL writes the tabs' state a moment after they change (debounced): waited for, not assumed.
    await page.waitForFunction(() => sessionStorage.getItem('graphiql:tabState')?.includes('coreCenterGaps'), undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem('graphiql:tabState'))).toContain('coreCenterGaps');

    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: `${REPORTS}/explorer.png` });
    expect(existsSync(`${REPORTS}/explorer.png`)).toBe(true);

    expect(pageErrors).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]); // nothing from the internet
  } finally {
    await browser.close();
  }
});
