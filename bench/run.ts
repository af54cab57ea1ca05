/**
 * `npm run bench`: our gateway against Grafbase's gateway (Rust, its CLI's dev server), Hive Gateway
 * (default settings, and with Hive Router's Rust query planner), the floor (the same subgraph calls
 * made directly) and a bare Node HTTP server handing out our gateway's answers, on this project's
 * workload mix, over loopback, on PostgreSQL. Every subgraph and every gateway runs in a process of its own (for its CPU time and peak RSS); the load comes from yet another
 * process (bench/load.ts). Results: a table on stdout, JSON, Markdown and an SVG chart under
 * reports/bench/ (git-ignored).
 *
 *   npm run bench -- [--duration 5] [--rounds 3] [--concurrency 50] [--workloads abcde] [--scenarios many,mixed,one,cold]
 *                    [--viewers 50] [--targets ours,grafbase,hive,hive-rust,floor,bare-node] [--large-visits 500000]
 *                    [--writes-per-second 0.2,2]
 *
 * `--targets` may add `ours-uncached`: our gateway with RESPONSE_CACHE_MB=0 (no answers kept), beside ours.
 * `bare-node` (bench/bare-node.ts) answers the reads of the many- and one-viewer scenarios with the bytes
 * ours answered: the least a Node server spends per kept answer, beside what ours spends.
 *
 * Scenarios: `many` (the default load) — requests from 50 distinct viewers in turn: advisors of ten
 * prefectures, their prefectural staff and national analysts, each asking about their own prefecture;
 * `mixed` — the same reads while an admin records visits (recordVisit, workload e) at a steady rate
 * (each of `--writes-per-second`) in another prefecture: every write moves the dispatch subgraph's data
 * version, so every answer our gateway kept that read dispatch is built again (what a working day does);
 * `one` — every request from one viewer (an admin); `cold` — national reads at low concurrency that
 * nothing kept can answer: the national worklist and the municipality-status export (our gateway told
 * `Cache-Control: no-cache`), and coverage statistics at a date never asked before.
 *
 * DATABASE_URL selects a PostgreSQL server; without it an embedded one runs in a temporary folder.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Env, SUBGRAPHS, databaseNameFor, loadGatewayConfig, loadSubgraphConfig, settingPrefix } from '../shared/config';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER, type Viewer, encodeViewer } from '../shared/context';
import { dropDatabase, openDatabase } from '../shared/database';
import { startEmbeddedPostgres } from '../shared/embedded-postgres';
import { readyUrlIn } from '../shared/main';
import { projectPath } from '../shared/paths';
import { readCommandLine } from '../shared/command-line';
import { signDevelopmentToken } from '../gateway/auth';
import { SUPERGRAPH_PATH, startGateway } from '../gateway/gateway';
import { dispatchSubgraph } from '../subgraphs/dispatch';
import { DispatchStore } from '../subgraphs/dispatch/data/dispatch.store';
import { writeLargeLog } from '../subgraphs/dispatch/sample/large-log';
import { bareNodeKey } from './bare-node';
import { gatewayNodeFlags } from './compose';
import { grafbaseInstalled, startGrafbase } from './grafbase';
import type { HttpCall, LoadJob, LoadResult, Operation } from './load';
import { COLD, DATE, type Workload, UNIQUE, workloads } from './workloads';
import { type BenchReport, type Cell, type CpuPerOperation, printReport, withWrites, writeChart, writeMarkdown } from './report';

const REPORTS = projectPath('reports', 'bench');

const BENCH_OPTIONS = {
  duration: { type: 'string' },
  rounds: { type: 'string' },
  concurrency: { type: 'string' },
  'cold-concurrency': { type: 'string' },
  workloads: { type: 'string' },
  scenarios: { type: 'string' },
  'writes-per-second': { type: 'string' },
  'large-visits': { type: 'string' },
  targets: { type: 'string' },
  viewers: { type: 'string' },
} as const;
const given = readCommandLine({
  usage:
    'Usage: npm run bench -- [--duration 5] [--rounds 3] [--concurrency 50] [--cold-concurrency 2] [--workloads abcde]\n' +
    '                        [--scenarios many,mixed,one,cold] [--viewers 50] [--targets ours,grafbase,hive,hive-rust,floor,bare-node]\n' +
    '                        [--large-visits 500000] [--writes-per-second 0.2,2]   (bench/run.ts says what each is)',
  options: BENCH_OPTIONS,
}).values;

function option(name: keyof typeof BENCH_OPTIONS, fallback: string): string {
  return given[name] || fallback;
}

const settings = {
  durationMs: Number(option('duration', '5')) * 1000,
  rounds: Number(option('rounds', '3')),
  concurrencies: option('concurrency', '50').split(',').map(Number),
  coldConcurrency: Number(option('cold-concurrency', '2')),
  workloads: option('workloads', 'abcde'),
  scenarios: option('scenarios', 'many,mixed,one,cold').split(','),
  writesPerSecond: option('writes-per-second', '0.2,2').split(',').map(Number),
  largeVisits: Number(option('large-visits', '500000')),
  targets: option('targets', 'ours,grafbase,hive,hive-rust,floor,bare-node').split(','),
  viewers: Math.max(1, Number(option('viewers', '50'))),
};

const SECRETS = {
  GATEWAY_SECRET: randomBytes(24).toString('hex'),
  JWT_SECRET: randomBytes(24).toString('hex'),
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};

/** A service under test: a child process, its URL, and what it printed before it was ready. */
interface Process {
  name: string;
  url: string;
  child: ChildProcess;
  startOutput?: string;
  stop(): Promise<void>;
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Spawns a node service that logs `ready at <url>` (shared/main.ts), and waits for that line. */
async function spawnService(name: string, args: string[], env: Env): Promise<Process> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 180_000);
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const url = readyUrlIn(output);
      if (url) {
        clearTimeout(timer);
        // From now on its output (request logs) is read and dropped, so it never blocks on a full pipe —
        // or, with BENCH_LOGS=<folder>, written to <folder>/<name>.log.
        child.stdout!.off('data', look);
        child.stderr!.off('data', look);
        if (process.env.BENCH_LOGS) {
          const file = createWriteStream(join(process.env.BENCH_LOGS, `${name}.log`));
          child.stdout!.pipe(file);
          child.stderr!.pipe(file);
        } else {
          child.stdout!.resume();
          child.stderr!.resume();
        }
        resolve(url);
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output.slice(-3000)}`)));
  });
  return { name, url, child, startOutput: output, stop: () => stopChild(child) };
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

/** CPU time a process has used so far (user + system), in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15 of stat)
}

/** A subgraph's counters from its /metrics: requests answered and SQL statements sent. */
async function subgraphCounters(subgraph: Process): Promise<{ requests: number; statements: number; versionQuestions: number }> {
  const text = await (await fetch(new URL('/metrics', subgraph.url), { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } })).text();
  let requests = 0;
  for (const match of text.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)) requests += Number(match[1]);
  const statements = Number(/^db_statements_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  const versionQuestions = Number(/^data_version_questions_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  return { requests, statements, versionQuestions };
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

/** One asker of the benchmark: who (for each gateway's way of saying it) and what they ask about. */
interface Asker {
  viewer: Viewer;
  token: string;
  prefecture: string;
  municipality: string;
}

/** How each target is told who asks: a bearer token (ours, Hive, which decode it), the viewer header (Grafbase). */
function headersFor(target: string, asker: Asker, workload: Workload): Record<string, string> {
  const who: Record<string, string> = target === 'grafbase' ? { [VIEWER_HEADER]: encodeViewer(asker.viewer) } : { authorization: `Bearer ${asker.token}` };
  return workload.fresh && target.startsWith('ours') ? { ...who, 'cache-control': 'no-cache' } : who;
}

/**
 * The floor: what the subgraphs alone take. Records the subgraph calls our gateway makes for each
 * asker's operation (through recording proxies, with nothing kept or shared), grouped into waves —
 * calls that overlapped in time ran in parallel — so the load generator can replay exactly those calls
 * with no gateway in between.
 */
async function captureSubgraphCalls(env: Env, subgraphs: Process[], operations: Array<{ key: string; workload: Workload; asker: Asker }>) {
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
        const url = new URL(req.url ?? '/graphql', subgraph.url).href;
        const answer = await fetch(url, {
          method: req.method,
          headers: { ...headers, 'content-type': 'application/json' },
          body: req.method === 'GET' ? undefined : body,
        });
        const text = await answer.text();
        // The gateway's data-version questions are not work the floor has to do.
        if (!url.endsWith('/internal/data-version'))
          recorded.push({ url, headers, body, requestId: String(req.headers['x-request-id']), start, end: performance.now() });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxies.push(proxy);
    proxyUrls[`${settingPrefix(subgraph.name)}_URL`] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
  }
  const gateway = await startGateway(loadGatewayConfig({ ...env, ...proxyUrls, GATEWAY_PORT: '0', RESPONSE_CACHE_MB: '0' }), { log: silentLog() });
  const floor = new Map<string, Operation>();
  /** Per workload, its waves of subgraph calls with their time on one unloaded run (for the report). */
  const plans: Record<string, string[]> = {};
  try {
    for (const { key, workload, asker } of operations) {
      const requestId = `capture-${randomBytes(6).toString('hex')}`;
      const headers = { ...headersFor('ours', asker, workload), 'x-request-id': requestId };
      const answer = workload.path
        ? await fetch(new URL(workload.path.split(DATE).join('2025-04-01'), gateway.url), { headers })
        : await fetch(gateway.url, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: requestBody(workload, asker, '2025-04-01'),
          });
      const text = await answer.text();
      if (answer.status !== 200 || (text.startsWith('{') && text.includes('"errors"'))) throw new Error(`workload ${workload.id} fails: ${text.slice(0, 500)}`);
      const calls = recorded.filter((r) => r.requestId === requestId).sort((x, y) => x.start - y.start);
      const waves: Recorded[][] = [];
      for (const call of calls) {
        const wave = waves[waves.length - 1];
        if (wave && call.start < Math.min(...wave.map((c) => c.end))) wave.push(call);
        else waves.push([call]);
      }
      // A date asked for once only: the floor's calls ask a new one each time, as the gateways' requests do.
      const undated = (body: string | undefined) => body?.split('2025-04-01').join(DATE);
      floor.set(
        key,
        waves.map((wave) => wave.map(({ url, headers: h, body }) => ({ url, headers: h, body: workload.id === 's' ? undated(body) : body }))),
      );
      plans[workload.id] ??= waves.map((wave) =>
        wave.map((call) => `${subgraphs.find((s) => call.url.startsWith(new URL(s.url).origin))!.name} ${Math.round(call.end - call.start)} ms`).join(' ‖ '),
      );
    }
  } finally {
    await gateway.stop();
    for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
  }
  return { floor, plans };
}

/**
 * Dates for (s), each asked once: a run takes the next DAYS_PER_RUN days from 1900-01-01 (more than
 * any run sends requests), the warm-ups take days from 2064 on; `asOf` may be up to 75 years ahead.
 */
const DAYS_PER_RUN = 3000;
const WARM_UP_DAYS = 60_000;

/** The capture gateway runs in this process: its request log would only cost it CPU. */
const silentLog = () => pino({ level: 'silent' });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A workload's request body for one asker: its own prefecture and municipality. */
function requestBody(workload: Workload, asker: Asker, date?: string): string {
  const variables = { ...workload.variables, ...(workload.perAsker ? workload.perAsker(asker.prefecture, asker.municipality) : {}) };
  const body = JSON.stringify({ query: workload.query, variables });
  return date ? body.split(DATE).join(date) : body;
}

type Run = LoadResult & {
  peakRssMb?: number;
  /** The mixed scenario's writes, done per second beside the reads. */
  writesPerSecond?: number;
  subgraphCallsPerOperation: number;
  statementsPerOperation: number;
  versionQuestionsPerOperation: number;
  cpu: CpuPerOperation;
};

function summarize(target: string, workload: string, scenario: string, concurrency: number, data: string, runs: Run[]): Cell {
  const cpu = (pick: (c: CpuPerOperation) => number | null) => {
    const values = runs.map((r) => pick(r.cpu)).filter((v): v is number => v !== null);
    return values.length ? Math.round(median(values) * 1000) / 1000 : null;
  };
  const subgraphNames = Object.keys(runs[0]?.cpu.subgraphs ?? {});
  return {
    target,
    workload,
    scenario,
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
    subgraphCallsPerOperation: median(runs.map((r) => r.subgraphCallsPerOperation)),
    statementsPerOperation: median(runs.map((r) => r.statementsPerOperation)),
    versionQuestionsPerOperation: median(runs.map((r) => r.versionQuestionsPerOperation)),
    ...(runs.some((r) => r.writesPerSecond !== undefined) ? { writesPerSecond: median(runs.map((r) => r.writesPerSecond ?? 0)) } : {}),
    cpuMsPerOperation: {
      gateway: cpu((c) => c.gateway),
      subgraphs: Object.fromEntries(subgraphNames.map((name) => [name, cpu((c) => c.subgraphs[name]) ?? 0])),
      subgraphsTotal: cpu((c) => c.subgraphsTotal) ?? 0,
    },
  };
}

/** Ten prefectures with many small municipalities: whose advisors and staff make the many-viewer load. */
const PREFECTURES = ['01', '02', '03', '05', '07', '20', '32', '43', '46', '47'];

/**
 * The many-viewer load's askers, `count` of them for every workload: in turn an advisor, another, a
 * third, the prefecture's staff and a national analyst (asking about that prefecture), prefecture after
 * prefecture — or, for a workload that reads free text (which analysts may not), a fourth advisor in the
 * analyst's place.
 */
async function makeAskers(jwt: Parameters<typeof signDevelopmentToken>[0], smallest: Map<string, string>, count: number) {
  const tokens = new Map<string, Asker>();
  const asker = async (viewer: Viewer, prefecture: string) => {
    let found = tokens.get(viewer.subject!);
    if (!found) {
      const token = await signDevelopmentToken(
        jwt,
        { subject: viewer.subject!, role: viewer.role!, prefectureCode: viewer.prefectureCode ?? undefined },
        '12h',
      );
      tokens.set(viewer.subject!, (found = { viewer, token, prefecture, municipality: smallest.get(prefecture)! }));
    }
    return found;
  };
  const all: Asker[] = [];
  const people: Asker[] = [];
  for (let i = 0; all.length < count; i += 1) {
    const prefecture = PREFECTURES[i % PREFECTURES.length];
    const round = Math.floor(i / PREFECTURES.length);
    const kind = round % 5;
    const advisor = (n: number) => asker({ subject: `bench-advisor-${prefecture}-${n}`, role: 'ADVISOR', prefectureCode: prefecture }, prefecture);
    if (kind < 3) {
      const one = await advisor(round);
      all.push(one);
      people.push(one);
    } else if (kind === 3) {
      const staff = await asker({ subject: `bench-staff-${prefecture}-${round}`, role: 'PREFECTURE_STAFF', prefectureCode: prefecture }, prefecture);
      all.push(staff);
      people.push(staff);
    } else {
      all.push(await asker({ subject: `bench-analyst-${prefecture}-${round}`, role: 'ANALYST', prefectureCode: null }, prefecture));
      people.push(await advisor(round + 100));
    }
  }
  return { all, people };
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
      // The load is 50 viewers each sending as fast as it is answered, far past a person's or a BI tool's pace: our
      // gateway's budget of points a minute per caller (gateway/rate-limit.ts) would refuse it, and the peers have none.
      RATE_LIMIT_POINTS_PER_MINUTE: '0',
      RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE: '0',
      ...SECRETS,
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${settingPrefix(s.name)}_PORT`, '0'])),
    };
    cleanup.push(async () => {
      for (const s of SUBGRAPHS) await dropDatabase(databaseUrl!, databaseNameFor(s.name, prefix));
    });

    console.log('Starting the four subgraphs, each in a process of its own (migrations, sample data)…');
    const subgraphs = await Promise.all(
      SUBGRAPHS.map(async ({ name }) => {
        const service = await spawnService(name, [projectPath('dist', 'subgraphs', name, 'main.js')], env);
        cleanup.push(() => service.stop());
        return service;
      }),
    );
    const urls: Env = Object.fromEntries(subgraphs.map((s) => [`${settingPrefix(s.name)}_URL`, s.url]));
    const dispatchData = await openDatabase(loadSubgraphConfig('dispatch', env).database, dispatchSubgraph.database, silentLog());
    cleanup.push(() => dispatchData.destroy());
    const postgresVersion = ((await dispatchData.query('SHOW server_version')) as Array<{ server_version: string }>)[0].server_version;

    const gatewayConfig = loadGatewayConfig({ ...env, ...urls });
    const adminToken = await signDevelopmentToken(gatewayConfig.jwt, { subject: 'bench-admin', role: 'ADMIN' }, '12h');
    const admin: Asker = {
      viewer: { subject: 'bench-admin', role: 'ADMIN', prefectureCode: null },
      token: adminToken,
      prefecture: '01',
      municipality: '013617',
    };

    console.log('Starting the gateways…');
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8').replace(
      /@join__graph\(name: "([\w-]+)", url: "[^"]+"\)/g,
      (_all, name: string) => `@join__graph(name: "${name}", url: "${subgraphs.find((s) => s.name === name)!.url}")`,
    );
    const work = mkdtempSync(join(tmpdir(), 'bench-'));
    cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
    const supergraphFile = join(work, 'supergraph.graphql');
    writeFileSync(supergraphFile, supergraph);
    const gateways: Process[] = [];
    const launch = async (gateway: Process) => {
      gateways.push(gateway);
      cleanup.push(() => gateway.stop());
    };
    // BENCH_PROFILE=1: a CPU profile of our gateways (ours, ours-uncached), written to reports/bench/ when they stop
    // (V8's sampler: wall time while JavaScript runs, a write that is preempted included). BENCH_PROFILE=perf: V8
    // writes /tmp/perf-<pid>.map, so that Linux perf (`perf record -e cpu-clock -g -p <pid>`) names JavaScript
    // functions in a profile of CPU time only, the kernel's share included.
    const profile = process.env.BENCH_PROFILE === 'perf' ? ['--perf-basic-prof'] : process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${REPORTS}`] : [];
    await launch(
      await spawnService('ours', [...profile, ...gatewayNodeFlags(), projectPath('dist', 'gateway', 'main.js')], { ...env, ...urls, GATEWAY_PORT: '0' }),
    );
    // `ours-uncached`: our gateway keeping no answers (RESPONSE_CACHE_MB=0), to measure what keeping them does.
    if (settings.targets.includes('ours-uncached')) {
      const uncachedEnv = { ...env, ...urls, GATEWAY_PORT: '0', RESPONSE_CACHE_MB: '0' };
      await launch(await spawnService('ours-uncached', [...profile, ...gatewayNodeFlags(), projectPath('dist', 'gateway', 'main.js')], uncachedEnv));
    }
    if (settings.targets.includes('grafbase') && !grafbaseInstalled()) {
      console.log('  Grafbase is left out: its CLI is not installed (Linux x64 only).');
    } else if (settings.targets.includes('grafbase')) {
      const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
      const { url, child } = await startGrafbase(work, subgraphUrls, SECRETS.GATEWAY_SECRET);
      await launch({ name: 'grafbase', url, child, stop: () => stopChild(child) });
    }
    const hiveEnv = { NODE_ENV: 'production', BENCH_SUPERGRAPH: supergraphFile, BENCH_GATEWAY_SECRET: SECRETS.GATEWAY_SECRET };
    if (settings.targets.includes('hive')) await launch(await spawnService('hive', [projectPath('dist', 'bench', 'hive-gateway.js')], hiveEnv));
    if (settings.targets.includes('hive-rust'))
      await launch(await spawnService('hive-rust', [projectPath('dist', 'bench', 'hive-gateway.js'), '--rust'], hiveEnv));
    const ours = gateways[0];

    // Each prefecture's smallest municipality: what the askers' one-municipality reads (d) ask about.
    const towns = await fetch(ours.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: `{ prefectures { code municipalities { code population } } }` }),
    });
    const smallest = new Map<string, string>();
    for (const p of ((await towns.json()) as { data: { prefectures: Array<{ code: string; municipalities: Array<{ code: string; population: number }> }> } })
      .data.prefectures) {
      smallest.set(p.code, [...p.municipalities].sort((a, b) => a.population - b.population)[0].code);
    }
    const many = await makeAskers(gatewayConfig.jwt, smallest, settings.viewers);
    console.log(
      `Many viewers: ${many.all.length} distinct (${PREFECTURES.length} prefectures' advisors and staff, and analysts); ${many.people.length} people of the prefectures for the reads with free text.`,
    );

    // Writes go to a prefecture the reads do not look at, so they change no read's answer.
    const [{ id: advisorId }] = await dispatchData.query(`SELECT id FROM advisor WHERE prefecture_code = '13' ORDER BY id LIMIT 1`);
    const all = workloads(advisorId, '13', '131016');
    // The cold scenario runs its workloads (n, s, x): those `--workloads` names, or all of them when it names none.
    const coldNamed = all.some((w) => w.id in COLD && settings.workloads.includes(w.id));
    const mix = all.filter((w) => settings.workloads.includes(w.id) || (w.id in COLD && !coldNamed && settings.scenarios.includes('cold')));
    /** The writes sent beside the reads of the `mixed` scenario. */
    const writes = all.find((w) => w.write)!;
    const scenarios: Array<{
      name: string;
      askers: { all: Asker[]; people: Asker[] };
      workloads: Workload[];
      concurrencies: number[];
      /** The mixed scenarios' writes beside the reads. */
      writesPerSecond?: number;
    }> = [];
    const hot = mix.filter((w) => !(w.id in COLD));
    if (settings.scenarios.includes('many')) scenarios.push({ name: 'many', askers: many, workloads: hot, concurrencies: settings.concurrencies });
    if (settings.scenarios.includes('mixed')) {
      for (const rate of settings.writesPerSecond)
        scenarios.push({
          name: withWrites(rate),
          askers: many,
          workloads: hot.filter((w) => !w.write),
          concurrencies: settings.concurrencies,
          writesPerSecond: rate,
        });
    }
    const onlyAdmin = { all: [admin], people: [admin] };
    if (settings.scenarios.includes('one')) scenarios.push({ name: 'one', askers: onlyAdmin, workloads: hot, concurrencies: settings.concurrencies });
    if (settings.scenarios.includes('cold')) {
      scenarios.push({ name: 'cold', askers: onlyAdmin, workloads: mix.filter((w) => w.id in COLD), concurrencies: [settings.coldConcurrency] });
    }
    /** Writes come from an admin in every scenario; reads with free text from people of the prefectures. */
    const askersOf = (scenario: (typeof scenarios)[number], workload: Workload) =>
      workload.write ? [admin] : workload.freeText ? scenario.askers.people : scenario.askers.all;

    console.log('Recording the subgraph calls of each workload and asker (the floor)…');
    const toCapture = new Map<string, { key: string; workload: Workload; asker: Asker }>();
    for (const scenario of scenarios) {
      for (const workload of scenario.workloads) {
        for (const asker of askersOf(scenario, workload)) {
          const key = `${workload.id}/${asker.viewer.subject}`;
          toCapture.set(key, { key, workload, asker });
        }
      }
    }
    const writer = { key: `${writes.id}/${admin.viewer.subject}`, workload: writes, asker: admin };
    if (scenarios.some((s) => s.writesPerSecond)) toCapture.set(writer.key, writer);
    const { floor, plans } = await captureSubgraphCalls({ ...env, ...urls }, subgraphs, [...toCapture.values()]);
    for (const [id, waves] of Object.entries(plans)) console.log(`  (${id}) ${waves.join('  →  ')}`);

    /** The peers that can answer a workload: only ours has the exports. */
    const canRun = (target: string, workload: Workload) =>
      target === 'bare-node' ? !workload.path && !workload.write && !(workload.id in COLD) : !workload.path || target.startsWith('ours') || target === 'floor';
    const jobFor = (target: string, workload: Workload, askers: Asker[], concurrency: number, durationMs: number, firstDay = 0) => {
      const base = { concurrency, durationMs, uniquePlaceholder: UNIQUE, datePlaceholder: DATE, firstDay };
      if (target === 'floor') return { job: { ...base, operations: askers.map((a) => floor.get(`${workload.id}/${a.viewer.subject}`)!) } as LoadJob };
      const gateway = gateways.find((g) => g.name === target)!;
      const operations: Operation[] = askers.map((asker) => {
        const headers = headersFor(target, asker, workload);
        const call: HttpCall = workload.path
          ? { url: new URL(workload.path, gateway.url).href, headers, method: 'GET' }
          : { url: gateway.url, headers, body: requestBody(workload, asker) };
        return [[call]];
      });
      return { job: { ...base, operations } as LoadJob, pid: gateway.child.pid };
    };

    // A peer whose answer to a read differs from ours is not measured on it (a wrong answer is no
    // comparison); the report says so. Checked for every asker of every scenario. Ours' answers are
    // what `bare-node` hands out.
    const excluded: Record<string, string> = {};
    const oursAnswers: Record<string, string> = {};
    for (const gateway of gateways) {
      const refused = /cannot load the supergraph: (.*)/.exec(gateway.startOutput ?? '')?.[1];
      if (!refused) continue;
      console.log(`  ${gateway.name} cannot load the supergraph (${refused}): not measured`);
      for (const workload of mix) excluded[`${gateway.name}/${workload.id}`] = `cannot load the supergraph: ${refused}`;
    }
    for (const scenario of scenarios) {
      for (const workload of scenario.workloads.filter((w) => !w.write && !w.path)) {
        for (const asker of askersOf(scenario, workload)) {
          const body = requestBody(workload, asker, '2025-04-01');
          const texts = await Promise.all(
            gateways.map(async (g) => {
              const response = await fetch(g.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...headersFor(g.name, asker, workload) },
                body,
              });
              return response.text();
            }),
          );
          oursAnswers[bareNodeKey(headersFor('ours', asker, workload).authorization, body)] = texts[0];
          const answers = texts.map((text) => JSON.stringify(JSON.parse(text)));
          if (answers[0].includes('"errors"'))
            throw new Error(`ours answers (${workload.id}) for ${asker.viewer.subject} with errors: ${answers[0].slice(0, 500)}`);
          for (let i = 1; i < answers.length; i += 1) {
            const key = `${gateways[i].name}/${workload.id}`;
            if (excluded[key]) continue;
            if (answers[i] !== answers[0]) {
              excluded[key] = `answers differently from ours (for ${asker.viewer.subject}): ${answers[i].slice(0, 300)}`;
              console.log(`  ${gateways[i].name} is not measured on (${workload.id}): its answer differs from ours: ${answers[i].slice(0, 200)}`);
            }
          }
        }
      }
    }
    // `bare-node`: a bare Node HTTP server handing out ours' answers (bench/bare-node.ts), on the reads
    // of the many- and one-viewer scenarios — what any Node server spends per kept answer.
    if (settings.targets.includes('bare-node')) {
      const answersFile = join(work, 'bare-node-answers.json');
      writeFileSync(answersFile, JSON.stringify(oursAnswers));
      await launch(await spawnService('bare-node', [projectPath('dist', 'bench', 'bare-node.js'), answersFile], {}));
    }
    const measured = (target: string, workload: Workload) => !excluded[`${target}/${workload.id}`] && canRun(target, workload);
    const targets = [...gateways.map((g) => g.name), 'floor'].filter((t) => settings.targets.includes(t));

    console.log('Warming up…');
    for (const scenario of scenarios) {
      for (const target of targets) {
        for (const workload of scenario.workloads.filter((w) => measured(target, w))) {
          await runLoad(jobFor(target, workload, askersOf(scenario, workload), 10, 1500, WARM_UP_DAYS).job);
        }
      }
    }

    const cells: Cell[] = [];
    let day = 0; // the next date no request has asked about yet (days after 1900-01-01), for (s)
    const measure = async (data: string, all: string[], scenario: (typeof scenarios)[number], chosen: Workload[]) => {
      for (const workload of chosen) {
        // `bare-node` answers reads only: not beside the mixed scenarios' writes.
        const names = all.filter((target) => measured(target, workload) && !(target === 'bare-node' && scenario.writesPerSecond));
        for (const concurrency of scenario.concurrencies) {
          const runs = new Map<string, Run[]>(names.map((n) => [n, []]));
          for (let round = 0; round < settings.rounds; round += 1) {
            // Rotate the order each round so that no target always runs first (or last).
            const order = names.map((_, i) => names[(i + round) % names.length]);
            for (const target of order) {
              const { job, pid } = jobFor(target, workload, askersOf(scenario, workload), concurrency, settings.durationMs, day);
              if (workload.variables?.asOf === DATE) day += DAYS_PER_RUN;
              const pids = subgraphs.map((s) => s.child.pid!);
              const before = { counters: await Promise.all(subgraphs.map(subgraphCounters)), cpu: pids.map(cpuMs), gateway: pid ? cpuMs(pid) : 0 };
              // The mixed scenario's writes go to the same target meanwhile (one writer, at a steady rate).
              const writing = scenario.writesPerSecond
                ? runLoad({ ...jobFor(target, writes, [admin], 1, settings.durationMs).job, perSecond: scenario.writesPerSecond })
                : undefined;
              const [result, written] = await Promise.all([runLoad(job, pid), writing]);
              const counters = await Promise.all(subgraphs.map(subgraphCounters));
              const ops = Math.max(1, result.operations);
              const per = (n: number) => Math.round((n / ops) * 1000) / 1000;
              const subgraphCpu = Object.fromEntries(subgraphs.map((s, i) => [s.name, per(cpuMs(pids[i]) - before.cpu[i])]));
              runs.get(target)!.push({
                ...result,
                ...(written
                  ? { writesPerSecond: written.requestsPerSecond, errors: result.errors + written.errors, firstError: result.firstError ?? written.firstError }
                  : {}),
                subgraphCallsPerOperation: Math.round(per(counters.reduce((sum, c, i) => sum + c.requests - before.counters[i].requests, 0)) * 100) / 100,
                statementsPerOperation: Math.round(per(counters.reduce((sum, c, i) => sum + c.statements - before.counters[i].statements, 0)) * 100) / 100,
                versionQuestionsPerOperation:
                  Math.round(per(counters.reduce((sum, c, i) => sum + c.versionQuestions - before.counters[i].versionQuestions, 0)) * 100) / 100,
                cpu: {
                  gateway: pid ? per(cpuMs(pid) - before.gateway) : null,
                  subgraphs: subgraphCpu,
                  subgraphsTotal: Object.values(subgraphCpu).reduce((a, b) => a + b, 0),
                },
              });
            }
          }
          for (const target of names) {
            const cell = summarize(target, workload.id, scenario.name, concurrency, data, runs.get(target)!);
            cells.push(cell);
            const cpu = cell.cpuMsPerOperation;
            console.log(
              `  ${data} ${scenario.name} (${workload.id}) c=${concurrency} ${target.padEnd(9)} ${Number(cell.requestsPerSecond).toFixed(1).padStart(8)} req/s  p95 ${Number(cell.p95).toFixed(1)} ms  CPU ms/op gateway ${cpu.gateway ?? '—'} subgraphs ${cpu.subgraphsTotal}${cell.errors ? `  ${cell.errors} errors: ${cell.firstError}` : ''}`,
            );
          }
        }
      }
    };
    console.log(`Measuring: ${settings.rounds} rounds of ${settings.durationMs / 1000} s per target, workload, scenario and concurrency…`);
    for (const scenario of scenarios) await measure('sample', targets, scenario, scenario.workloads);

    let largeVisits = 0;
    const largeScenario = scenarios.find((s) => s.name === 'many') ?? scenarios[0];
    const largeMix = largeScenario.workloads.filter((w) => w.id === 'a' || w.id === 'b');
    if (settings.largeVisits > 0 && largeMix.length > 0) {
      console.log(`Writing a large dispatch log (${settings.largeVisits.toLocaleString('en')} visits, 10 years, 47 prefectures)…`);
      largeVisits = await writeLargeLog(new DispatchStore(dispatchData), { visits: settings.largeVisits, years: 10, until: '2025-10-31' });
      // What autovacuum does after a bulk insert, done now rather than whenever it gets to it: until the
      // visibility map is set, the visit counts' index-only scans read every heap page (measured on
      // 500,000 visits: 12.6 ms instead of 3.9 ms for one prefecture's counts).
      await dispatchData.query('VACUUM ANALYZE');
      // And the checkpoint those writes call for, now rather than in the middle of a measurement (writing
      // out the new pages takes CPU and disk from everything measured then). Needs a superuser: else left to PostgreSQL.
      await dispatchData.query('CHECKPOINT').catch(() => undefined);
      for (const workload of largeMix) await runLoad({ ...jobFor('ours', workload, askersOf(largeScenario, workload), 1, 1500).job }); // warm the new data's pages
      // The floor's recorded calls are those of the sample; the large log's answers differ, the calls do not.
      await measure('large', ['ours', 'floor'], largeScenario, largeMix);
    }

    const [{ visits }] = await dispatchData.query('SELECT count(*)::int AS visits FROM visit');
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
