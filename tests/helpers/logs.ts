/** What the services and PostgreSQL wrote while a test ran: for checks that protected text reaches no log. */
import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * Everything written to this process's stdout and stderr and through `console` from now on (where
 * TypeORM's own logger and any stray print would go), until `restore()`.
 */
export function captureProcessOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const keep = (chunk: unknown) => chunks.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), out(chunk as string, ...(rest as [])))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), err(chunk as string, ...(rest as [])))) as typeof process.stderr.write;
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void keep(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '))),
  );
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * PostgreSQL's server log from the current end on: the embedded server's (tests/global-setup.ts), or
 * the file TEST_POSTGRES_LOG names for a real server. `available` is false when there is none to read.
 */
export function postgresLog(): { available: boolean; since(): string } {
  const file = process.env.TEST_POSTGRES_LOG;
  if (!file || !existsSync(file)) return { available: false, since: () => '' };
  const start = statSync(file).size;
  return { available: true, since: () => readFileSync(file).subarray(start).toString('utf8') };
}
