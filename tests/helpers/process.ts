/** Real processes for tests: an entry point run from the TypeScript sources in a process of its own. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Env } from '../../shared/config';
import { readyUrlIn } from '../../shared/main';
import { projectPath } from '../../shared/paths';

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Runs an entry point (e.g. gateway/main.ts) from the sources; resolves when it logs "<name> ready at <url>". */
export async function startProcess(entry: string, env: Env, name: string, args: readonly string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), projectPath(entry), ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a process that never said it is ready must not outlive the test
      reject(new Error(`${name} did not start:\n${output}`));
    }, 30_000);
    const look = () => {
      const url = readyUrlIn(output, name);
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout!.on('data', look);
    void exit.then(() => reject(new Error(`${name} exited:\n${output}`)));
  });
  return { child, url, output: () => output, exit };
}
