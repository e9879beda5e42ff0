import { describe, expect, test } from 'vitest';
import { changes, type Role } from './roleDraft.ts';

const role: Role = {
  id: 4,
  code: 'sales',
  title: '销售',
  description: '',
  permissionCodes: ['customer.list', 'pool.list'],
};
const saved = new Set(role.permissionCodes);

describe("a role's changes", () => {
  test('nothing changed, or only spaces around the words, sends nothing', () => {
    expect(changes(role, {}, saved)).toEqual({});
    expect(changes(role, { title: ' 销售 ', description: '  ', codes: new Set(saved) }, saved)).toEqual({});
  });

  test('sends only what differs, trimmed, with the permissions in a stable order', () => {
    const codes = new Set(['pool.list', 'customer.grab', 'customer.list']);
    expect(changes(role, { description: ' 一线顾问 ', codes }, saved)).toEqual({
      description: '一线顾问',
      permissionCodes: ['customer.grab', 'customer.list', 'pool.list'],
    });
    expect(changes(role, { title: '顾问' }, saved)).toEqual({ title: '顾问' });
  });
});
