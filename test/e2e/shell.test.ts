import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchMenus, launchBrowser, newPage, resultsPath, signInByApi } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the signed-in shell', () => {
  test('an administrator signs in and sees the System menu with its pages', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('demo1234');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');

    const menus = await fetchMenus(context);
    const system = menus.find((group) => group.title === '系统管理');
    expect(system, 'the server sends the admin a 系统管理 group').toBeDefined();
    const sider = page.locator('.ant-layout-sider');
    await sider.getByText('系统管理', { exact: true }).click();
    for (const item of system?.items ?? []) {
      await sider.locator(`a[href="${item.path}"]`).waitFor();
      expect(await sider.locator(`a[href="${item.path}"]`).textContent()).toBe(item.title);
    }
    // The home page offers a card for every page in the menus.
    const pageCount = menus.reduce((count, group) => count + group.items.length, 0);
    await page.locator('main .ant-card').first().waitFor();
    expect(await page.locator('main a[href^="/"]').count()).toBe(pageCount);

    await page.screenshot({ path: resultsPath('shell.png') });
    await context.close();
  });

  test('switching to English translates the menu and the shell, and is remembered', async () => {
    const { context, page } = await newPage(browser);
    await signInByApi(context, 'admin');
    await page.goto('/');
    await page.locator('.ant-layout-sider').getByText('首页', { exact: true }).waitFor();

    await page.getByText('English', { exact: true }).click();
    const sider = page.locator('.ant-layout-sider');
    await sider.getByText('Home', { exact: true }).waitFor();
    for (const group of await fetchMenus(context)) {
      await sider.getByText(group.titleEn, { exact: true }).waitFor();
    }
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('user-menu').click();
    await page.getByText('Sign out', { exact: true }).waitFor();

    await page.reload();
    await page.locator('.ant-layout-sider').getByText('Home', { exact: true }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('crm_lang'))).toBe('en');
    await context.close();
  });

  test('signing out ends the session and lands on the sign-in page', async () => {
    const { context, page } = await newPage(browser);
    await signInByApi(context, 'admin');
    await page.goto('/customers');
    await page.locator('.ant-table-row').first().waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录', { exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).search).toBe('');
    await page.locator('#username').waitFor();

    // The server forgot the session too: the app sends us back to sign in.
    expect((await context.request.get('/api/auth/me')).status()).toBe(401);
    await page.goto('/customers');
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('next') === '/customers',
    );
    await context.close();
  });
});
