/** Token verification at the gateway, with verified tokens remembered no longer than they are valid. */
import { createTokenVerifier, signDevelopmentToken } from '../../gateway/auth';

const config = { secret: 's'.repeat(40) };

it('remembers a verified token only until it expires', async () => {
  // The clock is moved, not waited for: Date is faked, timers and promises are real.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
  try {
    const verify = createTokenVerifier(config);
    const token = await signDevelopmentToken(config, { subject: 'a', role: 'ADMIN' }, Math.floor(Date.now() / 1000) + 2);
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'a', role: 'ADMIN' });
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'a', role: 'ADMIN' }); // remembered
    jest.setSystemTime(Date.now() + 2_100);
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('expired') });
  } finally {
    jest.useRealTimers();
  }
});

it('never remembers a refused token', async () => {
  const verify = createTokenVerifier(config);
  const forged = await signDevelopmentToken({ secret: 'x'.repeat(40) }, { subject: 'a', role: 'ADMIN' });
  for (let i = 0; i < 2; i += 1) await expect(verify(`Bearer ${forged}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

it('accepts tokens signed with the previous secret while JWT_SECRET is being changed, and no others', async () => {
  const previous = 'p'.repeat(40);
  const changing = createTokenVerifier({ secret: config.secret, previousSecret: previous });
  const before = await signDevelopmentToken({ secret: previous }, { subject: 'signed-before', role: 'ADVISOR', prefectureCode: '01' });
  const after = await signDevelopmentToken(config, { subject: 'signed-after', role: 'ADMIN' });
  expect(await changing(`Bearer ${before}`)).toMatchObject({ subject: 'signed-before', role: 'ADVISOR' });
  expect(await changing(`Bearer ${after}`)).toMatchObject({ subject: 'signed-after' });
  const other = await signDevelopmentToken({ secret: 'x'.repeat(40) }, { subject: 'a', role: 'ADMIN' });
  await expect(changing(`Bearer ${other}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  // Once the change is over (no previous secret), the old tokens are refused.
  await expect(createTokenVerifier(config)(`Bearer ${before}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});
