/**
 * Which Chromium the e2e tests drive. Playwright cannot download its own
 * browser on this project's CI machine, so the system's comes first
 * (CHROMIUM_PATH, else Debian's headless shell, else Debian's full browser);
 * on a machine with neither, Playwright's own, which `ensureChromium` installs
 * once, so that `npm test` needs nothing but Node and npm.
 *
 * The headless shell is Chromium's own build for automation (and Playwright's
 * default for headless runs): the same Blink and V8 without the desktop
 * browser around them. The whole e2e suite took 103 s with it against
 * 119-129 s with the full browser on this project's two-core machine
 * (6 December 2026).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The system Chromium to use, or undefined for Playwright's own. */
export const systemChromium: string | undefined = process.env.CHROMIUM_PATH ?? SYSTEM_CHROMIUM.find((path) => existsSync(path));

/** Makes sure a Chromium can start: the system's, or else Playwright's own, downloaded on first use. */
export async function ensureChromium(): Promise<void> {
  if (systemChromium) return;
  try {
    await (await chromium.launch()).close();
    return;
  } catch (error) {
    if (!/Executable doesn't exist/i.test((error as Error).message)) throw error;
  }
  process.stdout.write("No Chromium on this machine: installing Playwright's headless shell once (npx playwright install --only-shell chromium, about 100 MB)...\n");
  const install = spawnSync('npx', ['playwright', 'install', '--only-shell', 'chromium'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (install.status !== 0) {
    throw new Error(
      'The end-to-end tests need Chromium, and installing Playwright\'s own failed. Install one (on Debian: apt-get install chromium-headless-shell), ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome executable, then run npm test again.',
    );
  }
}
