import { describe, expect, it } from 'vitest';
import { parseDate } from './columns.ts';

describe('a date written in an import cell', () => {
  it('is taken when the day exists, in the school’s time zone', () => {
    expect(parseDate('2026-02-28', 'Asia/Shanghai')?.toISOString()).toBe('2026-02-27T16:00:00.000Z');
    expect(parseDate('2028年2月29日', 'Asia/Shanghai')).not.toBeNull();
  });

  it('is refused when the day does not exist or the database could not store it', () => {
    for (const text of ['2026-02-29', '2026-04-31', '0000-01-01', '2026-13-01']) {
      expect(parseDate(text, 'Asia/Shanghai'), text).toBeNull();
    }
  });
});
