/**
 * The benchmark's `bare-node` target: the least a Node.js HTTP server can spend on handing out a kept
 * answer. It answers each POST with the bytes our gateway answered that same body and Authorization
 * header with (recorded before measuring) — no authentication, no data-version question, no log, no
 * metrics, no headers but the content's. What our gateway spends per kept answer above this is its
 * own; what this spends is Node's HTTP server and the kernel's loopback TCP, which any Node gateway pays.
 *
 *   node dist/bench/bare-node.js answers.json   (a JSON object: "<authorization>\n<body>" → answer text)
 *   → prints `ready at http://127.0.0.1:<port>/graphql`
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The key an answer is recorded under: who asked and what. */
export const bareNodeKey = (authorization: string, body: string) => `${authorization}\n${body}`;

function main(file: string): void {
  const answers = new Map<string, Buffer>(
    Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(([key, text]) => [key, Buffer.from(text, 'utf8')]),
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = answers.get(bareNodeKey(String(req.headers.authorization), Buffer.concat(chunks).toString('utf8')));
      if (!answer) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not recorded');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length }).end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`ready at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) main(process.argv[2]);
