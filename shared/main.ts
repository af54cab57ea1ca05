/** Entry-point plumbing: start, print where, stop cleanly on Ctrl-C/SIGTERM, explain failures in one line. */
import { relative } from 'node:path';
import { readCommandLine } from './command-line';
import { ConfigError } from './config';
import { DatabaseAheadOfCode, DatabasePermissionError, DatabaseUnreachableError } from './database';
import { PortInUseError } from './http';
import { type Logger, createLogger } from './log';
import type { RunningService } from './server';

/** A cause the user can act on from its message alone (no stack needed). */
function isExplained(error: unknown): boolean {
  const explained = [PortInUseError, ConfigError, DatabaseUnreachableError, DatabasePermissionError, DatabaseAheadOfCode];
  // A file or folder the command could not use (ENOENT, EACCES, ENOTDIR, …): its message names the path and why.
  const system = typeof (error as NodeJS.ErrnoException)?.syscall === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string';
  return system || explained.some((kind) => error instanceof kind);
}

/** Prints a command's startup failure the way a user can act on: one line for known causes, the stack otherwise. */
export function reportStartupFailure(error: unknown): void {
  if (isExplained(error)) console.error((error as Error).message);
  else console.error(error);
}

/** How a command tells what it does while stopping: lines for a person (`npm start`) or a service's JSON log. */
interface StopReporter {
  stopping(signal: string): void;
  failed(error: unknown): void;
}

const TO_CONSOLE: StopReporter = {
  stopping: (signal) => console.error(`${signal} received, stopping…`),
  failed: (error) => console.error(error),
};

/**
 * Stops `services` (in order) once, on the first SIGINT, SIGTERM or SIGHUP (its terminal closed: Node's own
 * default would end the process at once, leaving what it started running), then exits 0.
 */
export function stopOnSignals(services: () => Array<{ stop(): Promise<void> }>, report: StopReporter = TO_CONSOLE): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait for the first
    stopping = true;
    report.stopping(signal);
    for (const service of services()) {
      await service.stop().catch(report.failed);
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

/** On a crash (an exception nothing caught), tells it, stops `services` (in order) and exits 1: what they started — a database — does not outlive the process. */
export function stopOnCrash(services: () => Array<{ stop(): Promise<void> }>, report: StopReporter = TO_CONSOLE): void {
  let crashed = false;
  process.on('uncaughtException', (error) => {
    report.failed(error);
    if (crashed) return; // another failure while stopping: told, the stop goes on
    crashed = true;
    void (async () => {
      for (const service of services()) await service.stop().catch(() => undefined);
      process.exit(1);
    })();
  });
}

/** The URL in a service's ready line (`runService`'s, or a peer's plain `<name> ready at <url>`), if `output` has one yet. */
export function readyUrlIn(output: string, name = ''): string | undefined {
  return output.match(new RegExp(`${name} ready at (http://[^\\s"]+)`))?.[1];
}

/**
 * Runs one service as a process of its own (docker-compose, production): every line it writes is a JSON
 * log line of its one logger — ready, stopping, a startup failure, a crash — for log collectors that
 * parse each line. A crash is logged like any error (`errorForLog`: a database error's message, which may
 * quote a stored value, is not).
 */
export function runService(name: string, start: (log: Logger) => Promise<RunningService>): void {
  readCommandLine({
    usage:
      `Usage: node ${relative(process.cwd(), process.argv[1] ?? '') || 'main.js'}\nRuns the ${name} service on its own (docker-compose, production); ` +
      'settings are environment variables (README "Configuration").',
  });
  const log = createLogger(name);
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception, exiting');
    process.exit(1);
  });
  // Through a promise, so that a setting refused before anything starts (thrown at once) is reported like the rest.
  Promise.resolve(log)
    .then(start)
    .then(
      (service) => {
        log.info({ url: service.url }, `${name} ready at ${service.url}`);
        stopOnSignals(() => [service], {
          stopping: (signal) => log.info({ signal }, `${signal} received, stopping…`),
          failed: (error) => log.error({ err: error }, 'stopping failed'),
        });
      },
      (error: unknown) => {
        if (isExplained(error)) log.fatal((error as Error).message);
        else log.fatal({ err: error }, `${name} could not start`);
        process.exit(1);
      },
    );
}
