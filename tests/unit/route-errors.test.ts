/**
 * What a route throws that is nobody's refusal (a bug, a library's surprise) is the server's fault: HTTP 500
 * `INTERNAL_SERVER_ERROR` with the request id to quote, and the error in the log — never passed off as the
 * caller's (it was 400 "the request could not be read", and logged nowhere). A body the caller got wrong stays
 * the caller's (400 / 413).
 */
import express from 'express';
import pino from 'pino';
import { httpServerFor, listen } from '../../shared/http';
import { loggingRequests, requestIdOf } from '../../shared/request-log';
import { finishRoutes } from '../../shared/server';

it('answers a route’s own failure 500 with the request id, logs it, and leaves body errors the caller’s', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const app = express();
  app.get('/fails', () => {
    throw new TypeError('undefined is not a function');
  });
  app.get('/fails-later', async () => {
    await Promise.resolve();
    throw new RangeError('out of range');
  });
  app.post('/takes-json', express.json({ limit: '1kb' }), (req, res) => void res.json({ requestId: requestIdOf(req) }));
  finishRoutes(app, log);
  const { server, origin } = await listen(httpServerFor(loggingRequests(app, log, new Set())), '127.0.0.1', 0, 'TEST_PORT');
  try {
    for (const path of ['/fails', '/fails-later']) {
      const response = await fetch(`${origin}${path}`, { headers: { 'accept-language': 'ja' } });
      expect(response.status).toBe(500);
      const requestId = response.headers.get('x-request-id')!;
      const { errors } = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(errors[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId });
      expect(errors[0].message).toContain(`問い合わせ番号 ${requestId}`);
      await new Promise((done) => setImmediate(done));
      const logged = lines.map((l) => JSON.parse(l));
      expect(logged.find((l) => l.msg === 'internal error' && l.requestId === requestId)).toMatchObject({ level: 50, path });
      expect(logged.find((l) => l.msg === 'request' && l.requestId === requestId)).toMatchObject({ status: 500, errorCodes: ['INTERNAL_SERVER_ERROR'] });
    }
    const post = (body: string) => fetch(`${origin}/takes-json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const broken = await post('{"not json');
    expect([broken.status, ((await broken.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code]).toEqual([
      400,
      'BAD_REQUEST',
    ]);
    const large = await post(JSON.stringify({ text: 'x'.repeat(2000) }));
    expect([large.status, ((await large.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code]).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
    ]);
    expect(lines.filter((l) => l.includes('"internal error"'))).toHaveLength(2); // body errors are not the server's
  } finally {
    server.close();
  }
});
