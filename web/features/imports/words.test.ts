import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  failureWords,
  type ImportParams,
  rowErrorWords,
  wordFailure,
} from '../../../server/modules/imports/words.ts';
import { initWords } from '../../i18n/for-tests.ts';
import type { ImportJob, ImportRowError } from './api.ts';
import { failureText, rowErrorText } from './words.ts';

beforeAll(async () => {
  await initWords();
});

/** Values for every parameter any reason names. */
const sample: ImportParams = {
  value: '12345',
  max: 100,
  options: '男、女',
  optionsEn: 'Male, Female',
  name: '龙泰',
  row: 3,
  consultant: '三江',
  read: '张三、13200000001',
  cell: 'B7',
  limit: 50,
};

const row = (code: string | null, params: ImportParams | null, message = '旧的原因'): ImportRowError => ({
  row: 2,
  column: '手机',
  code,
  params,
  message,
});

describe.each([
  ['zh-CN', 'zh'],
  ['en', 'en'],
] as const)('an import’s reasons in %s', (lng, lang) => {
  const t = i18next.getFixedT(lng);

  it('say what the error report says, for every code the server stores', () => {
    for (const [code, words] of Object.entries(rowErrorWords)) {
      const params =
        code.startsWith('duplicate_') && code !== 'duplicate_in_file' ? { ...sample, field: 'qq' } : sample;
      expect(rowErrorText(row(code, params), t), code).toBe(words[lang](params));
    }
    for (const code of Object.keys(failureWords) as (keyof typeof failureWords)[]) {
      const job = {
        failure: 'x',
        failureCode: code,
        failureParams: { ...sample, processed: 10, created: 8 },
      } as unknown as ImportJob;
      const words = wordFailure(code, { ...sample, processed: 10, created: 8 }, lang);
      expect(failureText(job, t), code).toBe(words);
      expect(words, code).not.toMatch(/undefined|\{\{/);
    }
    const read = '张三、13200000001';
    const unread = {
      failure: 'x',
      failureCode: 'no_header',
      failureParams: { read },
    } as unknown as ImportJob;
    expect(failureText(unread, t)).toBe(wordFailure('no_header', { read }, lang));
  });

  it('show what imports stored before codes existed as it was stored', () => {
    expect(rowErrorText(row(null, null, '「12345」不是电话号码'), t)).toBe('「12345」不是电话号码');
    const old = { failure: '缺少「姓名」列', failureCode: null, failureParams: null } as ImportJob;
    expect(failureText(old, t)).toBe('缺少「姓名」列');
  });
});
