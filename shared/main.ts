/** Entry-point plumbing: start, print where, stop cleanly on Ctrl-C/SIGTERM, explain failures in one line. */
import { ConfigError } from './config';
import { DatabaseAheadOfCode, DatabasePermissionError, DatabaseUnreachableError } from './database';
import { PortInUseError } from './http';
import type { RunningService } from './server';

/** Prints a startup failure the way a user can act on: one line for known causes, the stack otherwise. */
export function reportStartupFailure(error: unknown): void {
  const explained = [PortInUseError, ConfigError, DatabaseUnreachableError, DatabasePermissionError, DatabaseAheadOfCode];
  // A file or folder the command could not use (ENOENT, EACCES, ENOTDIR, …): its message names the path and why.
  const system = typeof (error as NodeJS.ErrnoException)?.syscall === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string';
  if (system || explained.some((kind) => error instanceof kind)) console.error((error as Error).message);
  else console.error(error);
}

/** Stops `services` (in order) once, on the first SIGINT or SIGTERM, then exits 0. */
export function stopOnSignals(services: () => Array<{ stop(): Promise<void> }>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait for the first
    stopping = true;
    console.error(`${signal} received, stopping…`);
    for (const service of services()) {
      await service.stop().catch((error: unknown) => console.error(error));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export function runService(name: string, start: () => Promise<RunningService>): void {
  // Through a promise, so that a setting refused before anything starts (thrown at once) is reported like the rest.
  Promise.resolve()
    .then(start)
    .then(
      (service) => {
        console.log(`${name} ready at ${service.url}`);
        stopOnSignals(() => [service]);
      },
      (error: unknown) => {
        reportStartupFailure(error);
        process.exit(1);
      },
    );
}
