import type { Field } from '../../api/resource.ts';
import type { Language } from '../../i18n/index.ts';
import { fieldTitle } from './fields.ts';

/**
 * Column widths for the list tables, from what a column shows (issue 19, item 9). A table's width is
 * the sum of its columns', so it fits its box when that allows (a laptop's 1366 px leaves ~1090 px
 * beside the menu) and otherwise scrolls sideways as a whole, header and all, instead of letting
 * its last columns slide under the pinned 操作 column. Long text is cut with an ellipsis and shown
 * whole in a tooltip; lists of tags wrap.
 */

/** A cell's padding on both sides (antd's default table size) plus a border. */
export const CELL_PADDING = 33;
/** A header's sorter arrows and the gap before them. */
export const SORTER_WIDTH = 26;
/** The row selection column (antd's, at the default size). */
export const SELECTION_WIDTH = 48;

/** Roughly how wide `text` is at 14 px: CJK characters are square, Latin ones about half as wide. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x2e80) width += 14;
    else if (/[A-Z@mwMW]/.test(char)) width += 10;
    else if (/[il.,:;|' ]/.test(char)) width += 4;
    else width += 7.5;
  }
  return Math.ceil(width);
}

/** Resources named by a person's name. */
const PEOPLE = new Set(['users', 'customers', 'students']);

/** What the values of a field usually need, before its title is considered. */
function contentWidth(field: Field, language: Language): number {
  switch (field.kind) {
    case 'int':
      return 80;
    case 'money':
      return 110;
    case 'bool':
      return 72;
    case 'date':
      return 110;
    case 'datetime':
      return 150;
    case 'password':
      return 90;
    case 'longtext':
      return 240;
    case 'enum': {
      if (field.multiple) return 200;
      const widest = Math.max(0, ...(field.options ?? []).map((o) => textWidth(fieldTitle(o, language))));
      // Enumerations are often shown as tags: a little room for their padding.
      return Math.min(Math.max(widest + CELL_PADDING + 16, 80), 220);
    }
    case 'ref':
      if (field.multiple) return 200;
      // People's names are a few characters; a class or a lesson is named with its course or topic
      // ("Python全栈 (term 9)", "Lesson 3 函数与模块") and would be cut at a person's width.
      return PEOPLE.has(field.ref ?? '') ? 120 : 170;
    default: {
      const max = field.maxLength ?? Number.POSITIVE_INFINITY;
      if (max <= 64) return 130;
      if (max <= 100) return 140;
      return 160;
    }
  }
}

/** A column's width: its values' or its title's (never wrapped), whichever is wider. */
export function fieldWidth(field: Field, language: Language): number {
  const title = textWidth(fieldTitle(field, language)) + CELL_PADDING + (field.sortable ? SORTER_WIDTH : 0);
  return Math.max(contentWidth(field, language), title);
}

/** Whether a field's cells are cut with an ellipsis (and a tooltip) rather than wrapped. */
export const cutsLongText = (field: Field): boolean =>
  field.kind === 'text' || field.kind === 'longtext' || (field.kind === 'ref' && !field.multiple);

/** The width of a row of small link buttons with icons (the operations column), labels given. */
export function buttonsWidth(labels: readonly string[]): number {
  if (labels.length === 0) return 0;
  // Icon 14 + gap 8 + padding 14 per button; the Space between buttons is 0.
  return labels.reduce((sum, label) => sum + textWidth(label) + 36, CELL_PADDING);
}

/** The width a table's columns add up to, which its `scroll.x` is set to. */
export function tableWidth(columns: readonly { width?: number | string }[], selection = false): number {
  const sum = columns.reduce(
    (total, column) => total + (typeof column.width === 'number' ? column.width : 0),
    0,
  );
  return sum + (selection ? SELECTION_WIDTH : 0);
}
