/**
 * `npm run test:topology` (run by .ci/run): production as it will really run. Every subgraph and two gateway
 * replicas as separate OS processes started from the built output with the environment docker-compose.yml
 * gives each service (read from the file, so the two cannot drift), NODE_ENV=production with real secrets,
 * PostgreSQL as its own server, HAProxy in front of the replicas on one port, its health checks on /ready.
 * Under a bounded read and write load through the proxy: one replica is stopped with SIGTERM and restarted,
 * then the other killed with SIGKILL and restarted — no read fails, no write is lost or doubled (each write
 * has an idempotency key and is retried with it; the rows are counted in the database); then each subgraph is
 * restarted in turn — reads answer with data or a partial answer naming it, never past the timeout, and
 * everything recovers without restarting the gateways; then GATEWAY_SECRET is changed as README says
 * (subgraphs taking both secrets, gateways one at a time, the old secret dropped) under the same load.
 */
import 'reflect-metadata';
import { readCommandLine } from '../shared/command-line';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { freePort, startEmbeddedPostgres } from '../shared/embedded-postgres';
import { signDevelopmentToken } from '../gateway/auth';
import { projectPath } from '../shared/paths';
import { linesNotJson } from '../shared/log';
import { GATEWAY_SECRET_HEADER } from '../shared/context';

const SUBGRAPHS = ['municipalities', 'support-centers', 'bases', 'dispatch'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** docker-compose's `${NAME:-default}` / `${NAME:?message}` / `${NAME}` substitution, from `vars`. */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_all, name: string, op: string | undefined, rest: string | undefined) => {
    if (vars[name] !== undefined && vars[name] !== '') return vars[name];
    if (op === '?') throw new Error(`docker-compose.yml needs ${name}: ${rest}`);
    return op === '-' ? (rest ?? '') : '';
  });
}

