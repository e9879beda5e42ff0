import { expect, test } from 'vitest';
import { escapeHtml } from './escapeHtml.ts';

test('a lesson title with markup stays text in a tooltip', () => {
  expect(escapeHtml('<img src=x onerror="alert(1)"> & \'引号\'')).toBe(
    '&#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38; &#39;引号&#39;',
  );
});
