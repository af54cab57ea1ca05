/**
 * Headless Chromium for the tests that need a real browser (Debian's `chromium`, or CHROMIUM_PATH). Without
 * one, such a test is skipped with a warning — unless REQUIRE_BROWSER=1 (as in CI), which makes a missing
 * browser a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

/** `it` when a browser can be had, else `it.skip` (and a failing test in its place when REQUIRE_BROWSER is set). */
export function browserTestFor(what: string): jest.It {
  if (!CHROMIUM) {
    const message = `Chromium not found (install Debian's chromium or set CHROMIUM_PATH): ${what}`;
    if (process.env.REQUIRE_BROWSER) it(`has a browser for ${what}`, () => expect(message).toBe('found'));
    else console.warn(`${message} is skipped`);
  }
  return CHROMIUM || process.env.REQUIRE_BROWSER ? it : it.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
