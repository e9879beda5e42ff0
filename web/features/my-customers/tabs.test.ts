import { describe, expect, test } from 'vitest';
import { tabOf, tabs } from './tabs.ts';

describe('the tabs of my customers', () => {
  test('each tab is the status filter the API takes, and the filter finds its tab again', () => {
    for (const tab of tabs) expect(tabOf(tab.statuses ?? undefined)).toBe(tab.key);
  });

  test('a hand-written filter lands on the group that holds it', () => {
    expect(tabOf('reassigned')).toBe('released');
    expect(tabOf('released_no_deal,released_no_followup')).toBe('released');
    expect(tabOf('following,enrolled')).toBe('all');
    expect(tabOf('')).toBe('all');
  });
});
