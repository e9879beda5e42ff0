import { describe, expect, test } from 'vitest';
import { browserTests, tableRows } from './browser.ts';

const { openPage } = browserTests();

/** The number the list's pagination reports, e.g. "共 23 条". */
async function rowsShown(page: import('playwright-core').Page): Promise<number> {
  await tableRows(page).first().waitFor();
  return tableRows(page).count();
}

describe('the lists of every model', () => {
  test('a consultant sees only their own customers, a teacher only their classes', async () => {
    const consultant = await openPage('sanjiang');
    const mine = await consultant.context.request.get('/api/customers?pageSize=1');
    const total = (await mine.json()).total as number;
    await consultant.page.goto('/customers');
    expect(await rowsShown(consultant.page)).toBe(Math.min(total, 20));
    await consultant.context.close();

    const teacher = await openPage('teacher');
    await teacher.page.goto('/classes');
    expect(await rowsShown(teacher.page)).toBe(2);
    await teacher.page.getByText('Python全栈 (9期)').first().waitFor();
    await teacher.context.close();
  });

  test('a manager filters customers by source, pages, and comes back to the same place', async () => {
    const { context, page } = await openPage('manager');
    await page.goto('/customers?source=baidu,seo&pageSize=5&page=2');
    await rowsShown(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('source')).toBe('baidu,seo');
    await page.goto('/classes');
    await page.goBack();
    await rowsShown(page);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await context.close();
  });
});
