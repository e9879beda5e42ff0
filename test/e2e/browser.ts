import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type APIResponse,
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

/** Debian's Chromium: tests never download a browser of their own. */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const baseURL = (): string => inject('baseURL');

/** A fresh browser profile (no cookies, no saved language) on a laptop-sized screen. */
async function newPage(
  browser: Browser,
  timezoneId?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    ...(timezoneId ? { timezoneId } : {}),
  });
  return { context, page: await context.newPage() };
}

/** Signs in through the API (the context shares its cookie with the page), as most tests only need a session. */
export async function signInByApi(
  context: BrowserContext,
  username: string,
  password = 'demo1234',
): Promise<void> {
  const response = await context.request.post('/api/auth/login', { data: { username, password } });
  if (!response.ok())
    throw new Error(`Signing in as ${username} failed: ${response.status()} ${await response.text()}`);
}

export type MeMenus = {
  title: string;
  titleEn: string;
  items: { title: string; titleEn: string; path: string }[];
}[];

/** The menus the server sends this session, which the side menu must show. */
export async function fetchMenus(context: BrowserContext): Promise<MeMenus> {
  const response = await context.request.get('/api/auth/me');
  if (!response.ok()) throw new Error(`GET /api/auth/me failed: ${response.status()}`);
  return ((await response.json()) as { menus: MeMenus }).menus;
}

export function resultsPath(file: string): string {
  const dir = path.resolve(import.meta.dirname, '../../test-results');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}

/** A signed-in API session for arranging and restoring data around a browser test. */
export type ApiSession = {
  get: <T>(path: string) => Promise<T>;
  send: <T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, data?: unknown) => Promise<T>;
  dispose: () => Promise<void>;
};

export async function apiSession(username: string, password = 'demo1234'): Promise<ApiSession> {
  const api = await request.newContext({ baseURL: baseURL() });
  const login = await api.post('/api/auth/login', { data: { username, password } });
  if (!login.ok())
    throw new Error(`Signing in as ${username} failed: ${login.status()} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const check = async <T>(response: APIResponse, what: string): Promise<T> => {
    if (!response.ok()) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    get: async (path) => check(await api.get(path), `GET ${path}`),
    send: async (method, path, data) =>
      check(
        await api.fetch(path, { method, data, headers: { 'x-csrf-token': csrfToken } }),
        `${method} ${path}`,
      ),
    dispose: () => api.dispose(),
  };
}

/** expect.poll with room for a cold server (its default gives up after one second). */
export const poll = <T>(value: () => T | Promise<T>) => expect.poll(value, { timeout: 15_000 });

/** How a page opens: the interface language saved in its profile, and the browser's own time zone. */
export type PageOptions = { language?: 'zh-CN' | 'en'; timezoneId?: string };

/**
 * What a browser test file stands on: one Chromium and a signed-in API session for each of
 * `usernames`, opened before its tests and closed after them (a file's own after-hook, registered
 * later, runs first, while the sessions still answer). `openPage(username)` is a fresh profile signed
 * in through the API, as most tests only need a session; `openPage()` one that is signed out.
 */
export function browserTests<const U extends string>(
  ...usernames: U[]
): Record<U, ApiSession> & {
  openPage: (username?: string, options?: PageOptions) => Promise<{ context: BrowserContext; page: Page }>;
} {
  let browser: Browser | undefined;
  const opened = new Map<string, ApiSession>();
  beforeAll(async () => {
    browser = await launchBrowser();
    for (const username of usernames) opened.set(username, await apiSession(username));
  });
  afterAll(async () => {
    await Promise.all([...opened.values()].map((session) => session.dispose()));
    await browser?.close();
  });
  const open = (username: string): ApiSession => {
    const session = opened.get(username);
    if (!session) throw new Error(`The API session of ${username} is not open: use it inside a test or hook`);
    return session;
  };
  const sessions = Object.fromEntries(
    usernames.map((username): [U, ApiSession] => [
      username,
      {
        get: async <T>(path: string) => open(username).get<T>(path),
        send: async <T>(method: Parameters<ApiSession['send']>[0], path: string, data?: unknown) =>
          open(username).send<T>(method, path, data),
        dispose: async () => open(username).dispose(),
      },
    ]),
  ) as Record<U, ApiSession>;
  const openPage = async (username?: string, options: PageOptions = {}) => {
    if (!browser) throw new Error('The browser is not open: open pages inside a test');
    const fresh = await newPage(browser, options.timezoneId);
    if (options.language) await saveLanguage(fresh.context, options.language);
    if (username) await signInByApi(fresh.context, username);
    return fresh;
  };
  return { ...sessions, openPage };
}

/** The data rows of the page's table (antd keeps a measure row and placeholders beside them). */
export const tableRows = (scope: Page | Locator) => scope.locator('.ant-table-tbody tr.ant-table-row');

/** Chooses a CSV file in the import page's file picker, as a person would. */
export const chooseImportCsv = (page: Page, name: string, csv: string) =>
  page
    .getByTestId('import-file')
    .locator('input[type="file"]')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

/** What every list answers. */
export type ListPage<T> = { items: T[]; total: number };

/** The interface language a context opens in (the app keeps the choice in localStorage). */
async function saveLanguage(context: BrowserContext, language: 'zh-CN' | 'en'): Promise<void> {
  await context.addInitScript((lng) => {
    try {
      if (!sessionStorage.getItem('e2e-language-set')) {
        localStorage.setItem('crm_lang', lng);
        sessionStorage.setItem('e2e-language-set', '1');
      }
    } catch {
      // about:blank has no storage; the app's own pages do.
    }
  }, language);
}
