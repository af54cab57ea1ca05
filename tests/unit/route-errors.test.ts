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

it('answers a known path asked with another method 405 naming the methods it takes, in the shape of the routes under it', async () => {
  const log = pino({ level: 'silent' });
  const app = express();
  app.get('/export/:file', (_req, res) => void res.send('a,b'));
  app.post('/import/:kind/:id/revert', (_req, res) => void res.json({ reverted: true }));
  app.get('/export-fails/:file', () => {
    throw new Error('boom');
  });
  app.get('/import/fails', () => {
    throw new Error('boom');
  });
  app.get('/health', (_req, res) => void res.send('ok'));
  finishRoutes(app, log, ['/export', '/import']);
  const { server, origin } = await listen(httpServerFor(loggingRequests(app, log, new Set())), '127.0.0.1', 0, 'TEST_PORT');
  const ask = async (method: string, path: string) => {
    const response = await fetch(`${origin}${path}`, { method });
    return { status: response.status, allow: response.headers.get('allow'), body: (await response.json()) as Record<string, any> };
  };
  try {
    // Power Query's Web.Contents with Content POSTs: the URL is right, the method is not.
    expect(await ask('POST', '/export/municipality-status.csv')).toEqual({
      status: 405,
      allow: 'GET, HEAD',
      body: {
        code: 'BAD_REQUEST',
        error: 'This URL does not take POST: send GET or HEAD',
        messageJa: expect.stringContaining('GET / HEAD のいずれかで送って'),
      },
    });
    expect(await ask('GET', '/import/core-centers/1/revert')).toMatchObject({ status: 405, allow: 'POST', body: { code: 'BAD_REQUEST' } });
    const options = await fetch(`${origin}/export/municipality-status.csv`, { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, OPTIONS']);
    // Under those routes, an unknown path is refused as they refuse; elsewhere as GraphQL errors.
    expect(await ask('GET', '/import/a/b/c/d')).toMatchObject({ status: 404, allow: null, body: { code: 'NOT_FOUND', messageJa: expect.any(String) } });
    expect(await ask('DELETE', '/health')).toMatchObject({ status: 405, allow: 'GET, HEAD', body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await ask('GET', '/nothing')).toMatchObject({ status: 404, body: { errors: [{ extensions: { code: 'NOT_FOUND' } }] } });
    expect((await ask('GET', '/export-fails/x')).body).toMatchObject({ errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(await ask('GET', '/import/fails')).toMatchObject({ status: 500, body: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } });
  } finally {
    server.close();
  }
});
