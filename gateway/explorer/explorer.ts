/**
 * The offline explorer: a GraphiQL page served by the gateway at `/explorer`, with the schema's
 * documentation, the explorer plugin (build a question by clicking fields) and the saved questions of
 * `operations/`. Every file comes from the installed packages (graphiql, @graphiql/plugin-explorer,
 * react, react-dom) or this folder, so it works with no internet.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Express } from 'express';
import { projectPath } from '../../shared/paths';

const EXPLORER_DIR = projectPath('gateway', 'explorer');

/**
 * A saved operation: its file name, its Japanese title and one-line explanation (the file's first two
 * comment lines, which also open the editor tab), and its text.
 */
export interface SavedOperation {
  file: string;
  title: string;
  explanation: string;
  query: string;
}

export function savedOperations(): SavedOperation[] {
  const dir = join(EXPLORER_DIR, 'operations');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(join(dir, file), 'utf8');
      const [title, explanation] = query.split('\n').map((line) => /^# (.+)$/.exec(line)?.[1] ?? '');
      return { file, title, explanation, query };
    });
}

/** Where a package's file is, from the installed package itself. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

const ASSETS: Record<string, { path: string; type: string }> = {
  'react.js': { path: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { path: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { path: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { path: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  // The explorer plugin (pick fields by clicking), the version that fits GraphiQL 3's @graphiql/react.
  'explorer-plugin.js': { path: packageFile('@graphiql/plugin-explorer', 'dist/index.umd.js'), type: 'text/javascript' },
  'explorer-plugin.css': { path: packageFile('@graphiql/plugin-explorer', 'dist/style.css'), type: 'text/css' },
  'page.js': { path: join(EXPLORER_DIR, 'page.js'), type: 'text/javascript' },
};

/** Nothing from elsewhere: scripts and connections to this origin only. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // GraphiQL sets inline styles
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

const escapeForScript = (json: string) => json.replace(/</g, '\\u003c');

export interface ExplorerOptions {
  /** Headers each new tab starts with (in development, a development token; else empty). */
  defaultHeaders(): Promise<Record<string, string>>;
}

export function mountExplorer(app: Express, options: ExplorerOptions): void {
  const operations = savedOperations();
  app.get('/explorer', async (_req, res) => {
    const headers = JSON.stringify(await options.defaultHeaders(), null, 2);
    const settings = {
      endpoint: '/graphql',
      headers,
      tabs: operations.map(({ query }) => ({ query, headers })),
    };
    res
      .set('content-security-policy', CONTENT_SECURITY_POLICY)
      .set('cache-control', 'no-store') // the page may carry a development token
      .type('html').send(`<!doctype html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <title>エクスプローラー — Advisor supergraph</title>
  <link rel="stylesheet" href="/explorer/assets/graphiql.css">
  <link rel="stylesheet" href="/explorer/assets/explorer-plugin.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer">Loading the explorer…</div>
  <script type="application/json" id="explorer-settings">${escapeForScript(JSON.stringify(settings))}</script>
  <script src="/explorer/assets/react.js"></script>
  <script src="/explorer/assets/react-dom.js"></script>
  <script src="/explorer/assets/graphiql.js"></script>
  <script src="/explorer/assets/explorer-plugin.js"></script>
  <script src="/explorer/assets/page.js"></script>
</body>
</html>
`);
  });
  app.get('/explorer/assets/:file', (req, res) => {
    const asset = ASSETS[req.params.file];
    if (!asset) {
      res.status(404).end();
      return;
    }
    res.type(asset.type).set('cache-control', 'public, max-age=3600').sendFile(asset.path);
  });
}
