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
