import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, chooseImportCsv, type ListPage, poll, resultsPath, tableRows } from './browser.ts';

/**
 * Lead intake in the browser (docs/spec.md §4): a manager imports a CSV — preview, its bad rows, the import
 * itself with its progress, the error report — finds an imported customer in the list, sets a
 * consultant's weight, and is told, when entering a customer by hand, who already has that phone.
 */
type Customer = { id: number; name: string; phone: string | null; consultant: { name: string } | null };
type Rank = { id: number; consultantId: number; weight: number; active: boolean };
type ImportJob = {
  id: number;
  mode: 'preview' | 'commit';
  status: string;
  total: number;
  valid: number;
  created: number;
  errorCount: number;
  errors: { row: number; column: string | null; message: string }[];
};
type Page_<T> = ListPage<T>;

const { manager, openPage } = browserTests('manager');

const rows = tableRows;
const message = (page: Page) => page.locator('.ant-message');
/** A Statistic's figure, as shown. */
const figure = (page: Page, testId: string) =>
  page.getByTestId(testId).locator('.ant-statistic-content-value').innerText();

/** Eleven-digit mobile numbers no demo customer has (the demo's are seeded, these follow the clock). */
function freshPhones(count: number): string[] {
  const base = 10_000_000 + (Date.now() % 80_000_000);
  return Array.from({ length: count }, (_, i) => `136${base + i}`);
}

/**
 * Lets the first answer about a commit through as "running" even when the worker was quicker than
 * the page's first look (five rows take it milliseconds), so that the progress bar is seen; every
 * later answer is the server's own.
 */
async function showCommitRunning(page: Page): Promise<void> {
  let held = false;
  await page.route(
    (url) => /^\/api\/imports\/\d+$/.test(url.pathname),
    async (route) => {
      const response = await route.fetch();
      const job = (await response.json()) as ImportJob & { processed: number; finishedAt: string | null };
      if (held || job.mode !== 'commit') return route.fulfill({ response });
      held = true;
      if (job.status !== 'done') return route.fulfill({ response });
      return route.fulfill({
        response,
        json: { ...job, status: 'running', processed: Math.min(2, job.total), finishedAt: null },
      });
    },
  );
}

