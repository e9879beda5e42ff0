import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchMenus, launchBrowser, newPage, signInByApi } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('pages a user may and may not open', () => {
  test('a consultant opening a system page sees 403, and has no System menu', async () => {
    const { context, page } = await newPage(browser);
    await signInByApi(context, 'sanjiang');
    const menus = await fetchMenus(context);
    expect(menus.flatMap((group) => group.items).some((item) => item.path === '/system/users')).toBe(false);

    await page.goto('/system/users');
    await page.getByText('无权访问此页面', { exact: true }).waitFor();
    expect(await page.locator('.ant-result-403').count()).toBe(1);
    expect(await page.locator('.ant-layout-sider').getByText('系统管理', { exact: true }).count()).toBe(0);
    await context.close();
  });

  test('an unknown address shows 404 inside the shell', async () => {
    const { context, page } = await newPage(browser);
    await signInByApi(context, 'sanjiang');
    await page.goto('/no-such-page');
    await page.getByText('页面不存在', { exact: true }).waitFor();
    expect(await page.locator('.ant-result-404').count()).toBe(1);
    await page.locator('.ant-layout-sider').waitFor();
    await context.close();
  });

  test('a page in the menu that is not built yet says it is coming, under its menu title', async () => {
    const { context, page } = await newPage(browser);
    await signInByApi(context, 'manager');
    // The import page arrives with lead intake; until then it says so.
    const first = (await fetchMenus(context))
      .flatMap((m) => m.items)
      .find((item) => item.path === '/customers/import');
    expect(first, 'a manager has the import page').toBeDefined();
    await page.goto(first?.path ?? '/');
    await page
      .locator('.ant-result-info')
      .getByText(first?.title ?? '', { exact: true })
      .waitFor();
    // The side menu highlights the open page.
    const selected = page.locator('.ant-layout-sider .ant-menu-item-selected');
    expect(await selected.textContent()).toBe(first?.title);
    await context.close();
  });
});
