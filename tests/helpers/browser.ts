/**
 * Headless Chromium for the tests that need a real browser (Debian's `chromium`, or CHROMIUM_PATH). Without
 * one, such a test is skipped with a warning — unless REQUIRE_BROWSER=1 (as in CI), which makes a missing
 * browser a failure.
 */
import { chromium, type Browser } from 'playwright-core';
import { firstExisting, testNeeding } from './system-tools';

const CHROMIUM = firstExisting([process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']);

/** `it` when Chromium can be had, else `it.skip` (a failure instead when REQUIRE_BROWSER is set). */
export const browserTestFor = (what: string): jest.It =>
  testNeeding({ name: 'Chromium', path: CHROMIUM, install: "install Debian's chromium or set CHROMIUM_PATH", required: 'REQUIRE_BROWSER' }, what);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
