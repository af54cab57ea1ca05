/**
 * The benchmark's load generator, run as a process of its own so that it never shares an event loop
 * with what it measures. A closed loop: `concurrency` workers each send an operation, wait for the
 * whole answer, and send the next, for `durationMs`. An operation is either one HTTP request (to a
 * gateway) or the floor's sequence of subgraph requests (waves run one after another, the requests of
 * a wave in parallel, as the gateway's query plan runs them). The job lists one operation per viewer;
 * they are taken in turn. With `perSecond`, operations start at that steady rate at most (the writes
 * sent beside the reads of the `mixed` scenario), whatever the answers' speed.
 *
 *   node dist/bench/load.js job.json   (a LoadJob)  → prints a LoadResult as JSON
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export interface HttpCall {
  url: string;
  headers: Record<string, string>;
  /** A POST's body; none for a GET (an export). */
  body?: string;
  method?: 'GET' | 'POST';
}

/** One operation: waves of calls — one call for a gateway, the captured subgraph calls for the floor. */
export type Operation = HttpCall[][];

export interface LoadJob {
  /** The operations, taken in turn (one per viewer). */
  operations: Operation[];
  concurrency: number;
  durationMs: number;
  /** Replaced in every body and URL by a value unique to the operation (idempotency keys of writes). */
  uniquePlaceholder?: string;
  /** Replaced in every body and URL by a date unique to the operation: day `firstDay + n` after 1900-01-01. */
  datePlaceholder?: string;
  firstDay?: number;
  /** Start operations at this rate at most, evenly spaced (none: each worker sends the next at once). */
  perSecond?: number;
}

export interface LoadResult {
  operations: number;
  errors: number;
  firstError?: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function send(agent: Agent, call: HttpCall, url: string, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? call.headers : { ...call.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request(url, { method: call.method ?? 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const DAY = 24 * 3600 * 1000;
const dateOf = (day: number) => new Date(Date.UTC(1900, 0, 1) + day * DAY).toISOString().slice(0, 10);

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const widest = Math.max(...job.operations.flatMap((waves) => waves.map((wave) => wave.length)));
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency * widest });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + job.durationMs;

  const operation = async () => {
    const n = sequence++;
    const fill = (text: string) => {
      let out = job.uniquePlaceholder ? text.split(job.uniquePlaceholder).join(`${process.pid}-${n}`) : text;
      if (job.datePlaceholder) out = out.split(job.datePlaceholder).join(dateOf((job.firstDay ?? 0) + n));
      return out;
    };
    for (const wave of job.operations[n % job.operations.length]) {
      const answers = await Promise.all(wave.map((call) => send(agent, call, fill(call.url), call.body === undefined ? undefined : fill(call.body))));
      for (const answer of answers) {
        if (answer.status !== 200 || (answer.text.startsWith('{') && answer.text.includes('"errors"'))) {
          throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
        }
      }
    }
  };

  let slots = 0;
  /** With a rate: waits for the next free start time; false when it falls after the deadline. */
  const paced = async () => {
    if (!job.perSecond) return true;
    const due = started + (slots++ * 1000) / job.perSecond;
    if (due >= deadline) return false;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return true;
  };

  const worker = async () => {
    while (performance.now() < deadline && (await paced())) {
      const t0 = performance.now();
      try {
        await operation();
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  // A paced job stops at its last start time, before the deadline: its rate is over the whole window.
  const elapsedSeconds = Math.max(performance.now() - started, job.durationMs) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    operations: latencies.length,
    errors,
    firstError,
    requestsPerSecond: round(latencies.length / elapsedSeconds),
    p50: round(quantile(latencies, 0.5)),
    p95: round(quantile(latencies, 0.95)),
    p99: round(quantile(latencies, 0.99)),
    mean: round(latencies.reduce((sum, l) => sum + l, 0) / Math.max(1, latencies.length)),
  };
}

if (require.main === module) {
  runLoad(JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadJob).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
