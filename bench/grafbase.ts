/**
 * A peer for the benchmark: Grafbase's gateway (Rust), run by its CLI's development server (`grafbase
 * dev`, from the pinned @grafbase/cli-x86_64-unknown-linux-musl), offline: it composes
 * the committed subgraph schemas (subgraphs/<name>/schema.graphql) itself, calls the same subgraph
 * processes, inserts the gateway secret and forwards the viewer header. It is the development server,
 * and it verifies no token: the load sends it the viewer header (`x-viewer`) directly, which spares it
 * the JWT check our gateway makes on every request. The package is an optional dependency (its binary is
 * Linux x64 only, and npm skips it elsewhere); where it is missing, the benchmark leaves Grafbase out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER } from '../shared/context';
import { freePort } from '../shared/embedded-postgres';
import { projectPath } from '../shared/paths';

export const GRAFBASE_BINARY = projectPath('node_modules', '@grafbase', 'cli-x86_64-unknown-linux-musl', 'grafbase');

/** Whether the pinned Grafbase CLI is installed (npm skips it off Linux x64). */
export const grafbaseInstalled = () => existsSync(GRAFBASE_BINARY);

/** The gateway's configuration: one subgraph per URL, with its committed SDL, and the two header rules. */
export function grafbaseConfig(subgraphUrls: Record<string, string>, gatewaySecret: string): string {
  const lines: string[] = [];
  for (const [name, url] of Object.entries(subgraphUrls)) {
    lines.push(`[subgraphs.${name}]`, `url = "${url}"`, `schema_path = "${projectPath('subgraphs', name, 'schema.graphql')}"`, '');
  }
  lines.push('[[headers]]', 'rule = "insert"', `name = "${GATEWAY_SECRET_HEADER}"`, `value = "${gatewaySecret}"`, '');
  lines.push('[[headers]]', 'rule = "forward"', `name = "${VIEWER_HEADER}"`, '');
  return lines.join('\n');
}

/** Starts `grafbase dev` on a free port and waits until it answers a query. */
export async function startGrafbase(dir: string, subgraphUrls: Record<string, string>, gatewaySecret: string): Promise<{ url: string; child: ChildProcess }> {
  const file = join(dir, 'grafbase.toml');
  writeFileSync(file, grafbaseConfig(subgraphUrls, gatewaySecret));
  const port = await freePort();
  const child = spawn(GRAFBASE_BINARY, ['dev', '-c', file, '-p', String(port)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: dir },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`grafbase exited with ${child.exitCode}:\n${output}`);
    try {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (answer.ok) {
        child.stdout!.removeAllListeners('data').resume();
        child.stderr!.removeAllListeners('data').resume();
        return { url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`grafbase did not start within 60 s:\n${output}`);
}
