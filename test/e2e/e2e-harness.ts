// The browser tests' shared harness: a real Mosaic (`node src/main.ts serve` in a child process, embedded
// SQLite in a temp dir), the provider simulator in this process, and Debian's Chromium driven by
// playwright-core. One harness per test file; `close()` always kills the child and closes the browser.
//
// Chromium missing is a FAILURE with a clear message (CI installs it), unless MOSAIC_SKIP_BROWSER_TESTS=1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild, ROOT } from '../../scripts/build-web.ts';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { startMosaicProcess } from '../../src/testing/mosaic-process.ts';

export const CHROMIUM_PATH = process.env.MOSAIC_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SERVER_STOP_TIMEOUT_MS = 5_000;
const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'e2e');

export const ADMIN_EMAIL = 'admin@acme.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Pass as `describe(name, { skip: browserTestsSkipped() }, …)`: only an explicit opt-out skips. */
export function browserTestsSkipped(): string | false {
  return process.env.MOSAIC_SKIP_BROWSER_TESTS === '1' ? 'MOSAIC_SKIP_BROWSER_TESTS=1' : false;
}

export interface E2e {
  /** Mosaic's base URL, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Mosaic's data dir (mosaic.db in it), for a setup step no API offers, such as ageing a key. */
  dataDir: string;
  sim: Simulator;
  browser: Browser;
  /** A fresh browser context (its own cookies) and a page in it. */
  newPage(): Promise<Page>;
  /** Saves test-artifacts/e2e/<test>/<NN>-<step>.png (numbered in the order taken). */
  screenshot(page: Page, step: string): Promise<void>;
  /** The server's log lines so far (for failure messages). */
  serverLog(): string;
  close(): Promise<void>;
}

/** Builds the web app if stale, starts the simulator, Mosaic and Chromium. */
export async function startE2e(testName: string): Promise<E2e> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it (apt-get install chromium; .ci/run does this). ` +
        'Set MOSAIC_SKIP_BROWSER_TESTS=1 to skip them on purpose.',
    );
  }
  await ensureWebBuild();
  const cleanups: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    // In reverse order of starting; one failing cleanup must not keep the others from running.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const sim = await startSimulator();
    cleanups.push(() => sim.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-e2e-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startMosaicProcess({
      dataDir,
      stopTimeoutMs: SERVER_STOP_TIMEOUT_MS,
      env: {
        MOSAIC_ADMIN_EMAIL: ADMIN_EMAIL,
        MOSAIC_ADMIN_PASSWORD: ADMIN_PASSWORD,
        MOSAIC_TENANT_NAME: 'Acme',
        MOSAIC_ANTHROPIC_BASE_URL: sim.anthropic.baseUrl,
        MOSAIC_OPENAI_BASE_URL: sim.openai.baseUrl,
      },
    });
    cleanups.push(() => server.stop());
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());

    const shotsDir = path.join(ARTIFACTS_DIR, testName);
    fs.rmSync(shotsDir, { recursive: true, force: true });
    fs.mkdirSync(shotsDir, { recursive: true });
    let shots = 0;
    const contexts: BrowserContext[] = [];
    return {
      baseUrl: server.url,
      dataDir,
      sim,
      browser,
      async newPage() {
        const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 } });
        context.setDefaultTimeout(15_000);
        contexts.push(context);
        return context.newPage();
      },
      async screenshot(page, step) {
        shots += 1;
        const name = `${String(shots).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
        // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(shotsDir, name), fullPage: true });
      },
      serverLog: () => server.lines.join('\n'),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Signs in through the sign-in page, as a person would, and waits for the app shell. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Setup only (adding a provider has its own test): saves a provider over the API as the admin; returns its id. */
export async function saveProvider(e2e: E2e, body: Record<string, unknown>): Promise<string> {
  const admin = await apiSession(e2e.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const res = await admin('POST', '/api/admin/ai/providers', body);
  const text = await res.text();
  if (res.status !== 201) throw new Error(`Saving a provider for the test's setup failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { provider: { id: string } }).provider.id;
}

/** Signs in over the API (for setup steps only, never to skip a step the test is about). */
export async function apiSession(baseUrl: string, email: string, password: string): Promise<(method: string, url: string, body?: unknown) => Promise<Response>> {
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`API sign-in as ${email} failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return (method, url, body) =>
    fetch(`${baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