describe('lead intake', () => {
  test('a manager previews a CSV, sees its bad rows, imports the rest and finds them', async () => {
    const stamp = Date.now().toString(36);
    const [p1, p2, p3, , p5] = freshPhones(5);
    const names = ['甲', '乙', '丙', '丁', '戊'].map((n) => `E2E导入${n}${stamp}`);
    // Two bad rows: 丁 repeats 甲's phone, 戊 comes from nowhere the school knows.
    const csv = [
      '姓名,手机,QQ,来源',
      `${names[0]},${p1},,官方网站`,
      `${names[1]},${p2},,qq群`,
      `${names[2]},${p3},,腾讯课堂`,
      `${names[3]},${p1},,官方网站`,
      `${names[4]},${p5},,火星`,
    ].join('\n');

    const { context, page } = await openPage('manager');
    try {
      await page.goto('/customers/import');
      await page.getByTestId('import-page').waitFor();
      // The template: a workbook (a zip, so it starts with PK).
      const [template] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('import-template').click(),
      ]);
      expect(new URL(template.url()).pathname).toBe('/api/customers/import-template');
      expect(
        readFileSync(await template.path())
          .subarray(0, 2)
          .toString('latin1'),
      ).toBe('PK');
      await chooseImportCsv(page, `leads-${stamp}.csv`, csv);
      await page.getByTestId('import-file').getByText(`leads-${stamp}.csv`).waitFor();

      // Preview: 200 with the import's id, then the page follows it to its counts.
      const started = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/customers/import' && r.request().method() === 'POST',
      );
      await page.getByTestId('import-preview').click();
      const upload = await started;
      expect(upload.status()).toBe(200);
      expect(upload.request().headers()['x-csrf-token']).toBeTruthy();
      const previewId = ((await upload.json()) as { importId: number }).importId;
      await page.waitForURL((url) => url.searchParams.get('id') === String(previewId));
      await page.getByTestId('import-counts').waitFor();
      expect(await figure(page, 'import-count-total')).toBe('5');
      expect(await figure(page, 'import-count-valid')).toBe('3');
      expect(await figure(page, 'import-count-errorCount')).toBe('2');

      // The refused rows, as the server lists them.
      const preview = await manager.get<ImportJob>(`/api/imports/${previewId}`);
      expect(preview.errorCount).toBe(2);
      const errorRows = page.getByTestId('import-errors').locator('tr.ant-table-row');
      await poll(() => errorRows.count()).toBe(2);
      const shown = await Promise.all(
        [0, 1].map(async (i) => (await errorRows.nth(i).locator('td').first().innerText()).trim()),
      );
      expect(shown).toEqual(preview.errors.map((error) => String(error.row)));
      await page.screenshot({ path: resultsPath('import-preview.png'), fullPage: true });

      // The error report: a workbook too.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('import-error-report').click(),
      ]);
      expect(new URL(download.url()).pathname).toBe(`/api/imports/${previewId}/errors.xlsx`);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const report = readFileSync(await download.path());
      expect(report.length).toBeGreaterThan(0);
      expect(report.subarray(0, 2).toString('latin1')).toBe('PK');

      // The import itself: a new import, its progress, then the result.
      await showCommitRunning(page);
      const committing = page.waitForResponse(
        (r) =>
          new URL(r.url()).pathname === `/api/imports/${previewId}/commit` && r.request().method() === 'POST',
      );
      await page.getByTestId('import-commit').click();
      const commit = await committing;
      expect(commit.status()).toBe(200);
      const commitId = ((await commit.json()) as { importId: number }).importId;
      expect(commitId).not.toBe(previewId);
      await page.waitForURL((url) => url.searchParams.get('id') === String(commitId));
      await page.getByTestId('import-progress').waitFor();
      await page.getByTestId('import-count-created').waitFor();
      expect(await figure(page, 'import-count-created')).toBe('3');
      await page.getByTestId('import-progress').waitFor({ state: 'detached' });
      await page.screenshot({ path: resultsPath('import-commit.png'), fullPage: true });

      // Both imports are among the recent ones.
      const recent = page.getByTestId('import-recent');
      await recent.getByTestId(`import-recent-${commitId}`).waitFor();
      await recent.getByTestId(`import-recent-${previewId}`).waitFor();

      // An imported customer is in the list.
      await page.goto('/customers');
      await rows(page).first().waitFor();
      const search = page.locator('input[aria-label="搜索"]');
      await search.fill(names[1] ?? '');
      await search.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === names[1]);
      // The newest customers are on the list's first page already: wait for the search's answer.
      await page.locator('.ant-pagination-total-text').getByText('共 1 条', { exact: true }).waitFor();
      await rows(page)
        .getByText(names[1] ?? '', { exact: true })
        .waitFor();
      expect(await rows(page).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  test('a manager changes a consultant’s weight and sees every share follow', async () => {
    const ranks = (await manager.get<Page_<Rank>>('/api/sale-ranks?pageSize=200')).items;
    const active = ranks.filter((rank) => rank.active);
    const target = active.at(-1);
    expect(active.length, 'the demo has more than one active consultant').toBeGreaterThan(1);
    if (!target) throw new Error('no active sale rank');
    const total = active.reduce((sum, rank) => sum + rank.weight, 0);
    const weight = target.weight + 3 <= 1000 ? target.weight + 3 : target.weight - 3;
    const share = (w: number, of: number) => `${((w / of) * 100).toFixed(1)}%`;

    const { context, page } = await openPage('manager');
    try {
      await page.goto('/sale-ranks');
      const cell = page.getByTestId(`sale-rank-share-${target.id}`);
      await poll(() => cell.innerText()).toBe(share(target.weight, total));
      const input = page.getByTestId(`sale-rank-weight-${target.id}`);
      await input.fill(String(weight));
      await input.press('Enter');
      await message(page).getByText('已保存', { exact: true }).waitFor();
      const after = total - target.weight + weight;
      await poll(() => cell.innerText()).toBe(share(weight, after));
      const other = active.find((rank) => rank.id !== target.id);
      if (other) {
        await poll(() => page.getByTestId(`sale-rank-share-${other.id}`).innerText()).toBe(
          share(other.weight, after),
        );
      }
      const saved = await manager.get<Rank>(`/api/sale-ranks/${target.id}`);
      expect(saved.weight).toBe(weight);
      await page.screenshot({ path: resultsPath('sale-ranks.png'), fullPage: true });
    } finally {
      await manager.send('PATCH', `/api/sale-ranks/${target.id}`, { weight: target.weight });
      await context.close();
    }
  });

  test('entering a customer whose phone is on file names who has it; a new one says where it went', async () => {
    const { context, page } = await openPage('manager');
    try {
      // A manager sees every contact in full: any customer's phone will do.
      const listed = (await (await page.request.get('/api/customers?pageSize=50')).json()) as Page_<Customer>;
      const existing = listed.items.find((customer) => customer.phone && /^\d{11}$/.test(customer.phone));
      if (!existing?.phone) throw new Error('no customer with a phone among the first 50');

      await page.goto('/customers');
      await rows(page).first().waitFor();
      await page.getByTestId('resource-add').click();
      const drawer = page.getByTestId('resource-form');
      await drawer.waitFor();
      // A manager may choose the consultant, or leave it to the rotation.
      await drawer.locator('#consultantId').waitFor();
      await drawer.getByText('留空则按权重自动分配', { exact: true }).waitFor();
      const name = `E2E录入${Date.now().toString(36)}`;
      await drawer.locator('#name').fill(name);
      await drawer.locator('#phone').fill(existing.phone);

      const answered = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/customers' && r.request().method() === 'POST',
      );
      await page.getByTestId('resource-form-submit').click();
      const refused = await answered;
      expect(refused.status()).toBe(409);
      const body = (await refused.json()) as {
        error: string;
        message: string;
        existing: { id: number; name: string; field: string; mine: boolean };
      };
      expect(body.error).toBe('duplicate');
      expect(body.existing).toMatchObject({ id: existing.id, field: 'phone' });

      // On the phone field: who has it; above the form: the refusal in the page's language.
      const phoneItem = drawer.locator('.ant-form-item').filter({ has: page.locator('#phone') });
      await phoneItem
        .locator('.ant-form-item-explain-error')
        .getByText(`已被「${body.existing.name}」使用`, { exact: true })
        .waitFor();
      const alert = page.getByTestId('resource-form-error');
      await alert.getByText(body.message, { exact: false }).waitFor();
      // The refusal names who has the lead (issue 19: a duplicate refused naming the owner).
      expect(await alert.innerText()).toContain('已登记');
      expect(await page.getByTestId('resource-form-existing').count()).toBe(body.existing.mine ? 1 : 0);
      await page.screenshot({ path: resultsPath('customer-duplicate.png') });

      // A phone nobody has: created, and the message says who got it.
      const [fresh] = freshPhones(1);
      await drawer.locator('#phone').fill(fresh ?? '');
      await page.getByTestId('resource-form-submit').click();
      await message(page)
        .getByText(/^已录入，(分配给 .+|已进入公共池)$/)
        .waitFor();
      await drawer.waitFor({ state: 'hidden' });
      const [created] = (await manager.get<Page_<Customer>>(`/api/customers?q=${encodeURIComponent(name)}`))
        .items;
      expect(created?.phone).toBe(fresh);
      const said = await message(page).innerText();
      expect(said).toContain(created?.consultant ? `分配给 ${created.consultant.name}` : '已进入公共池');
    } finally {
      await context.close();
    }
  });
});
