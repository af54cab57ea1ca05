/**
 * `npm run bench`: our gateway against Hive Gateway (default settings, and with its Rust query
 * planner) and against the floor (the same subgraph calls made directly), on this project's workload
 * mix, over loopback, on PostgreSQL. Every gateway runs in a process of its own (for its peak RSS);
 * the load comes from yet another process (bench/load.ts). Results: a table on stdout, JSON and an
 * SVG chart under reports/bench/ (git-ignored).
 *
 *   npm run bench -- [--duration 5] [--rounds 3] [--concurrency 10,50] [--workloads abcde] [--large-visits 500000]
 *                    [--viewers 1]
 *
 * --viewers N spreads the requests over N viewers (admin tokens of N subjects), in turn: our gateway
 * shares answers only within one viewer, so with more viewers it shares less.
 *
 * DATABASE_URL selects a PostgreSQL server; without it an embedded one runs in a temporary folder.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { type Env, SUBGRAPHS, databaseNameFor, loadGatewayConfig, loadSubgraphConfig, settingPrefix } from '../shared/config';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER } from '../shared/context';
import { dropDatabase } from '../shared/database';
import { startEmbeddedPostgres } from '../shared/embedded-postgres';
import { projectPath } from '../shared/paths';
import { type RunningSubgraph, startSubgraph } from '../shared/subgraph';
import { signDevelopmentToken } from '../gateway/auth';
import { SUPERGRAPH_PATH, startGateway } from '../gateway/gateway';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';
import { DispatchStore } from '../subgraphs/dispatch/data/dispatch.store';
import { writeLargeLog } from '../subgraphs/dispatch/sample/large-log';
import type { HttpCall, LoadJob, LoadResult } from './load';
import { type Workload, UNIQUE, workloads } from './workloads';
import { type BenchReport, type Cell, printReport, writeChart, writeMarkdown } from './report';

const REPORTS = projectPath('reports', 'bench');

/** Our gateway runs with the node flags docker-compose.yml gives it (its command, less node and the script). */
function gatewayNodeFlags(): string[] {
  const compose = parseYaml(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true }) as { services: { gateway: { command: string[] } } };
  return compose.services.gateway.command.slice(1, -1);
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const settings = {
  durationMs: Number(option('duration', '5')) * 1000,
  rounds: Number(option('rounds', '3')),
  concurrencies: option('concurrency', '10,50').split(',').map(Number),
  workloads: option('workloads', 'abcde'),
  largeVisits: Number(option('large-visits', '500000')),
  targets: option('targets', 'ours,hive,hive-rust,floor').split(','),
  viewers: Math.max(1, Number(option('viewers', '1'))),
};

const SECRETS = {
  GATEWAY_SECRET: randomBytes(24).toString('hex'),
  JWT_SECRET: randomBytes(24).toString('hex'),
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};

