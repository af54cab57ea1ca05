/**
 * Programs some tests run that npm does not install (Debian's chromium, pgbouncer, nginx-light): found on their usual
 * paths or where a variable names them. Without one, a test needing it is skipped with a warning — unless its
 * REQUIRE_ variable is set (as in CI), which makes the missing program a failure.
 */
import { existsSync } from 'node:fs';

export interface SystemTool {
  /** How people call it, e.g. PgBouncer. */
  name: string;
  /** Where it was found, if anywhere. */
  path: string | undefined;
  /** How to get it, e.g. "install Debian's pgbouncer or set PGBOUNCER_PATH". */
  install: string;
  /** The variable that makes its absence a failure, e.g. REQUIRE_PGBOUNCER. */
  required: string;
}

/** The first of `paths` that exists (an unset variable's place is skipped). */
export const firstExisting = (paths: ReadonlyArray<string | undefined>) => paths.find((p) => p && existsSync(p));

/** `it` when the tool can be had, else `it.skip` (and a failing test in its place when its REQUIRE_ variable is set). */
export function testNeeding(tool: SystemTool, what: string): jest.It {
  if (!tool.path) {
    const message = `${tool.name} not found (${tool.install}): ${what}`;
    if (process.env[tool.required]) it(`has ${tool.name} for ${what}`, () => expect(message).toBe('found'));
    else console.warn(`${message} is skipped`);
  }
  return tool.path || process.env[tool.required] ? it : it.skip;
}
