import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type APIResponse,
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

/** Debian's Chromium: tests never download a browser of their own. */
export function launchBrowser(): Promise<Browser> {
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
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
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

/**
 * A file's browser and an API session as `username`, opened before its tests and closed after
 * them; `opened` hands them to the file's own variables.
 */
export function browserAndSession(username: string, opened: (browser: Browser, session: ApiSession) => void) {
  let browser: Browser | undefined;
  let session: ApiSession | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    session = await apiSession(username);
    opened(browser, session);
  });
  afterAll(async () => {
    await session?.dispose();
    await browser?.close();
  });
}

/** The data rows of the page's table (antd keeps a measure row and placeholders beside them). */
export const tableRows = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row');

/** What every list answers. */
export type ListPage<T> = { items: T[]; total: number };