interface Service {
  name: string;
  command: string[];
  env: Record<string, string>;
  port: number;
  process?: ChildProcess;
  log: string[];
  /** What each run wrote, stdout and stderr apart (one entry each per start). */
  runs: string[][];
}

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function main(): Promise<void> {
  readCommandLine({
    usage: 'Usage: npm run test:topology\nRuns the services as separate processes behind HAProxy and PgBouncer, as in production, and checks them.',
  });
  const work = mkdtempSync(join(tmpdir(), 'topology-'));
  chmodSync(work, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data folder
  const postgres = await startEmbeddedPostgres({ dataDir: join(work, 'postgres'), port: await freePort(), portSetting: 'topology', persistent: false });
  const children: ChildProcess[] = [];
  let haproxy: ChildProcess | undefined;
  try {
    const compose = parse(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true });
    const pg = new URL(postgres.url);
    const vars: Record<string, string> = {
      GATEWAY_SECRET: randomBytes(24).toString('hex'),
      JWT_SECRET: randomBytes(24).toString('hex'),
      METRICS_TOKEN: randomBytes(24).toString('hex'),
      POSTGRES_PASSWORD: decodeURIComponent(pg.password),
      LOG_LEVEL: 'warn',
      SUBGRAPH_TIMEOUT_MS: '3000',
    };
    // Host names and ports of the compose network, mapped to this machine's free ports.
    const ports = new Map<string, number>();
    for (const name of SUBGRAPHS) ports.set(name, await freePort());
    const hostOf = (text: string) =>
      text
        .replace('@postgres:5432/', `@127.0.0.1:${pg.port}/`)
        .replace(/http:\/\/([a-z-]+):\d+\//, (all, host: string) => (ports.has(host) ? `http://127.0.0.1:${ports.get(host)}/` : all));
    const serviceOf = (name: string, port: number, portSetting: string): Service => {
      const spec = compose.services[name];
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries<string>(spec.environment)) env[key] = hostOf(substitute(String(value), vars));
      env[portSetting] = String(port);
      return { name, command: spec.command, env, port, log: [], runs: [] };
    };
    const subgraphs = SUBGRAPHS.map((name) => serviceOf(name, ports.get(name)!, `${name.toUpperCase().replace('-', '_')}_PORT`));
    const gateways = [serviceOf('gateway', await freePort(), 'GATEWAY_PORT'), serviceOf('gateway', await freePort(), 'GATEWAY_PORT')];
    gateways.forEach((g, i) => (g.name = `gateway-${i + 1}`));

    const start = (s: Service) => {
      const child = spawn(s.command[0], s.command.slice(1), {
        cwd: projectPath(),
        env: { PATH: process.env.PATH ?? '', ...s.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const [out, err]: string[][] = [[], []];
      s.runs.push(out, err);
      child.stdout!.on('data', (d: Buffer) => (s.log.push(d.toString()), out.push(d.toString())));
      child.stderr!.on('data', (d: Buffer) => (s.log.push(d.toString()), err.push(d.toString())));
      s.process = child;
      children.push(child);
    };
    const ready = async (port: number, seconds = 60) => {
      for (let i = 0; i < seconds * 4; i += 1) {
        const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return true;
        await sleep(250);
      }
      return false;
    };
    const exited = (s: Service) =>
      new Promise<number | null>((resolve) => (s.process!.exitCode !== null ? resolve(s.process!.exitCode) : s.process!.once('exit', (code) => resolve(code))));

    for (const s of subgraphs) start(s);
    for (const s of subgraphs) if (!(await ready(s.port))) throw new Error(`${s.name} did not become ready:\n${s.log.join('')}`);
    for (const g of gateways) start(g);
    for (const g of gateways) if (!(await ready(g.port))) throw new Error(`${g.name} did not become ready:\n${g.log.join('')}`);

    // HAProxy: one port, health checks on /ready, a request retried on the other replica when the
    // connection fails or the replica answers 503 (buffered, so a POST can be sent again: writes carry
    // idempotency keys). Every retry goes to the other replica (`redispatch 1`): by default only the last
    // does, after a second's wait per retry on the replica that just failed (a read took 2.1 s, and once
    // failed, while a replica was killed). A replica is out after two failed checks, each given 2 s: one
    // slow /ready under load (it asks the four subgraphs) took the healthy replica out too while the other
    // stopped, and HAProxy answered 503 itself; a stopping replica says 503 for 5 s (SHUTDOWN_DELAY_MS).
    const proxyPort = await freePort();
    const statsPort = await freePort();
    const config = join(work, 'haproxy.cfg');
    writeFileSync(
      config,
      `global
  log stdout format raw local0 warning
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 2s
  retries 3
  option redispatch 1
  option http-buffer-request
  retry-on conn-failure empty-response response-timeout 503
listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
frontend api
  bind 127.0.0.1:${proxyPort}
  default_backend gateways
backend gateways
  option httpchk GET /ready
  http-check expect status 200
  default-server check inter 300 fall 2 rise 2
${gateways.map((g) => `  server ${g.name} 127.0.0.1:${g.port}`).join('\n')}
`,
    );
    haproxy = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(haproxy);
    check(await ready(proxyPort), 'HAProxy answers on one port in front of two gateway replicas (health checks on /ready)');

    const admin = await signDevelopmentToken({ secret: vars.JWT_SECRET }, { subject: 'topology-admin', role: 'ADMIN' }, '1h');
    const post = async (query: string, variables: Record<string, unknown> = {}, timeoutMs = 20_000) => {
      const response = await fetch(`http://127.0.0.1:${proxyPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as { data?: any; errors?: Array<{ extensions?: any }> } };
    };

    const advisor = await post(
      'mutation { createAdvisor(input: { prefectureCode: "01", name: "構成 試験", affiliation: "試験", qualifications: ["社会福祉士"], activeFrom: "2024-04-01" }) { id } }',
    );
    const advisorId = advisor.body.data?.createAdvisor?.id as string;
    check(Boolean(advisorId), 'an admin registers an advisor through the proxy');

    // HAProxy's own counters (its stats page, CSV): how many requests it retried or sent to the other replica.
    const proxyCounters = async () => {
      const [header, ...rows] = (await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text()).split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const backend = rows.find((r) => r.startsWith('gateways,BACKEND,'))!.split(',');
      const value = (name: string) => Number(backend[columns.indexOf(name)]) || 0;
      return { retried: value('wretr'), redispatched: value('wredis') };
    };
    const dispatchDatabase = subgraphs.find((s) => s.name === 'dispatch')!.env.DATABASE_URL.replace(/\/postgres$/, '/advisor_dispatch');
    const rowsOf = async (fault: string) => {
      const client = new Client({ connectionString: dispatchDatabase });
      await client.connect();
      try {
        const [{ rows, distinct }] = (
          await client.query('SELECT count(*)::int AS rows, count(DISTINCT summary)::int AS distinct FROM visit WHERE summary LIKE $1', [`topology ${fault} %`])
        ).rows;
        return { rows, distinct };
      } finally {
        await client.end();
      }
    };

    const READ = '{ municipality(code: "011002") { name coreCenterCoverage baseCoverage lastVisit { date } council { established } } }';
    /**
     * Reads all the time and (with `writes`) that many visits, each retried by the client with its key until
     * it is acknowledged, while `fault` happens; `acceptable` says whether an answer is what the fault allows.
     */
    const underLoad = async (fault: string, writes: number, act: () => Promise<void>, acceptable: (status: number, body: any, ms: number) => boolean) => {
      const before = await proxyCounters();
      const counts = { reads: 0, readsFailed: 0, writeRequests: 0, acknowledged: 0, slowest: 0 };
      const failedExamples: string[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          const begun = Date.now();
          const { status, body } = await post(READ).catch((e: Error) => ({ status: 0, body: { errors: [{ extensions: { code: e.message } }] } }));
          const ms = Date.now() - begun;
          counts.reads += 1;
          counts.slowest = Math.max(counts.slowest, ms);
          if (!acceptable(status, body, ms)) {
            counts.readsFailed += 1;
            if (failedExamples.length < 3) failedExamples.push(`${status} ${JSON.stringify(body.errors?.[0]?.extensions ?? {})}`);
          }
          await sleep(20);
        }
      })();
      const writer = (async () => {
        for (let i = 0; i < writes; i += 1) {
          for (let attempt = 0; attempt < 30; attempt += 1) {
            counts.writeRequests += 1;
            const { status, body } = await post('mutation($i: RecordVisitInput!, $k: String!) { recordVisit(input: $i, idempotencyKey: $k) { id } }', {
              k: `topology-${fault.replace(/\W+/g, '-')}-${i}`,
              i: {
                prefectureCode: '01',
                date: '2026-11-30',
                advisorIds: [advisorId],
                municipalityCodes: ['011002'],
                format: 'ONLINE',
                purposes: ['COUNCIL'],
                summary: `topology ${fault} ${i}`,
              },
            }).catch(() => ({ status: 0, body: {} as { data?: any } }));
            if (status === 200 && body.data?.recordVisit?.id) {
              counts.acknowledged += 1;
              break;
            }
            await sleep(200);
          }
          await sleep(60);
        }
      })();
      await sleep(500);
      await act();
      await writer;
      await sleep(500);
      reading = false;
      await reader;
      const after = await proxyCounters();
      const stored = writes > 0 ? await rowsOf(fault) : { rows: 0, distinct: 0 };
      console.log(
        `     ${fault}: requests sent ${counts.reads + counts.writeRequests} (${counts.reads} reads, ${counts.writeRequests} writes), ` +
          `failed ${counts.readsFailed}${failedExamples.length ? ` (${failedExamples.join('; ')})` : ''}, retried by the proxy ${after.retried - before.retried} ` +
          `(sent to the other replica ${after.redispatched - before.redispatched}), writes acknowledged ${counts.acknowledged} of ${writes}, ` +
          `rows in the database ${stored.rows}, slowest answer ${counts.slowest} ms`,
      );
      check(counts.readsFailed === 0, `${fault}: no read failed`);
      if (writes > 0)
        check(
          counts.acknowledged === writes && stored.rows === writes && stored.distinct === writes,
          `${fault}: every write acknowledged and stored exactly once`,
        );
    };
    const whole = (status: number, body: any) => status === 200 && !body.errors && body.data?.municipality?.name === '札幌市';

    await underLoad(
      'SIGTERM gateway-1',
      15,
      async () => {
        gateways[0].process!.kill('SIGTERM');
        const code = await exited(gateways[0]);
        check(code === 0, `gateway-1 stops on SIGTERM and exits 0 (exit ${code}${code === 0 ? '' : `; ${gateways[0].log.join('').slice(-500)}`})`);
        start(gateways[0]);
        check(await ready(gateways[0].port), 'gateway-1 comes back');
        await sleep(1500); // HAProxy sees it healthy again (rise 2)
      },
      whole,
    );
    await underLoad(
      'SIGKILL gateway-2',
      15,
      async () => {
        gateways[1].process!.kill('SIGKILL');
        await exited(gateways[1]);
        start(gateways[1]);
        check(await ready(gateways[1].port), 'gateway-2 comes back after SIGKILL');
        await sleep(1500);
      },
      whole,
    );

    // Each subgraph restarted in turn: data, or a partial answer naming it, never past the timeout; then whole again.
    const timeoutMs = Number(vars.SUBGRAPH_TIMEOUT_MS);
    const restartUnderLoad = (s: Service, fault: string) =>
      underLoad(
        fault,
        0,
        async () => {
          s.process!.kill('SIGTERM');
          await exited(s);
          await sleep(1000);
          start(s);
          await ready(s.port);
          let back = false;
          for (let i = 0; i < 60 && !back; i += 1) {
            back = whole(...(Object.values(await post(READ)) as [number, any]));
            if (!back) await sleep(500);
          }
          check(back, `${s.name} back: whole answers again without restarting the gateways`);
        },
        (status, body, ms) =>
          status === 200 &&
          ms < timeoutMs + 2000 &&
          (whole(status, body) || (body.errors ?? []).every((e: any) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions?.serviceName === s.name)),
      );
    for (const s of subgraphs) await restartUnderLoad(s, `restart ${s.name}`);

    // GATEWAY_SECRET changed as README says, under load: each subgraph restarted taking the new secret and the one
    // before; then the gateways one at a time with the new one (a replica with each secret serving side by side);
    // then the one before dropped — and refused from then on.
    const oldSecret = vars.GATEWAY_SECRET;
    const newSecret = randomBytes(24).toString('hex');
    for (const s of subgraphs) {
      Object.assign(s.env, { GATEWAY_SECRET: newSecret, GATEWAY_SECRET_PREVIOUS: oldSecret });
      await restartUnderLoad(s, `secret change: ${s.name} takes both secrets`);
    }
    await underLoad(
      'secret change: gateways restarted one at a time with the new secret',
      15,
      async () => {
        for (const g of gateways) {
          g.env.GATEWAY_SECRET = newSecret;
          g.process!.kill('SIGTERM');
          await exited(g);
          start(g);
          check(await ready(g.port), `${g.name} comes back with the new secret`);
          await sleep(1500);
        }
      },
      whole,
    );
    for (const s of subgraphs) {
      delete s.env.GATEWAY_SECRET_PREVIOUS;
      await restartUnderLoad(s, `secret change: ${s.name} drops the old secret`);
    }
    const withSecret = async (secret: string) =>
      (
        await fetch(`http://127.0.0.1:${subgraphs[0].port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: secret },
          body: JSON.stringify({ query: '{ __typename }' }),
        })
      ).status;
    check(
      (await withSecret(oldSecret)) === 401 && (await withSecret(newSecret)) === 200,
      'secret change: the old secret is refused once dropped, the new one taken',
    );
    // Every line every process wrote through all of the above — starts, requests, drains, kills, restarts — was
    // a JSON log line (log collectors parse each). Each run's output on its own: a killed run may end mid-line.
    for (const s of [...subgraphs, ...gateways]) {
      const strays = s.runs.flatMap((run) => linesNotJson(run.join('')));
      check(strays.length === 0, `${s.name} wrote only JSON log lines${strays.length ? `, not: ${strays.slice(0, 3).join(' | ')}` : ''}`);
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await postgres.stop();
  }
  if (failures.length > 0) {
    console.error(`topology: ${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('topology: every check passed');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
