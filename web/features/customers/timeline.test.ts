import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import type { Field, ResourceMeta } from '../../api/resource.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import type { TimelineEvent } from './api.ts';
import { changedFields, describeEvent, formatMoney } from './timeline.ts';

const field = (key: string, title: string, titleEn: string, extra: Partial<Field> = {}): Field => ({
  key,
  title,
  titleEn,
  kind: 'text',
  list: true,
  sortable: true,
  form: true,
  ...extra,
});

const meta: ResourceMeta = {
  name: 'customers',
  title: '客户',
  titleEn: 'Customers',
  fields: [
    field('id', 'ID', 'ID', { kind: 'int' }),
    field('name', '姓名', 'Name'),
    field('source', '来源', 'Source', { kind: 'enum' }),
    field('courseIds', '咨询课程', 'Interested in', { kind: 'ref', multiple: true }),
    field('note', '客户背景', 'Note', { kind: 'longtext' }),
  ],
  searchFields: ['name'],
  defaultSort: '-createdAt',
  labelField: 'name',
  actions: [],
  allowed: { list: true, create: false, update: true, delete: false, export: true, actions: {} },
};

const i18n = i18next.createInstance();
void i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: 'zh-CN',
  initAsync: false,
  interpolation: { escapeValue: false },
});

const event = (kind: TimelineEvent['kind'], detail: Record<string, unknown>): TimelineEvent => ({
  at: '2026-11-20T08:00:00.000Z',
  kind,
  user: { id: 3, name: '三江' },
  detail,
});

function read(e: TimelineEvent, language: 'zh-CN' | 'en') {
  void i18n.changeLanguage(language);
  return describeEvent(e, { t: i18n.t, meta, language });
}

describe('the customer timeline', () => {
  test('an edit names the fields it changed, not the bookkeeping around them', () => {
    const before = { id: 1, name: '董娟', source: 'baidu', courseIds: [1, 2], note: null, updatedAt: 'a' };
    const after = { id: 1, name: '董娟娟', source: 'seo', courseIds: [2, 1], note: '', updatedAt: 'b' };
    // A reordered list and null against '' are no change for the user; `updatedAt` is no field.
    expect(changedFields(meta, before, after).map((f) => f.key)).toEqual(['name', 'source', 'note']);
    expect(changedFields(meta, null, after)).toEqual([]);
    const edit = event('change', { action: 'update', before, after: { ...after, note: null } });
    expect(read(edit, 'zh-CN').summary).toBe('修改：姓名、来源');
    expect(read(edit, 'en').summary).toBe('Edited: Name, Source');
    expect(read(event('change', { action: 'create', after }), 'zh-CN').summary).toBe('录入客户');
  });

  test('owners, follow-ups and payments read as sentences in both languages', () => {
    const started = event('ownership_started', { via: 'assigned', status: 'following', memo: ' ' });
    expect(read(started, 'zh-CN')).toEqual({ summary: '三江 接手（分配）', note: '' });
    expect(read(started, 'en').summary).toBe('三江 took over (assigned)');
    const ended = event('ownership_ended', { via: 'grabbed', status: 'released_no_followup', memo: '' });
    expect(read(ended, 'zh-CN').summary).toBe('三江 结束跟进（三天未跟进）');
    const follow = event('follow_up', { channel: 'phone', note: '约周末到校' });
    expect(read(follow, 'zh-CN')).toEqual({ summary: '跟进 · 电话', note: '约周末到校' });
    const paid = event('payment', { payType: 'tuition', paidFee: '12800.00', classId: 1, confirmed: true });
    expect(read(paid, 'zh-CN').summary).toBe('缴费 学费 ¥12,800');
    expect(read(paid, 'en').summary).toBe('Payment: Tuition ¥12,800');
    // A code this version does not know shows as itself rather than as nothing.
    expect(read(event('follow_up', { channel: 'fax', note: '' }), 'zh-CN').summary).toBe('跟进 · fax');
  });

  test('money keeps its cents only when it has some', () => {
    expect(formatMoney('2000.50', 'zh-CN')).toBe('¥2,000.50');
    expect(formatMoney('-300.00', 'en')).toBe('-¥300');
    expect(formatMoney(null, 'en')).toBe('');
  });
});
