import { describe, expect, it } from 'vitest';
import { zhCN } from '../i18n/zh-CN.ts';
import { menuPages } from './routes.tsx';
import { summaryOf } from './summaries.ts';

describe('the home page’s one-line descriptions', () => {
  it('exist for every menu page, in the words of the pages', () => {
    const missing = menuPages.map((page) => page.path).filter((path) => summaryOf(path) === undefined);
    expect(missing).toEqual([]);
    for (const page of menuPages) expect(zhCN.pages[summaryOf(page.path)!]).toEqual(expect.any(String));
  });
});
