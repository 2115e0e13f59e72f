/**
 * A real browser for the dashboard's tests: Debian's Chromium driven by
 * playwright-core (never a downloaded browser). Screenshots go to the ignored
 * folder test-output/screenshots for a person to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './paths.js';

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Where screenshots are written. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');

/** The two widths every page is looked at. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
} as const;

/** True when the browser tests can run here. */
export function browserAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A launched browser; closed in t.after. */
export interface TestBrowser {
  browser: Browser;
  /** A fresh context (its own cookies) at the given width. */
  newContext(viewport?: keyof typeof VIEWPORTS): Promise<BrowserContext>;
  /** Writes a full-page PNG named `<name>-<viewport>.png`; returns its path. */
  screenshot(page: Page, name: string, viewport: keyof typeof VIEWPORTS): Promise<string>;
}

/** Launches headless Chromium with the flags this machine needs. */
export async function launchBrowser(t: TestContext): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    newContext: (viewport = 'desktop') => browser.newContext({ viewport: VIEWPORTS[viewport], deviceScaleFactor: 1 }),
    async screenshot(page, name, viewport) {
      const path = join(SCREENSHOT_DIR, `${name}-${viewport}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}
