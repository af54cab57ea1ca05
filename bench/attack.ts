/**
 * `npm run bench:attack`: the gateway's peak memory under the denial-of-service queries of the
 * security issue (class 2): 12 concurrent requests of 29 aliased national worklists as an analyst,
 * then 12 of 29 aliased worklists of a prefecture the caller may not read. The gateway runs in a
 * process of its own with docker-compose's node flags and production settings; the subgraphs in this
 * one, on PostgreSQL (DATABASE_URL, or an embedded one). Prints each round's peak RSS, statuses and sizes.
 */
import 'reflect-metadata';
import { readCommandLine } from '../shared/command-line';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import { type Env, SUBGRAPHS, databaseNameFor, loadSubgraphConfig, settingPrefix } from '../shared/config';
import { dropDatabase } from '../shared/database';
import { startEmbeddedPostgres } from '../shared/embedded-postgres';
import { readyUrlIn } from '../shared/main';
import { projectPath } from '../shared/paths';
import { gatewayNodeFlags } from './compose';
import { startSubgraph } from '../shared/subgraph';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';

const SECRETS = { GATEWAY_SECRET: randomBytes(24).toString('hex'), JWT_SECRET: randomBytes(24).toString('hex') };
const WORKLIST =
  'advisorWorklist { priority reasons daysSinceLastVisit municipality { code name population } lastVisit { date purposes } overdueFollowUps { dueOn } }';
const aliased = (selection: string) => `{ ${Array.from({ length: 29 }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function token(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('attacker')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRETS.JWT_SECRET));
}

async function main(): Promise<void> {
  readCommandLine({ usage: 'Usage: npm run bench:attack\n(bench/attack.ts says what it measures; DATABASE_URL selects a PostgreSQL server)' });
  const cleanup: Array<() => Promise<void>> = [];
  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const dir = mkdtempSync(join(tmpdir(), 'attack-postgres-'));
      chmodSync(dir, 0o755);
      const postgres = await startEmbeddedPostgres({
        dataDir: join(dir, 'data'),
        port: 56000 + Math.floor(Math.random() * 1000),
        portSetting: 'attack',
        persistent: false,
      });
      cleanup.push(async () => {
        await postgres.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      databaseUrl = postgres.url;
    }
    const prefix = `attack_${randomBytes(3).toString('hex')}_`;
    const env: Env = {
      NODE_ENV: 'production',
      SAMPLE_DATA: 'true',
      DATABASE_URL: databaseUrl,
      DATABASE_PREFIX: prefix,
      ...SECRETS,
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${settingPrefix(s.name)}_PORT`, '0'])),
    };
    cleanup.push(async () => {
      for (const s of SUBGRAPHS) await dropDatabase(databaseUrl!, databaseNameFor(s.name, prefix));
    });
    const urls: Env = {};
    for (const definition of SUBGRAPH_DEFINITIONS) {
      const subgraph = await startSubgraph(definition as never, loadSubgraphConfig(definition.name, env), { log: pino({ level: 'silent' }) });
      cleanup.push(() => subgraph.stop());
      urls[`${settingPrefix(definition.name)}_URL`] = subgraph.url;
    }
    const child = spawn(process.execPath, [...gatewayNodeFlags(), projectPath('dist', 'gateway', 'main.js')], {
      env: { PATH: process.env.PATH, ...env, ...urls, GATEWAY_PORT: '0', LOG_LEVEL: 'info' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(async () => void child.kill('SIGKILL'));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output += chunk.toString();
        const found = readyUrlIn(output);
        if (found) {
          // Its request lines from now on are read and dropped.
          child.stdout!.off('data', look).resume();
          child.stderr!.off('data', look).resume();
          resolve(found);
        }
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.on('exit', () => reject(new Error(`the gateway exited:\n${output}`)));
    });
    const rounds = [
      { name: '12 × 29 aliased national worklists (analyst)', query: aliased(`prefectures { ${WORKLIST} }`), bearer: await token({ role: 'ANALYST' }) },
      {
        name: '12 × 29 aliased worklists of another prefecture (FORBIDDEN)',
        query: aliased(`prefecture(code: "13") { ${WORKLIST} }`),
        bearer: await token({ role: 'PREFECTURE_STAFF', prefecture: '01' }),
      },
    ];
    console.log(`gateway RSS at rest: ${rssMb(child.pid!)} MB`);
    for (const round of rounds) {
      let peak = rssMb(child.pid!);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 20);
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${round.bearer}` },
            body: JSON.stringify({ query: round.query }),
          });
          return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
        }),
      );
      clearInterval(sampler);
      const statuses = [...new Set(answers.map((a) => a.status))].join(', ');
      const mb = (answers.reduce((sum, a) => sum + a.bytes, 0) / 2 ** 20).toFixed(2);
      console.log(`${round.name}: peak RSS ${peak} MB, HTTP ${statuses}, ${mb} MB answered in all, ${Date.now() - started} ms`);
    }
  } finally {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(error));
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