/** A gateway under test: a child process, its URL, and its resident memory. */
interface GatewayProcess {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function spawnGateway(name: string, args: string[], env: Env): Promise<GatewayProcess> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/ready at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        // From now on its output (our gateway's request log) is discarded unread: this process
        // hosts the subgraphs, and must not spend their CPU on one gateway's log lines.
        child.stdout!.off('data', look).resume();
        child.stderr!.off('data', look).resume();
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return {
    name,
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process, in MB (Linux). */
function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** Requests the subgraphs have answered so far (their own counters, from /metrics). */
async function subgraphRequestCount(subgraphs: RunningSubgraph<unknown>[]): Promise<number> {
  let total = 0;
  for (const subgraph of subgraphs) {
    const text = await (await fetch(new URL('/metrics', subgraph.url), { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } })).text();
    for (const match of text.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
  }
  return total;
}

/** Runs the load generator in a process of its own; samples the target's RSS meanwhile. */
async function runLoad(job: LoadJob, pid?: number): Promise<LoadResult & { peakRssMb?: number }> {
  const file = join(tmpdir(), `bench-job-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(job));
  let peak = 0;
  const sampler = pid ? setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100) : undefined;
  try {
    const child = spawn(process.execPath, [projectPath('dist', 'bench', 'load.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`load generator exited with ${code}`);
    return { ...(JSON.parse(out) as LoadResult), ...(pid ? { peakRssMb: peak } : {}) };
  } finally {
    if (sampler) clearInterval(sampler);
    rmSync(file, { force: true });
  }
}

/**
 * The floor: what the subgraphs alone take. Records the subgraph calls our gateway makes for one
 * operation (through recording proxies), grouped into waves — calls that overlapped in time ran in
 * parallel — so the load generator can replay exactly those calls with no gateway in between.
 */
async function captureSubgraphCalls(env: Env, subgraphs: RunningSubgraph<unknown>[], token: string, operations: Workload[]) {
  interface Recorded extends HttpCall {
    requestId: string;
    start: number;
    end: number;
  }
  const recorded: Recorded[] = [];
  const proxies: Server[] = [];
  const proxyUrls: Env = {};
  for (const subgraph of subgraphs) {
    const proxy = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', async () => {
        const start = performance.now();
        const headers = { [GATEWAY_SECRET_HEADER]: String(req.headers[GATEWAY_SECRET_HEADER]), [VIEWER_HEADER]: String(req.headers[VIEWER_HEADER]) };
        const answer = await fetch(subgraph.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        const text = await answer.text();
        recorded.push({ url: subgraph.url, headers, body, requestId: String(req.headers['x-request-id']), start, end: performance.now() });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxies.push(proxy);
    proxyUrls[`${settingPrefix(subgraph.name)}_URL`] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
  }
  const gateway = await startGateway(loadGatewayConfig({ ...env, ...proxyUrls, GATEWAY_PORT: '0' }), { log: silentLog() });
  const floor = new Map<string, HttpCall[][]>();
  /** Per workload, its waves of subgraph calls with their time on one unloaded run (for the report). */
  const plans: Record<string, string[]> = {};
  try {
    for (const workload of operations) {
      const requestId = `capture-${workload.id}`;
      const answer = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
        body: JSON.stringify({ query: workload.query, variables: workload.variables }),
      });
      const text = await answer.text();
      if (text.includes('"errors"')) throw new Error(`workload ${workload.id} fails: ${text.slice(0, 500)}`);
      const calls = recorded.filter((r) => r.requestId === requestId).sort((x, y) => x.start - y.start);
      const waves: Recorded[][] = [];
      for (const call of calls) {
        const wave = waves[waves.length - 1];
        if (wave && call.start < Math.min(...wave.map((c) => c.end))) wave.push(call);
        else waves.push([call]);
      }
      floor.set(
        workload.id,
        waves.map((wave) => wave.map(({ url, headers, body }) => ({ url, headers, body }))),
      );
      plans[workload.id] = waves.map((wave) =>
        wave.map((call) => `${subgraphs.find((s) => s.url === call.url)!.name} ${Math.round(call.end - call.start)} ms`).join(' ‖ '),
      );
    }
  } finally {
    await gateway.stop();
    for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
  }
  return { floor, plans };
}

/** The subgraphs and the capture gateway run in this process: their request logs would only cost it CPU. */
const silentLog = () => pino({ level: 'silent' });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

type Run = LoadResult & { peakRssMb?: number; subgraphCallsPerOperation?: number };

function summarize(target: string, workload: string, concurrency: number, data: string, runs: Run[]): Cell {
  return {
    target,
    workload,
    concurrency,
    data,
    rounds: runs.length,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    firstError: runs.find((r) => r.firstError)?.firstError,
    peakRssMb: runs.some((r) => r.peakRssMb !== undefined) ? Math.max(...runs.map((r) => r.peakRssMb ?? 0)) : undefined,
    subgraphCallsPerOperation: median(runs.map((r) => r.subgraphCallsPerOperation ?? NaN)),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanup: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(error));
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    let databaseUrl = process.env.DATABASE_URL;
    let postgresVersion = '';
    if (!databaseUrl) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-postgres-'));
      chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its folder
      const port = 55000 + Math.floor(Math.random() * 1000);
      console.log(`Starting an embedded PostgreSQL on port ${port}…`);
      const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port, portSetting: 'bench', persistent: false });
      cleanup.push(async () => {
        await postgres.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      databaseUrl = postgres.url;
    }
    const prefix = `bench_${randomBytes(3).toString('hex')}_`;
    const env: Env = {
      NODE_ENV: 'production',
      SAMPLE_DATA: 'true',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      DATABASE_PREFIX: prefix,
      DATABASE_POOL_SIZE: '20',
      ...SECRETS,
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${settingPrefix(s.name)}_PORT`, '0'])),
    };
    cleanup.push(async () => {
      for (const s of SUBGRAPHS) await dropDatabase(databaseUrl!, databaseNameFor(s.name, prefix));
    });

    console.log('Starting the four subgraphs (migrations, sample data)…');
    const subgraphs: RunningSubgraph<unknown>[] = [];
    for (const definition of SUBGRAPH_DEFINITIONS) {
      const subgraph = await startSubgraph(definition as never, loadSubgraphConfig(definition.name, env), { log: silentLog() });
      subgraphs.push(subgraph as RunningSubgraph<unknown>);
      cleanup.push(() => subgraph.stop());
    }
    const dispatch = subgraphs.find((s) => s.name === 'dispatch')!;
    postgresVersion = ((await dispatch.dataSource.query('SHOW server_version')) as Array<{ server_version: string }>)[0].server_version;
    const urls: Env = Object.fromEntries(subgraphs.map((s) => [`${settingPrefix(s.name)}_URL`, s.url]));

    // Writes go to a prefecture the reads do not look at, so they change no read's answer.
    const [{ id: advisorId }] = await dispatch.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '13' ORDER BY id LIMIT 1`);
    const mix = workloads(advisorId, '13', '131016').filter((w) => settings.workloads.includes(w.id));
    const gatewayConfig = loadGatewayConfig({ ...env, ...urls });
    const token = await signDevelopmentToken(gatewayConfig.jwt, { subject: 'bench-admin', role: 'ADMIN' }, '12h');
    const viewerTokens = [token];
    for (let i = 2; i <= settings.viewers; i += 1) {
      viewerTokens.push(await signDevelopmentToken(gatewayConfig.jwt, { subject: `bench-admin-${i}`, role: 'ADMIN' }, '12h'));
    }

    console.log('Recording the subgraph calls of each workload (the floor)…');
    const { floor, plans } = await captureSubgraphCalls({ ...env, ...urls }, subgraphs, token, mix);
    for (const [id, waves] of Object.entries(plans)) console.log(`  (${id}) ${waves.join('  →  ')}`);

    console.log('Starting the gateways…');
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8').replace(
      /@join__graph\(name: "([\w-]+)", url: "[^"]+"\)/g,
      (_all, name: string) => `@join__graph(name: "${name}", url: "${subgraphs.find((s) => s.name === name)!.url}")`,
    );
    const supergraphFile = join(tmpdir(), `bench-supergraph-${process.pid}.graphql`);
    writeFileSync(supergraphFile, supergraph);
    cleanup.push(async () => rmSync(supergraphFile, { force: true }));
    const gateways: GatewayProcess[] = [];
    const launch = async (name: string, args: string[], extra: Env) => {
      const gateway = await spawnGateway(name, args, extra);
      gateways.push(gateway);
      cleanup.push(() => gateway.stop());
    };
    // BENCH_PROFILE=1: a CPU profile of our gateway, written to reports/bench/ when it stops.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${REPORTS}`] : [];
    await launch('ours', [...profile, ...gatewayNodeFlags(), projectPath('dist', 'gateway', 'main.js')], { ...env, ...urls, GATEWAY_PORT: '0' });
    const hiveEnv = { NODE_ENV: 'production', BENCH_SUPERGRAPH: supergraphFile, BENCH_GATEWAY_SECRET: SECRETS.GATEWAY_SECRET };
    if (settings.targets.includes('hive')) await launch('hive', [projectPath('dist', 'bench', 'hive-gateway.js')], hiveEnv);
    if (settings.targets.includes('hive-rust')) await launch('hive-rust', [projectPath('dist', 'bench', 'hive-gateway.js'), '--rust'], hiveEnv);

    const jobFor = (target: string, workload: Workload, concurrency: number, durationMs: number): { job: LoadJob; pid?: number } => {
      const base = { concurrency, durationMs, uniquePlaceholder: UNIQUE };
      if (target === 'floor') return { job: { ...base, waves: floor.get(workload.id)! } };
      const gateway = gateways.find((g) => g.name === target)!;
      const body = JSON.stringify({ query: workload.query, variables: workload.variables });
      const headerSets = viewerTokens.map((t) => ({ authorization: `Bearer ${t}` }));
      return { job: { ...base, waves: [[{ url: gateway.url, headers: {}, body }]], headerSets }, pid: gateway.child.pid };
    };
    const targets = [...gateways.map((g) => g.name), 'floor'].filter((t) => settings.targets.includes(t));

    // A peer whose answer to a read differs from ours is not measured on it (a wrong answer is no
    // comparison); the report says so.
    const excluded: Record<string, string> = {};
    for (const workload of mix.filter((w) => !w.write)) {
      const answers = await Promise.all(
        gateways.map(async (g) => {
          const response = await fetch(g.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: workload.query }),
          });
          return JSON.stringify(await response.json());
        }),
      );
      for (let i = 1; i < answers.length; i += 1) {
        if (answers[i] !== answers[0]) {
          excluded[`${gateways[i].name}/${workload.id}`] = `answers differently from ours: ${answers[i].slice(0, 300)}`;
          console.log(`  ${gateways[i].name} is not measured on (${workload.id}): its answer differs from ours: ${answers[i].slice(0, 200)}`);
        }
      }
    }
    const measured = (target: string, workload: Workload) => !excluded[`${target}/${workload.id}`];

    console.log('Warming up…');
    for (const target of targets) for (const workload of mix.filter((w) => measured(target, w))) await runLoad(jobFor(target, workload, 10, 1500).job);

    const cells: Cell[] = [];
    const measure = async (data: string, all: string[], chosen: Workload[]) => {
      for (const workload of chosen) {
        const names = all.filter((target) => measured(target, workload));
        for (const concurrency of settings.concurrencies) {
          const runs = new Map<string, Run[]>(names.map((n) => [n, []]));
          for (let round = 0; round < settings.rounds; round += 1) {
            // Rotate the order each round so that no target always runs first (or last).
            const order = names.map((_, i) => names[(i + round) % names.length]);
            for (const target of order) {
              const { job, pid } = jobFor(target, workload, concurrency, settings.durationMs);
              const before = await subgraphRequestCount(subgraphs);
              const result = await runLoad(job, pid);
              const calls = (await subgraphRequestCount(subgraphs)) - before;
              runs.get(target)!.push({ ...result, subgraphCallsPerOperation: Math.round((calls / Math.max(1, result.operations)) * 100) / 100 });
            }
          }
          for (const target of names) {
            const cell = summarize(target, workload.id, concurrency, data, runs.get(target)!);
            cells.push(cell);
            console.log(
              `  ${data} (${workload.id}) c=${concurrency} ${target.padEnd(9)} ${cell.requestsPerSecond.toFixed(1).padStart(8)} req/s  p95 ${cell.p95.toFixed(1)} ms${cell.errors ? `  ${cell.errors} errors: ${cell.firstError}` : ''}`,
            );
          }
        }
      }
    };
    console.log(`Measuring: ${settings.rounds} rounds of ${settings.durationMs / 1000} s per target, workload and concurrency…`);
    await measure('sample', targets, mix);

    let largeVisits = 0;
    const largeMix = mix.filter((w) => w.id === 'a' || w.id === 'b');
    if (settings.largeVisits > 0 && largeMix.length > 0) {
      console.log(`Writing a large dispatch log (${settings.largeVisits.toLocaleString('en')} visits, 10 years, 47 prefectures)…`);
      largeVisits = await writeLargeLog(new DispatchStore(dispatch.dataSource), { visits: settings.largeVisits, years: 10, until: '2025-10-31' });
      // What autovacuum does after a bulk insert, done now rather than whenever it gets to it: until the
      // visibility map is set, the visit counts' index-only scans read every heap page (measured on
      // 500,000 visits: 12.6 ms instead of 3.9 ms for one prefecture's counts).
      await dispatch.dataSource.query('VACUUM ANALYZE');
      for (const workload of largeMix) {
        const job = jobFor('ours', workload, 1, 1).job;
        await runLoad({ ...job, durationMs: 1500 }); // warm the new data's pages
      }
      await measure('large', ['ours', 'floor'], largeMix);
    }

    const [{ visits }] = await dispatch.dataSource.query('SELECT count(*)::int AS visits FROM visit');
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? '?',
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        postgres: `${postgresVersion}${process.env.DATABASE_URL ? '' : ' (embedded)'}`,
      },
      settings: { ...settings, largeVisitsWritten: largeVisits, visitsInLog: visits },
      excluded,
      subgraphCalls: plans,
      cells,
      minutes: Math.round((Date.now() - started) / 600) / 100,
    };
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(join(REPORTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(REPORTS, `bench-${report.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(REPORTS, 'latest.svg'), writeChart(report));
    writeFileSync(join(REPORTS, 'latest.md'), writeMarkdown(report));
    printReport(report);
    console.log(`\nWritten: reports/bench/latest.json, latest.svg and latest.md`);
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
