import { describe, expect, test } from 'vitest';
import { browserTests } from './browser.ts';

const { openPage } = browserTests();

describe('the sign-in page', () => {
  test('a wrong password shows an error and stays on the page', async () => {
    const { context, page } = await openPage();
    await page.goto('/login');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    const alert = page.locator('.ant-alert-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  test('empty fields are refused before anything is sent', async () => {
    const { context, page } = await openPage();
    let loginCalls = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/auth/login')) loginCalls++;
    });
    await page.goto('/login');
    await page.locator('button[type="submit"]').click();
    await page.getByText('请输入用户名', { exact: true }).waitFor();
    await page.getByText('请输入密码', { exact: true }).waitFor();
    expect(loginCalls).toBe(0);
    await context.close();
  });

  test('after signing in the user lands on the page they first asked for', async () => {
    const { context, page } = await openPage();
    await page.goto('/system/roles');
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('next') === '/system/roles',
    );
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('demo1234');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/system/roles');
    await context.close();
  });

  test('a locked-out user is told to wait 15 minutes', async () => {
    const { context, page } = await openPage();
    // The server's own tests cover when it locks out; here only what the page says when it does.
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'too_many_attempts', message: 'Too many failed sign-ins' }),
      }),
    );
    await page.goto('/login');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('whatever');
    await page.locator('button[type="submit"]').click();
    await page.locator('.ant-alert-error').getByText('尝试次数过多，请 15 分钟后再试').waitFor();
    await context.close();
  });

  test('the page is in Chinese by default and switches to English', async () => {
    const { context, page } = await openPage();
    await page.goto('/login');
    await page.getByText('榕树 CRM', { exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Banyan CRM', { exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('label[for="username"]').textContent()).toBe('Username');
    await context.close();
  });
});
