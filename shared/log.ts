import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One JSON line per event on stdout; LOG_LEVEL=silent quiets it (the tests do). Written without
 * blocking, in batches: lines collect until 8 KB or a quarter of a second has passed, then go out in one
 * write (measured: the gateway's CPU per kept answer (a) 0.26 → 0.20 ms, (b) 0.26 → 0.22 ms, many viewers);
 * what is left is written when the process exits.
 */
export function createLogger(service: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false });
  const batch = new LineBatch(destination, 8192);
  const flush = setInterval(() => {
    try {
      batch.flush();
    } catch {
      clearInterval(flush); // the destination was closed
    }
  }, 250);
  flush.unref();
  if (openBatches.size === 0) process.once('exit', flushAtExit);
  openBatches.add({ batch, destination });
  return pino({ name: service, level: process.env.LOG_LEVEL ?? 'info', base: { service }, serializers: LOG_SERIALIZERS }, batch);
}

/** Every logger's batch, written out synchronously when the process exits. */
const openBatches = new Set<{ batch: LineBatch; destination: { flushSync(): void } }>();
function flushAtExit(): void {
  for (const { batch, destination } of openBatches) {
    try {
      batch.flush();
      destination.flushSync();
    } catch {
      // stdout is gone: nothing to write to
    }
  }
}

/**
 * Lines held in an array until they reach `minLength` characters, then handed on as one string. In front
 * of pino's SonicBoom because its own batching (`minLength`) measures the UTF-8 length of the whole batch
 * so far at every line, which the gateway's CPU profile showed at about 2 % per kept answer.
 */
export class LineBatch {
  private lines: string[] = [];
  private length = 0;

  constructor(
    private readonly destination: { write(text: string): unknown; flush?(done: (error?: Error) => void): void },
    private readonly minLength: number,
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.length += line.length;
    if (this.length >= this.minLength) this.flush();
    return true;
  }

  /** Hands on what is held; with `done` (pino's `logger.flush(done)`), calls it once the destination has written it. */
  flush(done?: (error?: Error) => void): void {
    if (this.lines.length > 0) {
      const text = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
      this.lines = [];
      this.length = 0;
      this.destination.write(text);
    }
    if (done) {
      if (this.destination.flush) this.destination.flush(done);
      else done();
    }
  }
}

/** A database error (TypeORM's QueryFailedError, pg's DatabaseError): its message may quote a stored value. */
function isDatabaseError(error: { name?: string; driverError?: unknown; severity?: unknown }): boolean {
  return error.name === 'QueryFailedError' || error.driverError !== undefined || (typeof error.severity === 'string' && error.name === 'error');
}

/**
 * What an error log line may hold: name, code, message and stack, never variables, SQL parameters or a
 * driver's `detail`, which a full error serializer would copy. A database error's message is replaced
 * by its SQLSTATE (PostgreSQL quotes rejected values in messages such as "invalid input syntax").
 */
export function errorForLog(error: unknown): { name?: string; code?: unknown; message: string; stack?: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) }; // a message already (`{ err: e.message }`)
  const e = error as Error & { code?: unknown; driverError?: unknown; severity?: unknown };
  if (!isDatabaseError(e)) return { name: e.name, code: e.code, message: String(e.message), stack: e.stack };
  const message = `database error ${String(e.code ?? 'unknown')}`;
  const frames = e.stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? [];
  return { name: e.name, code: e.code, message, stack: [`${e.name}: ${message}`, ...frames].join('\n') };
}

/**
 * Every logger's serializers: an error logged as `{ err }` or `{ error }` keeps only what `errorForLog`
 * keeps. pino's own error serializer copies every property, and a failed statement's carry its SQL
 * parameters (a visit's summary or notes, an imported file's cells).
 */
export const LOG_SERIALIZERS = { err: errorForLog, error: errorForLog };

/**
 * Apollo Server's and Apollo Gateway's logger, as lines of `log` (`"component":"apollo"`): their own
 * default is the console, whose bare lines sit outside the JSON logs (and an error there would print
 * whole). An error passed on its own keeps only what `errorForLog` keeps.
 */
export function apolloLogger(log: Logger): {
  debug(message?: unknown): void;
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
} {
  const apollo = log.child({ component: 'apollo' });
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) => {
    if (message instanceof Error) apollo[level]({ err: message }, errorForLog(message).message);
    else apollo[level](String(message));
  };
  // Their info lines ("Gateway successfully loaded schema") are routine: debug, as Apollo Gateway's own default hides them.
  return { debug: at('debug'), info: at('debug'), warn: at('warn'), error: at('error') };
}

/**
 * The complete lines of a service process's output that are not a JSON object: none when everything it
 * wrote (ready, requests, stopping, a failure) went through its logger, as log collectors expect. A last
 * line without its newline (a process killed mid-write) is not complete.
 */
export function linesNotJson(output: string): string[] {
  return output
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed);
      } catch {
        return true;
      }
    });
}
