import type { Page, Response } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests } from './browser.ts';

/**
 * The first minute (issue 19): a newcomer's browser, with nothing cached, downloads at most 350 kB
 * of JavaScript for the first page it shows — the sign-in page, and the home page of someone who is
 * already signed in — because the server sends the brotli copies the build wrote beside each asset,
 * and hashed assets are cached for good.
 */
const BUDGET = 350 * 1024;

const { openPage } = browserTests();

/** Every script the page fetched until the network went quiet, with the bytes that crossed the wire. */
async function scriptsOf(page: Page, open: () => Promise<unknown>) {
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  await open();
  await page.waitForLoadState('networkidle');
  const scripts = responses.filter((r) => new URL(r.url()).pathname.endsWith('.js'));
  const sizes = await Promise.all(
    scripts.map(async (r) => ({
      url: new URL(r.url()).pathname,
      bytes: (await r.request().sizes()).responseBodySize,
      headers: await r.allHeaders(),
    })),
  );
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  // The figure docs/benchmarks.md records, printed with every run.
  console.log(
    `first load of ${new URL(page.url()).pathname}: ${sizes.length} scripts, ${(total / 1024).toFixed(1)} kB`,
  );
  return { sizes, total };
}

describe('the first load', () => {
  test('the sign-in page', async () => {
    const { context, page } = await openPage();
    const { sizes, total } = await scriptsOf(page, () => page.goto('/login'));
    expect(sizes.length).toBeGreaterThan(0);
    for (const script of sizes) {
      // The build compresses what is worth it: files over 1 kB (vite.config.ts `threshold`).
      if (script.bytes > 1024) expect(script.headers['content-encoding'], script.url).toBe('br');
      expect(script.headers['cache-control'], script.url).toContain('immutable');
    }
    expect(total, sizes.map((s) => `${s.url} ${s.bytes}`).join('\n')).toBeLessThanOrEqual(BUDGET);
    await context.close();
  });

  test.each(['manager', 'sanjiang', 'teacher'])(
    'the home page of %s, signed in, with nothing cached',
    async (user) => {
      const { context, page } = await openPage(user);
      const { sizes, total } = await scriptsOf(page, () => page.goto('/'));
      expect(total, sizes.map((s) => `${s.url} ${s.bytes}`).join('\n')).toBeLessThanOrEqual(BUDGET);
      await context.close();
    },
  );

  test('the page itself is never cached stale: index.html is revalidated, and compressed too', async () => {
    const { context, page } = await openPage();
    const response = await page.goto('/login');
    const headers = (await response?.allHeaders()) ?? {};
    expect(headers['cache-control']).toBe('no-cache');
    expect(headers['content-encoding']).toBe('br');
    await context.close();
  });
});
