/**
 * nginx (Debian's `nginx-light`) in front of a gateway, running the project's own `deploy/nginx/advisor-api.conf`
 * with only its addresses and certificate replaced (a certificate made for the test). Without the binary a test
 * needing it is skipped with a warning — unless REQUIRE_NGINX=1 (as in CI), which makes a missing nginx a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../shared/embedded-postgres';
import { projectPath } from '../../shared/paths';
import { firstExisting, testNeeding } from './system-tools';

const NGINX = firstExisting([process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']);

/** `it` when nginx can be had, else `it.skip` (a failure instead when REQUIRE_NGINX is set). */
export const nginxTestFor = (what: string): jest.It =>
  testNeeding({ name: 'nginx', path: NGINX, install: "install Debian's nginx-light or set NGINX_PATH", required: 'REQUIRE_NGINX' }, what);

export interface RunningNginx {
  /** `https://127.0.0.1:<port>`: the TLS server. */
  https: string;
  /** `http://127.0.0.1:<port>`: the plain-HTTP server, which only redirects. */
  http: string;
  /** What nginx wrote to the site's access log so far. */
  accessLog(): string;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

/** Starts nginx with deploy/nginx/advisor-api.conf in front of the gateway listening on `gatewayPort`. */
export async function startNginx(gatewayPort: number): Promise<RunningNginx> {
  const folder = mkdtempSync(join(tmpdir(), 'nginx-'));
  const temporaries = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
  for (const name of temporaries) mkdirSync(join(folder, name));
  const [key, certificate] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', certificate], {
    stdio: 'ignore',
  });
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const shipped = readFileSync(projectPath('deploy', 'nginx', 'advisor-api.conf'), 'utf8');
  const site = [
    [/server 127\.0\.0\.1:4000;/, `server 127.0.0.1:${gatewayPort};`],
    [/listen 80;/, `listen 127.0.0.1:${httpPort};`],
    [/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/\/etc\/ssl\/advisor-api\/fullchain\.pem/, certificate],
    [/\/etc\/ssl\/advisor-api\/privkey\.pem/, key],
    [/\/var\/log\/nginx\/advisor-api\.access\.log/, join(folder, 'access.log')],
  ].reduce<string>((text, [from, to]) => {
    if (!(from as RegExp).test(text)) throw new Error(`deploy/nginx/advisor-api.conf no longer has ${from}: update tests/helpers/nginx.ts`);
    return text.replace(from as RegExp, to as string);
  }, shipped);
  writeFileSync(join(folder, 'advisor-api.conf'), site);
  writeFileSync(
    join(folder, 'nginx.conf'),
    [
      ...(process.getuid?.() === 0 ? ['user root;'] : []), // its temporary files are in this test's folder
      'worker_processes 1;',
      'daemon off;',
      `pid ${join(folder, 'nginx.pid')};`,
      `error_log ${join(folder, 'error.log')} warn;`,
      'events {}',
      'http {',
      '  access_log off;',
      ...temporaries.map((name) => `  ${name}_temp_path ${join(folder, name)};`),
      `  include ${join(folder, 'advisor-api.conf')};`,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(NGINX!, ['-p', folder, '-c', join(folder, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const https = `https://127.0.0.1:${httpsPort}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null)
      throw new Error(`nginx stopped: ${output}${existsSync(join(folder, 'error.log')) ? readFileSync(join(folder, 'error.log'), 'utf8') : ''}`);
    if (await accepts(httpsPort)) break;
    if (i > 50) throw new Error(`nginx did not listen on ${httpsPort}: ${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    https,
    http: `http://127.0.0.1:${httpPort}`,
    accessLog: () => (existsSync(join(folder, 'access.log')) ? readFileSync(join(folder, 'access.log'), 'utf8') : ''),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
